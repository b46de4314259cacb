// Resize and upgrade: both place an order for another plan, which goes through approval and
// fulfilment; the old plan ends when the new one is switched on.
import { useId, useState, type FormEvent } from 'react';
import type { ChangePlaced, SubscriptionDetail } from '@portico/shared';
import { useChangePlan } from './subscriptions.api.ts';
import { fieldMessage, formatMoneyDelta, moneyDifference } from './subscription-helpers.ts';
import { Field, FieldGroup, FormProblem, describedBy, fieldErrorsOf } from '../../components/form-parts.tsx';
import { formatMoney, isZeroMoney, multiplyMoney, plural, sumMoney } from '../../components/format.ts';
import { useIdempotencyKey } from '../../components/use-idempotency-key.ts';

interface PanelProps {
  sub: SubscriptionDetail;
  onPlaced: (placed: ChangePlaced, what: string) => void;
  onCancel: () => void;
}

function Justification({
  id,
  value,
  onChange,
  error,
  hint,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint: string;
}) {
  return (
    <Field id={id} label="Why" hint={hint} error={error}>
      <textarea
        id={id}
        className="input"
        rows={3}
        maxLength={2000}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Field>
  );
}

export function ResizePanel({ sub, onPlaced, onCancel }: PanelProps) {
  const uid = useId();
  const change = useChangePlan(sub.id);
  const keyFor = useIdempotencyKey();
  const others = sub.plans.filter((p) => !p.current && p.slug !== sub.plan.slug);
  const [plan, setPlan] = useState<string>('');
  const [justification, setJustification] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const server = fieldErrorsOf(change.error);
  const planError = submitted && !plan ? 'Choose the plan to move to.' : fieldMessage('Plan', server.plan);
  const chosen = others.find((p) => p.slug === plan);
  const currentPlan = sub.plans.find((p) => p.current || p.slug === sub.plan.slug);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!chosen) {
      document.getElementById(`${uid}-plans`)?.querySelector('input')?.focus();
      return;
    }
    const body = { plan: chosen.slug, justification: justification.trim() };
    change.mutate(
      { body, idempotencyKey: keyFor(body) },
      { onSuccess: (placed) => onPlaced(placed, `Change to ${chosen.name}`) },
    );
  }

  return (
    <form className="card sub-panel" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 className="card__title" id={`${uid}-title`} tabIndex={-1} data-autofocus>
        Change the plan
      </h2>
      <p className="muted small">
        Now on <strong>{sub.plan.name}</strong> at {formatMoney(sub.monthlyPrice, sub.currency)} a month. The
        change is a new request: it goes through approval, and {sub.plan.name} ends when the new plan is
        switched on. Your current options are kept.
      </p>
      {others.length === 0 ? (
        <p className="alert alert--info">This service has no other plan to move to.</p>
      ) : (
        <FieldGroup id={`${uid}-plans`} legend="New plan" required error={planError}>
          <div className="sub-plans" id={`${uid}-plans`}>
            {others.map((p) => {
              // Plan prices are per unit and without the options' surcharges, which stay as they
              // are: the difference is the plans' difference times the quantity.
              const delta = currentPlan
                ? multiplyMoney(moneyDifference(currentPlan.monthlyPrice, p.monthlyPrice), sub.quantity)
                : null;
              return (
                <label key={p.slug} className={`choice sub-plan${plan === p.slug ? ' choice--on' : ''}`}>
                  <input
                    type="radio"
                    name={`${uid}-plan`}
                    value={p.slug}
                    checked={plan === p.slug}
                    onChange={() => setPlan(p.slug)}
                  />
                  <span className="sub-plan__text">
                    <span className="sub-plan__name">{p.name}</span>
                    <span className="sub-plan__price">
                      Plan {formatMoney(p.monthlyPrice, p.currency)} a month
                      {sub.quantity > 1 && <span className="muted"> per unit</span>}
                    </span>
                    {delta && (
                      <span
                        className={`sub-plan__delta${delta.startsWith('-') ? ' sub-plan__delta--down' : isZeroMoney(delta) ? '' : ' sub-plan__delta--up'}`}
                      >
                        {formatMoneyDelta(delta, p.currency)} a month — about{' '}
                        {formatMoney(sumMoney([sub.monthlyPrice, delta]), p.currency)} in all
                      </span>
                    )}
                    {!isZeroMoney(p.oneTimePrice) && (
                      <span className="small muted">
                        + {formatMoney(multiplyMoney(p.oneTimePrice, sub.quantity), p.currency)} once
                      </span>
                    )}
                    {p.features.length > 0 && <span className="small muted">{p.features.join(' · ')}</span>}
                    <span className="small muted">
                      Ready about {plural(p.leadTimeDays, 'day')} after approval
                    </span>
                  </span>
                </label>
              );
            })}
          </div>
        </FieldGroup>
      )}
      <Justification
        id={`${uid}-why`}
        value={justification}
        onChange={setJustification}
        error={fieldMessage('Justification', server.justification)}
        hint="For the approver: what changed, why this plan."
      />
      <FormProblem error={change.error} shownPaths={['plan', 'justification']} />
      <div className="btn-row">
        <button type="submit" className="btn btn--primary" disabled={change.isPending || others.length === 0}>
          {change.isPending
            ? 'Placing the request…'
            : chosen
              ? `Request ${chosen.name}`
              : 'Request the change'}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function UpgradePanel({ sub, onPlaced, onCancel }: PanelProps) {
  const uid = useId();
  const change = useChangePlan(sub.id);
  const keyFor = useIdempotencyKey();
  const [justification, setJustification] = useState('');
  const offer = sub.upgrade;
  if (!offer) return null;
  const server = fieldErrorsOf(change.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!offer) return;
    const body = { plan: offer.plan.slug, justification: justification.trim() };
    change.mutate(
      { body, idempotencyKey: keyFor(body) },
      { onSuccess: (placed) => onPlaced(placed, `Upgrade to version ${offer.version}`) },
    );
  }

  return (
    <form className="card sub-panel" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 className="card__title" id={`${uid}-title`} tabIndex={-1} data-autofocus>
        Upgrade to version {offer.version} · {offer.plan.name}
      </h2>
      <p className="muted small">
        You have version {sub.service.version} · {sub.plan.name}. What changes:
      </p>
      <ul className="sub-changes" data-testid="upgrade-changes">
        {offer.changes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <p className="small">
        Plan price {formatMoney(offer.monthlyPrice, offer.currency)} a month
        {sub.quantity > 1 ? ' per unit' : ''}; your options stay as they are. It is a new request: it goes
        through approval, and the current version ends when the new one is switched on.
      </p>
      <Justification
        id={`${uid}-why`}
        value={justification}
        onChange={setJustification}
        error={fieldMessage('Justification', server.justification)}
        hint="Only when your approver needs one."
      />
      <FormProblem error={change.error} shownPaths={['justification']} />
      <div className="btn-row">
        <button type="submit" className="btn btn--primary" disabled={change.isPending}>
          {change.isPending ? 'Placing the request…' : 'Request the upgrade'}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
