// How a plan is delivered: its fulfilment steps, in order (a team's task, a service broker, a
// webhook), each edited in place. Paths follow the document (`plans.0.fulfilment.steps.1.adapter`),
// so the server's and the schema's messages land at the field they are about.
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { fulfilmentStages, type FulfilmentAdapter, type FulfilmentStepDocument } from '@portico/shared';
import { SelectInput, TextInput, labelled, type EditorApi } from './editor-fields.tsx';
import { useFulfilmentAdapters } from './catalog-admin.api.ts';
import { blankStep, fieldId, pathKey, stepTypeLabels, type Path, type StepType } from './service-draft.ts';
import { move } from '../policies/policy-draft.ts';
import { describedBy } from '../../components/form-parts.tsx';
import { errorMessage } from '../../components/states.tsx';

type Option = { value: string; label: string };
type OsbStep = Extract<FulfilmentStepDocument, { type: 'osb' }>;
type WebhookStep = Extract<FulfilmentStepDocument, { type: 'webhook' }>;
type ManualStep = Extract<FulfilmentStepDocument, { type: 'manual' }>;

const stepTypes: StepType[] = ['manual', 'osb', 'webhook'];
const stageOptions: Option[] = fulfilmentStages.map((s) => ({
  value: s,
  label: s === 'provisioning' ? 'Provisioning' : 'Configuring',
}));

let nextId = 0;
const newId = () => `step-${++nextId}`;

interface StepsEditorProps {
  ed: EditorApi;
  /** The plan's index in the document. */
  plan: number;
  steps: FulfilmentStepDocument[];
  teams: Option[];
}

