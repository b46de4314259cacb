import { useState } from 'react';
import type { PlanDocument } from '@portico/shared';
import { MoneyInput, NumberInput, TextInput, labelled, type EditorApi } from './editor-fields.tsx';
import { blankPlan, fieldId, pathKey } from './service-draft.ts';
import { StepsEditor } from './steps-editor.tsx';
import { Field, describedBy } from '../../components/form-parts.tsx';
import { formatMoney, plural } from '../../components/format.ts';

let nextId = 0;
const newId = () => `plan-${++nextId}`;

interface PlansEditorProps {
  ed: EditorApi;
  teams: { value: string; label: string }[];
}

/** The plans of a service: add, remove, reorder, and every field of each. */
export function PlansEditor({ ed, teams }: PlansEditorProps) {
  const plans = ed.draft.plans;
  // Stable React keys and open/closed state for plans whose slugs are being edited.
  const [ids, setIds] = useState<string[]>(() => plans.map(newId));
  const [open, setOpen] = useState<ReadonlySet<string>>(
    () => new Set(plans.length <= 1 ? ids : ids.slice(0, 1)),
  );
  const keys = ids.length === plans.length ? ids : plans.map((_, i) => ids[i] ?? `extra-${i}`);

  const write = (next: PlanDocument[], nextIds: string[]) => {
    setIds(nextIds);
    ed.set(['plans'], next);
  };
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= plans.length) return;
    const p = [...plans];
    const k = [...keys];
    [p[i], p[j]] = [p[j]!, p[i]!];
    [k[i], k[j]] = [k[j]!, k[i]!];
    write(p, k);
    // Keep the moved plan's button under the keyboard user's focus.
    window.setTimeout(() => document.getElementById(`${k[j]}-${by < 0 ? 'up' : 'down'}`)?.focus(), 0);
  };
  const add = () => {
    const id = newId();
    const firstManual = plans[0]?.fulfilment.steps.find((s) => s.type === 'manual');
    const team = ed.draft.ownerTeam || (firstManual?.type === 'manual' ? firstManual.team : '');
    write([...plans, blankPlan(plans.length, team)], [...keys, id]);
    setOpen((o) => new Set([...o, id]));
    window.setTimeout(() => document.getElementById(fieldId(['plans', plans.length, 'name']))?.focus(), 0);
  };
  const remove = (i: number) => {
    write(
      plans.filter((_, j) => j !== i),
      keys.filter((_, j) => j !== i),
    );
  };
  const toggle = (id: string) =>
    setOpen((o) => {
      const n = new Set(o);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <div className="plans-editor">
      {ed.error(['plans']) && <p className="field__error">{ed.error(['plans'])}</p>}
      <ol className="plans-editor__list">
        {plans.map((plan, i) => {
          const id = keys[i]!;
          const hasError = ed.errorPaths.some((k) => k.startsWith(`plans.${i}.`));
          const expanded = open.has(id) || hasError;
          return (
            <li key={id} className={`card plan-editor${hasError ? ' plan-editor--invalid' : ''}`}>
              <div className="plan-editor__head">
                <button
                  type="button"
                  className="plan-editor__toggle"
                  aria-expanded={expanded}
                  aria-controls={`${id}-body`}
                  onClick={() => toggle(id)}
                >
                  <span className="plan-editor__chevron" aria-hidden="true">
                    {expanded ? '▾' : '▸'}
                  </span>
                  <span className="plan-editor__title">
                    {i + 1}. {plan.name || 'Unnamed plan'}
                  </span>
                  <span className="plan-editor__summary muted small">
                    {summary(plan)}
                    {hasError && <span className="plan-editor__flag"> · needs attention</span>}
                  </span>
                </button>
                <div className="plan-editor__tools">
                  <button
                    id={`${id}-up`}
                    type="button"
                    className="btn btn--ghost btn--sm"
                    onClick={() => move(i, -1)}
                    disabled={i === 0}
                    aria-label={`Move ${plan.name || 'plan'} up`}
                  >
                    ↑
                  </button>
                  <button
                    id={`${id}-down`}
                    type="button"
                    className="btn btn--ghost btn--sm"
                    onClick={() => move(i, 1)}
                    disabled={i === plans.length - 1}
                    aria-label={`Move ${plan.name || 'plan'} down`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="btn btn--danger-outline btn--sm"
                    onClick={() => remove(i)}
                    disabled={plans.length === 1}
                    title={plans.length === 1 ? 'A service needs at least one plan' : undefined}
                  >
                    Remove<span className="visually-hidden"> {plan.name}</span>
                  </button>
                </div>
              </div>
              {expanded && (
                <div id={`${id}-body`} className="plan-editor__body">
                  <PlanFields ed={ed} i={i} plan={plan} teams={teams} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" className="btn btn--secondary" onClick={add}>
        + Add a plan
      </button>
    </div>
  );
}

function summary(p: PlanDocument): string {
  const price = /^\d+(\.\d+)?$/.test(p.monthlyPrice)
    ? `${formatMoney(p.monthlyPrice, p.currency || 'EUR')}/month`
    : '';
  const lead = Number.isFinite(p.leadTimeDays) ? plural(p.leadTimeDays, 'day') : '';
  const steps = p.fulfilment.steps.length ? plural(p.fulfilment.steps.length, 'step') : '';
  return [p.slug, price, lead, steps].filter(Boolean).join(' · ');
}

function PlanFields({
  ed,
  i,
  plan,
  teams,
}: {
  ed: EditorApi;
  i: number;
  plan: PlanDocument;
  teams: { value: string; label: string }[];
}) {
  const p = (...rest: (string | number)[]) => ['plans', i, ...rest];
  const currency = plan.currency || 'EUR';
  return (
    <>
      <div className="form-grid form-grid--2">
        <TextInput ed={ed} path={p('name')} label="Name" required />
        <TextInput
          ed={ed}
          path={p('slug')}
          label="Slug"
          required
          mono
          hint="Used in links and YAML, e.g. “small”."
        />
      </div>
      <div className="form-grid form-grid--4">
        <TextInput ed={ed} path={p('currency')} label="Currency" required mono maxLength={3} />
        <MoneyInput ed={ed} path={p('oneTimePrice')} label="One-time price" required currency={currency} />
        <MoneyInput ed={ed} path={p('monthlyPrice')} label="Monthly price" required currency={currency} />
        <NumberInput
          ed={ed}
          path={p('leadTimeDays')}
          label="Lead time"
          required
          min={0}
          max={365}
          unit="days"
        />
      </div>
      <LinesInput
        ed={ed}
        path={p('features')}
        label="Features"
        hint="One per line; shown as a checklist on the plan card."
        lines={plan.features}
      />

      <fieldset className="subform">
        <legend className="subform__legend">Service level (SLA)</legend>
        <div className="form-grid form-grid--3">
          <TextInput ed={ed} path={p('sla', 'name')} label="SLA name" required />
          <TextInput
            ed={ed}
            path={p('sla', 'availability')}
            label="Availability"
            required
            hint="e.g. 99.9%"
          />
          <TextInput ed={ed} path={p('sla', 'supportHours')} label="Support hours" required />
          <NumberInput
            ed={ed}
            path={p('sla', 'responseHours')}
            label="Response within"
            required
            min={1}
            unit="h"
          />
          <NumberInput
            ed={ed}
            path={p('sla', 'resolutionHours')}
            label="Resolution within"
            required
            min={1}
            unit="h"
          />
        </div>
      </fieldset>

      <fieldset className="subform">
        <legend className="subform__legend">Usage charges (metered)</legend>
        {plan.meteredPrices.length === 0 && (
          <p className="muted small">None: the price above is all there is.</p>
        )}
        {plan.meteredPrices.map((_, j) => (
          <div key={j} className="form-grid form-grid--row">
            <TextInput
              ed={ed}
              path={p('meteredPrices', j, 'unit')}
              label="Unit"
              required
              hint={j === 0 ? 'e.g. GB-month' : undefined}
            />
            <MoneyInput
              ed={ed}
              path={p('meteredPrices', j, 'price')}
              label="Price per unit"
              required
              currency={currency}
            />
            <TextInput ed={ed} path={p('meteredPrices', j, 'description')} label="Description" />
            <button
              type="button"
              className="btn btn--ghost btn--sm form-grid__remove"
              onClick={() =>
                ed.set(
                  p('meteredPrices'),
                  plan.meteredPrices.filter((_, k) => k !== j),
                )
              }
              aria-label={`Remove usage charge ${j + 1}`}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn--ghost btn--sm"
          onClick={() =>
            ed.set(p('meteredPrices'), [...plan.meteredPrices, { unit: '', price: '', description: '' }])
          }
        >
          + Add a usage charge
        </button>
      </fieldset>

      <fieldset className="subform">
        <legend className="subform__legend">Quota</legend>
        <div className="form-grid form-grid--2">
          <NumberInput
            ed={ed}
            path={p('quota', 'perPerson')}
            label="Per person"
            min={1}
            hint="Empty: no limit"
          />
          <NumberInput
            ed={ed}
            path={p('quota', 'perCostCentre')}
            label="Per cost centre"
            min={1}
            hint="Empty: no limit"
          />
        </div>
      </fieldset>

      <fieldset className="subform">
        <legend className="subform__legend">How it is delivered</legend>
        <p className="muted small subform__intro">
          Steps run in order once a line is approved; what a step hands back goes to the steps after it and,
          at the end, to the requester’s service.
        </p>
        <StepsEditor ed={ed} plan={i} steps={plan.fulfilment.steps} teams={teams} />
      </fieldset>
    </>
  );
}

/** A list of strings edited as lines of text (blank lines are dropped when saving). */
export function LinesInput({
  ed,
  path,
  label,
  hint,
  lines,
}: {
  ed: EditorApi;
  path: (string | number)[];
  label: string;
  hint?: string;
  lines: string[];
}) {
  const id = fieldId(path);
  // The message for the list, or for its first bad line.
  const key = pathKey(path);
  const lineError = lines.map((_, n) => ed.error([...path, n])).find(Boolean);
  const error = labelled(label, ed.error(path) ?? lineError);
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        className="input"
        rows={Math.max(3, Math.min(8, lines.length + 1))}
        value={lines.join('\n')}
        aria-invalid={!!error}
        aria-describedby={describedBy(id, hint, error)}
        data-path={key}
        onChange={(e) => ed.set(path, e.target.value.split('\n'))}
      />
    </Field>
  );
}
