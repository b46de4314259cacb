import { useId, useState, type FormEvent } from 'react';
import type { Delegation } from '@portico/shared';
import { useCreateDelegation, useDelegations, useRemoveDelegation } from './delegations.api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { formatDate, todayIsoDate } from '../../components/format.ts';

interface DelegationForm {
  to: string;
  startsOn: string;
  endsOn: string;
  note: string;
}

const empty = (): DelegationForm => ({ to: '', startsOn: todayIsoDate(), endsOn: '', note: '' });

function validate(f: DelegationForm): Partial<Record<keyof DelegationForm, string>> {
  const e: Partial<Record<keyof DelegationForm, string>> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.to.trim())) e.to = 'Enter the email address of a colleague.';
  if (!f.startsOn) e.startsOn = 'Pick the first day you are away.';
  if (!f.endsOn) e.endsOn = 'Pick the last day you are away.';
  else if (f.startsOn && f.endsOn < f.startsOn) e.endsOn = 'The last day cannot be before the first.';
  return e;
}

/** "Away? Let someone decide for you": delegations given and received. */
export function DelegationsSection() {
  const uid = useId();
  const delegations = useDelegations();
  const create = useCreateDelegation();
  const remove = useRemoveDelegation();
  const [form, setForm] = useState<DelegationForm>(empty);
  const [submitted, setSubmitted] = useState(false);
  const [toRemove, setToRemove] = useState<Delegation | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = (k: keyof DelegationForm) => `${uid}-${k}`;

  const server = fieldErrorsOf(create.error);
  const client = submitted ? validate(form) : {};
  const error = (k: keyof DelegationForm, label: string) => client[k] ?? withLabel(label, server[k]);
  const errors = {
    to: error('to', 'Email'),
    startsOn: error('startsOn', 'From'),
    endsOn: error('endsOn', 'Until'),
    note: error('note', 'Note'),
  };
  const set = (k: keyof DelegationForm) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  function submit(ev: FormEvent) {
    ev.preventDefault();
    setSubmitted(true);
    setDone(null);
    const e = validate(form);
    const first = (Object.keys(e) as (keyof DelegationForm)[])[0];
    if (first) {
      document.getElementById(id(first))?.focus();
      return;
    }
    create.mutate(
      { to: form.to.trim(), startsOn: form.startsOn, endsOn: form.endsOn, note: form.note.trim() },
      {
        onSuccess: (d) => {
          setDone(`${d.to.name} decides for you from ${formatDate(d.startsOn)} to ${formatDate(d.endsOn)}.`);
          setForm(empty());
          setSubmitted(false);
        },
      },
    );
  }

  return (
    <section className="card delegations" aria-labelledby={`${uid}-title`}>
      <h2 className="card__title" id={`${uid}-title`}>
        Away? Let someone decide for you
      </h2>
      <p className="muted small">
        While you are away, approvals that would come to you go to the colleague you name; they decide on your
        behalf, and the requester sees that they did.
      </p>
      <div aria-live="polite">
        {done && (
          <p className="alert alert--success delegations__done" data-testid="delegation-created">
            {done}
          </p>
        )}
      </div>
      <form className="delegations__form" onSubmit={submit} noValidate>
        <Field id={id('to')} label="Colleague’s email" required error={errors.to}>
          <input
            id={id('to')}
            className="input"
            type="email"
            autoComplete="off"
            value={form.to}
            onChange={set('to')}
            placeholder="name@example.com"
            aria-invalid={!!errors.to}
            aria-describedby={describedBy(id('to'), undefined, errors.to)}
          />
        </Field>
        <div className="form-grid form-grid--2">
          <Field id={id('startsOn')} label="From" required error={errors.startsOn}>
            <input
              id={id('startsOn')}
              className="input"
              type="date"
              min={todayIsoDate()}
              value={form.startsOn}
              onChange={set('startsOn')}
              aria-invalid={!!errors.startsOn}
              aria-describedby={describedBy(id('startsOn'), undefined, errors.startsOn)}
            />
          </Field>
          <Field id={id('endsOn')} label="Until" required error={errors.endsOn} hint="Inclusive">
            <input
              id={id('endsOn')}
              className="input"
              type="date"
              min={form.startsOn || todayIsoDate()}
              value={form.endsOn}
              onChange={set('endsOn')}
              aria-invalid={!!errors.endsOn}
              aria-describedby={describedBy(id('endsOn'), 'Inclusive', errors.endsOn)}
            />
          </Field>
        </div>
        <Field id={id('note')} label="Note" error={errors.note}>
          <input
            id={id('note')}
            className="input"
            maxLength={500}
            value={form.note}
            onChange={set('note')}
            placeholder="e.g. On holiday, back on Monday the 3rd"
            aria-invalid={!!errors.note}
            aria-describedby={describedBy(id('note'), undefined, errors.note)}
          />
        </Field>
        <FormProblem error={create.error} shownPaths={['to', 'startsOn', 'endsOn', 'note']} />
        <button type="submit" className="btn btn--primary" disabled={create.isPending}>
          {create.isPending ? 'Saving…' : 'Delegate my approvals'}
        </button>
      </form>

      {delegations.isPending ? (
        <LoadingState label="Loading delegations…" />
      ) : delegations.isError ? (
        <ErrorState error={delegations.error} onRetry={() => void delegations.refetch()} />
      ) : (
        <>
          <h3 className="subhead">Deciding for you</h3>
          <DelegationList
            items={delegations.data.given}
            empty="Nobody — approvals come to you."
            person={(d) => d.to}
            onRemove={setToRemove}
          />
          <h3 className="subhead">You decide for</h3>
          <DelegationList items={delegations.data.received} empty="Nobody." person={(d) => d.from} />
        </>
      )}
      {remove.isError && <FormProblem error={remove.error} />}

      <ConfirmDialog
        open={toRemove !== null}
        title={`Stop ${toRemove?.to.name ?? ''} deciding for you?`}
        confirmLabel="Remove delegation"
        busy={remove.isPending}
        onCancel={() => setToRemove(null)}
        onConfirm={() => {
          if (toRemove) remove.mutate(toRemove.id, { onSettled: () => setToRemove(null) });
        }}
      >
        <p>Approvals come back to you from now on. Decisions already made stay as they are.</p>
      </ConfirmDialog>
    </section>
  );
}

interface DelegationListProps {
  items: Delegation[];
  empty: string;
  person: (d: Delegation) => { name: string; email: string };
  onRemove?: (d: Delegation) => void;
}

function DelegationList({ items, empty, person, onRemove }: DelegationListProps) {
  if (items.length === 0) return <p className="muted small">{empty}</p>;
  return (
    <ul className="plain-list">
      {items.map((d) => {
        const p = person(d);
        return (
          <li key={d.id} className="plain-list__row" data-testid="delegation-row">
            <span>
              <strong>{p.name}</strong> <span className="muted small">{p.email}</span>
              <span className="muted small block">
                {formatDate(d.startsOn)} – {formatDate(d.endsOn)}
                {d.note && <> · {d.note}</>}
              </span>
            </span>
            <span className="btn-row">
              {d.active && <StatusBadge tone="success">Active now</StatusBadge>}
              {onRemove && (
                <button
                  type="button"
                  className="btn btn--danger-outline btn--sm"
                  onClick={() => onRemove(d)}
                  aria-label={`Remove delegation to ${p.name}`}
                >
                  Remove
                </button>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