/** A plan's steps: add one of a type, reorder, remove (with undo), and every field of each. */
export function StepsEditor({ ed, plan, steps, teams }: StepsEditorProps) {
  const base: Path = ['plans', plan, 'fulfilment', 'steps'];
  const uid = useId();
  const adapters = useFulfilmentAdapters();
  // Stable React keys for the steps, and the step last removed (for Undo).
  const [ids, setIds] = useState<string[]>(() => steps.map(newId));
  const [removed, setRemoved] = useState<{ step: FulfilmentStepDocument; index: number; id: string } | null>(
    null,
  );
  // The steps changed outside this list (discarded, saved, reloaded): start again from them.
  if (ids.length !== steps.length) {
    setIds(steps.map(newId));
    setRemoved(null);
  }
  const keys = steps.map((_, j) => ids[j] ?? `${uid}-${j}`);

  const write = (next: FulfilmentStepDocument[], nextIds: string[]) => {
    setIds(nextIds);
    ed.set(base, next);
  };
  const focusLater = (id: string) => window.setTimeout(() => document.getElementById(id)?.focus(), 0);

  const shift = (j: number, by: -1 | 1) => {
    if (j + by < 0 || j + by >= steps.length) return;
    setRemoved(null);
    write(move(steps, j, by), move(keys, j, by));
    // Keep the moved step's button under the keyboard user's focus.
    focusLater(`${keys[j]}-${by < 0 ? 'up' : 'down'}`);
  };
  const add = (type: StepType) => {
    setRemoved(null);
    write([...steps, blankStep(type, ed.draft.ownerTeam)], [...keys, newId()]);
    focusLater(fieldId([...base, steps.length, 'name']));
  };
  const remove = (j: number) => {
    setRemoved({ step: steps[j]!, index: j, id: keys[j]! });
    write(
      steps.filter((_, k) => k !== j),
      keys.filter((_, k) => k !== j),
    );
    focusLater(`${uid}-undo`);
  };
  const undo = () => {
    if (!removed) return;
    const at = Math.min(removed.index, steps.length);
    write(
      [...steps.slice(0, at), removed.step, ...steps.slice(at)],
      [...keys.slice(0, at), removed.id, ...keys.slice(at)],
    );
    setRemoved(null);
    focusLater(fieldId([...base, at, 'name']));
  };

  const listError = ed.error(['plans', plan, 'fulfilment']) ?? ed.error(base);
  const removedName = removed?.step.name.trim();

  const items = steps.map((step, j) => (
    <li
      key={keys[j]}
      id={fieldId([...base, j])}
      tabIndex={-1}
      className={`step-editor${ed.errorPaths.some((k) => k === pathKey([...base, j]) || k.startsWith(`${pathKey([...base, j])}.`)) ? ' step-editor--invalid' : ''}`}
      data-testid="step-editor"
      data-type={step.type}
    >
      <div className="step-editor__head">
        <span className="step-editor__number" aria-hidden="true">
          {j + 1}
        </span>
        <h3 className="step-editor__title">
          <span className="visually-hidden">Step {j + 1}: </span>
          <span className={`step-type step-type--${step.type}`}>{stepTypeLabels[step.type]}</span>
          <span className="step-editor__name">{step.name.trim() || 'Unnamed step'}</span>
        </h3>
        <div className="step-editor__tools">
          <button
            id={`${keys[j]}-up`}
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={() => shift(j, -1)}
            disabled={j === 0}
            aria-label={`Move step ${j + 1} up`}
          >
            ↑
          </button>
          <button
            id={`${keys[j]}-down`}
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={() => shift(j, 1)}
            disabled={j === steps.length - 1}
            aria-label={`Move step ${j + 1} down`}
          >
            ↓
          </button>
          <button
            type="button"
            className="btn btn--danger-outline btn--sm"
            onClick={() => remove(j)}
            disabled={steps.length === 1}
            title={steps.length === 1 ? 'A plan needs at least one step' : undefined}
          >
            Remove<span className="visually-hidden"> step {j + 1}</span>
          </button>
        </div>
      </div>
      {ed.error([...base, j]) && (
        <p className="field__error">{labelled(`Step ${j + 1}`, ed.error([...base, j]))}</p>
      )}
      <div className="step-editor__body">
        {step.type === 'manual' && <ManualFields ed={ed} path={[...base, j]} step={step} teams={teams} />}
        {step.type === 'osb' && <OsbFields ed={ed} path={[...base, j]} step={step} adapters={adapters} />}
        {step.type === 'webhook' && (
          <WebhookFields ed={ed} path={[...base, j]} step={step} adapters={adapters} />
        )}
      </div>
    </li>
  ));
  if (removed) {
    items.splice(
      Math.min(removed.index, items.length),
      0,
      <li key="removed" className="step-editor step-editor--removed" data-testid="step-removed">
        <p>
          Removed step {removed.index + 1}
          {removedName ? <>, “{removedName}”</> : ''} ({stepTypeLabels[removed.step.type].toLowerCase()}).
        </p>
        <button id={`${uid}-undo`} type="button" className="btn btn--secondary btn--sm" onClick={undo}>
          Undo
        </button>
      </li>,
    );
  }

  return (
    <div className="steps-editor">
      {listError && <p className="field__error">{labelled('Steps', listError)}</p>}
      <ol className="steps-editor__list">{items}</ol>
      <div className="steps-editor__add" role="group" aria-labelledby={`${uid}-add`}>
        <span className="steps-editor__add-label" id={`${uid}-add`}>
          Add a step:
        </span>
        {stepTypes.map((t) => (
          <button key={t} type="button" className="btn btn--secondary btn--sm" onClick={() => add(t)}>
            + {stepTypeLabels[t]}
          </button>
        ))}
      </div>
    </div>
  );
}

function NameAndStage({ ed, path, manual }: { ed: EditorApi; path: Path; manual?: boolean }) {
  return (
    <div className="form-grid form-grid--2">
      <TextInput
        ed={ed}
        path={[...path, 'name']}
        label="Step name"
        required
        maxLength={120}
        placeholder={manual ? 'e.g. Rack and cable the server' : 'e.g. Create the VM'}
        hint={
          manual
            ? 'Shown on the requester’s tracker; also the task’s title.'
            : 'Shown on the requester’s tracker.'
        }
      />
      <SelectInput
        ed={ed}
        path={[...path, 'stage']}
        label="Stage"
        required
        options={stageOptions}
        hint="Where the step shows on the requester’s tracker."
      />
    </div>
  );
}

function ManualFields({
  ed,
  path,
  step,
  teams,
}: {
  ed: EditorApi;
  path: Path;
  step: ManualStep;
  teams: Option[];
}) {
  return (
    <>
      <NameAndStage ed={ed} path={path} manual />
      <div className="form-grid form-grid--2">
        <SelectInput
          ed={ed}
          path={[...path, 'team']}
          label="Team"
          required
          options={teams}
          hint="Whose task queue gets it."
        />
      </div>
      <TextInput
        ed={ed}
        path={[...path, 'instructions']}
        label="Instructions"
        required
        multiline
        rows={3}
        hint="What the fulfiller does, in two or three sentences. The order’s plan, options and quantity are shown with the task."
      />
      <ChecklistEditor ed={ed} path={[...path, 'checklist']} items={step.checklist} />
      <OutputsEditor ed={ed} path={[...path, 'outputs']} outputs={step.outputs} />
    </>
  );
}

