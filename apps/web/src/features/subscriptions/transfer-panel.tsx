import { useId, useState, type FormEvent } from 'react';
import type { Subscription, TransferBody } from '@portico/shared';
import { useTransfer } from './subscriptions.api.ts';
import { fieldMessage } from './subscription-helpers.ts';
import { useCostCentres } from '../budgets/budgets.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Field, FormProblem, describedBy, fieldErrorsOf } from '../../components/form-parts.tsx';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface TransferPanelProps {
  sub: Subscription;
  onDone: (sub: Subscription, body: TransferBody) => void;
  onCancel: () => void;
}

/** Hand it to another owner, charge it to another cost centre, or both; audited on the server. */
export function TransferPanel({ sub, onDone, onCancel }: TransferPanelProps) {
  const uid = useId();
  const me = useCurrentUser();
  const transfer = useTransfer(sub.id);
  const centres = useCostCentres();
  const [owner, setOwner] = useState('');
  const [costCentre, setCostCentre] = useState('');
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const known = new Map<string, string>();
  for (const c of me.chargeableCostCentres) known.set(c.code, c.name);
  for (const c of centres.data ?? []) known.set(c.code, c.name);
  known.delete(sub.costCentre.code);

  const o = owner.trim();
  const cc = costCentre.trim();
  const local = {
    owner:
      !o && !cc
        ? 'Name a new owner or a new cost centre.'
        : o && !EMAIL.test(o)
          ? 'Enter an email address.'
          : undefined,
    costCentre: cc && cc === sub.costCentre.code ? `It is already charged to ${cc}.` : undefined,
  };
  const server = fieldErrorsOf(transfer.error);
  const errors = {
    owner: (submitted && local.owner) || fieldMessage('New owner', server.owner),
    costCentre: (submitted && local.costCentre) || fieldMessage('Cost centre', server.costCentre),
    note: fieldMessage('Note', server.note),
  };

  const body: TransferBody = {
    ...(o ? { owner: o } : {}),
    ...(cc ? { costCentre: cc } : {}),
    ...(note.trim() ? { note: note.trim() } : {}),
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (local.owner) return document.getElementById(`${uid}-owner`)?.focus();
    if (local.costCentre) return document.getElementById(`${uid}-cc`)?.focus();
    transfer.reset();
    setConfirming(true);
  }

  function confirm() {
    transfer.mutate(body, {
      onSuccess: (s) => {
        setConfirming(false);
        onDone(s, body);
      },
      // Field errors belong beside their fields, so close the dialog to show them.
      onError: () => setConfirming(false),
    });
  }

  const ccName = cc ? known.get(cc) : undefined;

  return (
    <form className="card sub-panel" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 className="card__title" id={`${uid}-title`} tabIndex={-1} data-autofocus>
        Transfer
      </h2>
      <p className="muted small">
        Owned by {sub.owner.name}, charged to {sub.costCentre.code} — {sub.costCentre.name}. Name a new owner,
        a new cost centre, or both; the change is recorded and billing follows it from now on.
      </p>
      <div className="form-grid form-grid--2">
        <Field id={`${uid}-owner`} label="New owner" hint="Their work email." error={errors.owner}>
          <input
            id={`${uid}-owner`}
            className="input"
            type="email"
            autoComplete="off"
            value={owner}
            onChange={(e) => {
              setOwner(e.target.value);
              if (transfer.error) transfer.reset();
            }}
            placeholder="name@example.com"
            aria-invalid={!!errors.owner}
            aria-describedby={describedBy(`${uid}-owner`, 'hint', errors.owner)}
          />
        </Field>
        <Field
          id={`${uid}-cc`}
          label="New cost centre"
          hint={ccName ? ccName : `Its code${known.size ? `, e.g. ${[...known.keys()][0]}` : ''}.`}
          error={errors.costCentre}
        >
          <input
            id={`${uid}-cc`}
            className="input"
            list={`${uid}-cc-list`}
            autoComplete="off"
            maxLength={50}
            value={costCentre}
            onChange={(e) => {
              setCostCentre(e.target.value);
              if (transfer.error) transfer.reset();
            }}
            aria-invalid={!!errors.costCentre}
            aria-describedby={describedBy(`${uid}-cc`, 'hint', errors.costCentre)}
          />
          <datalist id={`${uid}-cc-list`}>
            {[...known].map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </datalist>
        </Field>
      </div>
      <Field id={`${uid}-note`} label="Note" hint="Why, for the record." error={errors.note}>
        <input
          id={`${uid}-note`}
          className="input"
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-invalid={!!errors.note}
          aria-describedby={describedBy(`${uid}-note`, 'hint', errors.note)}
        />
      </Field>
      <FormProblem error={transfer.error} shownPaths={['owner', 'costCentre', 'note']} />
      <div className="btn-row">
        <button type="submit" className="btn btn--primary" disabled={transfer.isPending}>
          {transfer.isPending ? 'Transferring…' : 'Transfer…'}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Transfer ${sub.name}?`}
        confirmLabel="Transfer"
        tone="primary"
        busy={transfer.isPending}
        onConfirm={confirm}
        onCancel={() => setConfirming(false)}
      >
        <ul className="sub-changes">
          {o && (
            <li>
              Owner: {sub.owner.email} → <strong>{o}</strong>
              {o.toLowerCase() !== me.email.toLowerCase() && sub.owner.id === me.id && (
                <> — it leaves your services</>
              )}
            </li>
          )}
          {cc && (
            <li>
              Cost centre: {sub.costCentre.code} → <strong>{cc}</strong>
              {ccName ? ` — ${ccName}` : ''}
            </li>
          )}
        </ul>
        <p className="small muted">
          {cc ? 'From now on, its cost is charged to the new cost centre.' : 'Its cost stays where it is.'}{' '}
          The transfer is recorded.
        </p>
      </ConfirmDialog>
    </form>
  );
}