function OsbFields({
  ed,
  path,
  step,
  adapters,
}: {
  ed: EditorApi;
  path: Path;
  step: OsbStep;
  adapters: ReturnType<typeof useFulfilmentAdapters>;
}) {
  return (
    <>
      <NameAndStage ed={ed} path={path} />
      <AdapterSelect ed={ed} path={[...path, 'adapter']} type="osb" adapters={adapters} />
      <div className="form-grid form-grid--2">
        <TextInput
          ed={ed}
          path={[...path, 'service']}
          label="Broker service"
          required
          mono
          hint="The broker’s service, by name or id."
        />
        <TextInput
          ed={ed}
          path={[...path, 'plan']}
          label="Broker plan"
          required
          mono
          hint="The broker’s plan, by name or id."
        />
      </div>
      <label className="checkbox step-editor__check">
        <input
          type="checkbox"
          checked={step.bind}
          onChange={(e) => ed.set([...path, 'bind'], e.target.checked)}
        />
        <span>
          Bind once provisioned{' '}
          <span className="muted small">
            — the credentials are kept encrypted and shown to the owner on request
          </span>
        </span>
      </label>
      <KeyValueEditor
        ed={ed}
        path={[...path, 'parameters']}
        value={step.parameters}
        label="Parameters"
        noun="parameter"
        hint="Fixed provisioning parameters; the order’s options go along where the broker’s plan declares them."
      />
    </>
  );
}

function WebhookFields({
  ed,
  path,
  step,
  adapters,
}: {
  ed: EditorApi;
  path: Path;
  step: WebhookStep;
  adapters: ReturnType<typeof useFulfilmentAdapters>;
}) {
  return (
    <>
      <NameAndStage ed={ed} path={path} />
      <AdapterSelect ed={ed} path={[...path, 'adapter']} type="webhook" adapters={adapters} />
      <KeyValueEditor
        ed={ed}
        path={[...path, 'config']}
        value={step.config}
        label="Configuration"
        noun="setting"
        hint="Passed to the endpoint as it is (which playbook, which zone …)."
      />
    </>
  );
}

/** The adapter an automated step uses: the admins' brokers or webhook endpoints of that type. */
function AdapterSelect({
  ed,
  path,
  type,
  adapters,
}: {
  ed: EditorApi;
  path: Path;
  type: 'osb' | 'webhook';
  adapters: ReturnType<typeof useFulfilmentAdapters>;
}) {
  const what = type === 'osb' ? 'service broker' : 'webhook endpoint';
  const label = type === 'osb' ? 'Broker' : 'Endpoint';
  const list: FulfilmentAdapter[] = (adapters.data ?? []).filter((a) => a.type === type);
  const options = list.map((a) => ({
    value: a.key,
    label: a.key === a.name ? a.name : `${a.name} (${a.key})`,
  }));
  const none = adapters.isSuccess && list.length === 0;
  return (
    <div className="form-grid form-grid--2">
      <div>
        <SelectInput
          ed={ed}
          path={path}
          label={label}
          required
          options={options}
          placeholder={adapters.isPending ? 'Loading…' : none ? `No ${what}s configured` : `Choose a ${what}`}
          hint={
            adapters.isError
              ? `The list of ${what}s could not be loaded: ${errorMessage(adapters.error)}`
              : none
                ? undefined
                : `A ${what} an admin configured (its URL and ${type === 'osb' ? 'login' : 'signing secret'}).`
          }
        />
        {none && (
          <p className="step-editor__none" data-testid="no-adapters">
            No {what}s are configured yet. An admin adds them (the URL and{' '}
            {type === 'osb' ? 'login' : 'signing secret'}); until then this step can’t be saved — use a manual
            task instead.
          </p>
        )}
      </div>
    </div>
  );
}

/** A manual step's checklist: one line per thing to tick off. */
function ChecklistEditor({ ed, path, items }: { ed: EditorApi; path: Path; items: string[] }) {
  const labelId = `${fieldId(path)}-label`;
  const listError = ed.error(path);
  // The item to focus once it is on screen (at once, so fast typing after Enter lands in it).
  const focusNext = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  });
  return (
    <div className="step-editor__group" role="group" aria-labelledby={labelId}>
      <p className="subform__label" id={labelId}>
        Checklist <span className="field__optional">(optional; things to tick off on the task)</span>
      </p>
      {listError && <p className="field__error">{labelled('Checklist', listError)}</p>}
      {items.length === 0 && <p className="muted small">No checklist.</p>}
      {items.length > 0 && (
        <ol className="line-editor">
          {items.map((item, k) => {
            const id = fieldId([...path, k]);
            const error = labelled(`Checklist item ${k + 1}`, ed.error([...path, k]));
            return (
              <li key={k} className={`line-editor__row${error ? ' field--invalid' : ''}`}>
                <span className="line-editor__bullet" aria-hidden="true">
                  ☐
                </span>
                <input
                  id={id}
                  className="input input--sm"
                  type="text"
                  autoComplete="off"
                  value={item}
                  aria-label={`Checklist item ${k + 1}`}
                  aria-invalid={!!error}
                  aria-describedby={describedBy(id, undefined, error)}
                  onChange={(e) => ed.set([...path, k], e.target.value)}
                  onKeyDown={(e) => {
                    // Enter adds the next item, as in a list on paper.
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      focusNext.current = fieldId([...path, k + 1]);
                      ed.set(path, [...items.slice(0, k + 1), '', ...items.slice(k + 1)]);
                    }
                  }}
                />
                <button
                  type="button"
                  className="btn btn--ghost btn--sm"
                  onClick={() =>
                    ed.set(
                      path,
                      items.filter((_, n) => n !== k),
                    )
                  }
                  aria-label={`Remove checklist item ${k + 1}`}
                >
                  ✕
                </button>
                {error && (
                  <p className="field__error line-editor__error" id={`${id}-error`}>
                    {error}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <button
        type="button"
        className="btn btn--ghost btn--sm"
        onClick={() => {
          focusNext.current = fieldId([...path, items.length]);
          ed.set(path, [...items, '']);
        }}
      >
        + Add a checklist item
      </button>
    </div>
  );
}

/** What the fulfiller hands back (it reaches the requester under My services). */
function OutputsEditor({ ed, path, outputs }: { ed: EditorApi; path: Path; outputs: ManualStep['outputs'] }) {
  const labelId = `${fieldId(path)}-label`;
  const listError = ed.error(path);
  return (
    <div className="step-editor__group" role="group" aria-labelledby={labelId}>
      <p className="subform__label" id={labelId}>
        Outputs the team fills in <span className="field__optional">(they reach the requester)</span>
      </p>
      {listError && <p className="field__error">{labelled('Outputs', listError)}</p>}
      {outputs.length === 0 && <p className="muted small">None yet.</p>}
      {outputs.map((o, k) => (
        <div key={k} className="form-grid form-grid--row">
          <TextInput
            ed={ed}
            path={[...path, k, 'key']}
            label="Key"
            required
            mono
            hint={k === 0 ? 'e.g. hostname' : undefined}
          />
          <TextInput ed={ed} path={[...path, k, 'label']} label="Label" required />
          <label className="checkbox form-grid__check">
            <input
              type="checkbox"
              checked={o.required}
              onChange={(e) => ed.set([...path, k, 'required'], e.target.checked)}
            />
            <span>Required</span>
          </label>
          <button
            type="button"
            className="btn btn--ghost btn--sm form-grid__remove"
            onClick={() =>
              ed.set(
                path,
                outputs.filter((_, n) => n !== k),
              )
            }
            aria-label={`Remove output ${o.label || k + 1}`}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn btn--ghost btn--sm"
        onClick={() => ed.set(path, [...outputs, { key: '', label: '', required: true }])}
      >
        + Add an output
      </button>
    </div>
  );
}

// ---- key/value maps (a broker's parameters, a webhook's configuration) ----------------------

interface Row {
  id: number;
  key: string;
  text: string;
}

let nextRow = 0;

/** A value as typed: JSON where it reads as a number, true/false, null, a list or an object; else text. */
export function valueFromText(text: string): unknown {
  const t = text.trim();
  if (!t) return '';
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return text;
  }
}

/** A value as shown: text as it is, unless it would read back as something else ("42" → `"42"`). */
export function valueToText(value: unknown): string {
  if (typeof value === 'string')
    return typeof valueFromText(value) === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? '';
}

const rowsOf = (value: Record<string, unknown>): Row[] =>
  Object.entries(value).map(([key, v]) => ({ id: ++nextRow, key, text: valueToText(v) }));
const recordOf = (rows: Row[]): Record<string, unknown> =>
  Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), valueFromText(r.text)]));

function KeyValueEditor({
  ed,
  path,
  value,
  label,
  noun,
  hint,
}: {
  ed: EditorApi;
  path: Path;
  value: Record<string, unknown>;
  label: string;
  noun: string;
  hint: string;
}) {
  const id = fieldId(path);
  // Rows are kept here (a key being typed, a row not yet given one); the document gets the map.
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value ?? {}));
  const focusNext = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  });
  if (JSON.stringify(recordOf(rows)) !== JSON.stringify(value ?? {})) setRows(rowsOf(value ?? {}));
  const write = (next: Row[]) => {
    setRows(next);
    ed.set(path, recordOf(next));
  };
  const listError = labelled(label, ed.error(path));
  const counts = new Map<string, number>();
  for (const r of rows) if (r.key.trim()) counts.set(r.key.trim(), (counts.get(r.key.trim()) ?? 0) + 1);

  return (
    <div
      className={`step-editor__group kv-editor${listError ? ' field--invalid' : ''}`}
      role="group"
      aria-labelledby={`${id}-label`}
      aria-describedby={describedBy(id, hint, listError)}
      id={id}
      tabIndex={-1}
    >
      <p className="subform__label" id={`${id}-label`}>
        {label} <span className="field__optional">(optional)</span>
      </p>
      {listError ? (
        <p className="field__error" id={`${id}-error`}>
          {listError}
        </p>
      ) : (
        <p className="field__hint" id={`${id}-hint`}>
          {hint} Numbers, true/false and JSON are passed as such; anything else as text.
        </p>
      )}
      {rows.length > 0 && (
        <div className="kv-editor__rows">
          <span className="kv-editor__head" aria-hidden="true">
            Key
          </span>
          <span className="kv-editor__head" aria-hidden="true">
            Value
          </span>
          <span aria-hidden="true" />
          {rows.map((r, n) => {
            const key = r.key.trim();
            const error =
              (key && (counts.get(key) ?? 0) > 1
                ? `${key} is used twice; only the last value is kept`
                : undefined) ??
              (key ? ed.error([...path, key]) : undefined) ??
              (!key && r.text.trim() ? 'needs a key, or it is left out' : undefined);
            const rowId = `${id}-${r.id}`;
            return (
              <div key={r.id} className="kv-editor__row">
                <input
                  id={`${rowId}-key`}
                  className="input input--sm input--mono"
                  type="text"
                  autoComplete="off"
                  value={r.key}
                  aria-label={`${label}: key ${n + 1}`}
                  aria-invalid={!!error}
                  aria-describedby={error ? `${rowId}-error` : undefined}
                  onChange={(e) =>
                    write(rows.map((x) => (x.id === r.id ? { ...x, key: e.target.value } : x)))
                  }
                />
                <input
                  id={`${rowId}-value`}
                  className="input input--sm input--mono"
                  type="text"
                  autoComplete="off"
                  value={r.text}
                  aria-label={`${label}: value of ${key || `key ${n + 1}`}`}
                  onChange={(e) =>
                    write(rows.map((x) => (x.id === r.id ? { ...x, text: e.target.value } : x)))
                  }
                />
                <button
                  type="button"
                  className="btn btn--ghost btn--sm"
                  onClick={() => write(rows.filter((x) => x.id !== r.id))}
                  aria-label={`Remove ${noun} ${key || n + 1}`}
                >
                  ✕
                </button>
                {error && (
                  <p className="field__error kv-editor__error" id={`${rowId}-error`}>
                    {labelled(key || `Row ${n + 1}`, error)}
                  </p>
                )}
              </div>
            );
          })}
        </div>
      )}
      <button
        type="button"
        className="btn btn--ghost btn--sm"
        onClick={() => {
          const row = { id: ++nextRow, key: '', text: '' };
          focusNext.current = `${id}-${row.id}-key`;
          setRows([...rows, row]);
        }}
      >
        + Add a {noun}
      </button>
    </div>
  );
}
