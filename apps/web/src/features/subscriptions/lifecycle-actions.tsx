import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { ChangePlaced, Subscription, SubscriptionDetail } from '@portico/shared';
import { useDecommission, useExtendLease } from './subscriptions.api.ts';
import { LeaseBadge } from './subscription-status.tsx';
import { fieldMessage, formatCost, leaseSentence } from './subscription-helpers.ts';
import { Field, FormProblem, describedBy, fieldErrorsOf } from '../../components/form-parts.tsx';
import { useIdempotencyKey } from '../../components/use-idempotency-key.ts';

interface DecommissionDialogProps {
  sub: Subscription;
  open: boolean;
  onClose: () => void;
  onDone: (sub: Subscription) => void;
}

/**
 * "Type its name to confirm": decommissioning deprovisions it through the service's adapter
 * and ends billing at once, so it asks for more than a click.
 */
export function DecommissionDialog({ sub, open, onClose, onDone }: DecommissionDialogProps) {
  const uid = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const decommission = useDecommission(sub.id);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const matches = typed.trim() === sub.name.trim();
  const server = fieldErrorsOf(decommission.error);

  function close() {
    if (decommission.isPending) return;
    setTyped('');
    decommission.reset();
    onClose();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!matches) return;
    decommission.mutate(reason.trim() ? { reason: reason.trim() } : {}, {
      onSuccess: (s) => {
        setTyped('');
        setReason('');
        onDone(s);
      },
    });
  }

  return (
    <dialog
      ref={ref}
      className="dialog sub-dialog"
      aria-labelledby={`${uid}-title`}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <form className="dialog__body" onSubmit={submit} noValidate>
        <h2 id={`${uid}-title`} className="dialog__title">
          Decommission {sub.name}?
        </h2>
        <p>
          Portico asks the provider to <strong>remove it and everything on it</strong>. Billing ends now: this
          month it has cost {formatCost(sub.costThisMonth, sub.currency)}, and nothing more after this moment.
          This cannot be undone.
        </p>
        <Field
          id={`${uid}-name`}
          label={
            <>
              Type <strong className="mono">{sub.name}</strong> to confirm
            </>
          }
          required
        >
          <input
            id={`${uid}-name`}
            className="input"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoFocus
          />
        </Field>
        <Field id={`${uid}-reason`} label="Reason" error={fieldMessage('Reason', server.reason)}>
          <input
            id={`${uid}-reason`}
            className="input"
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={!!server.reason}
            aria-describedby={describedBy(`${uid}-reason`, undefined, server.reason)}
          />
        </Field>
        <FormProblem error={decommission.error} shownPaths={['reason']} />
        <div className="dialog__actions">
          <button type="button" className="btn btn--secondary" onClick={close}>
            Keep it
          </button>
          <button type="submit" className="btn btn--danger" disabled={!matches || decommission.isPending}>
            {decommission.isPending ? 'Decommissioning…' : 'Decommission'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

interface LeaseCardProps {
  sub: SubscriptionDetail;
  now: number;
  onPlaced: (placed: ChangePlaced, what: string) => void;
}

/**
 * The lease: when it ends, and a one-click extension. When the policy wants a reason the server
 * says so at the field, and the field appears for a second try.
 */
export function LeaseCard({ sub, now, onPlaced }: LeaseCardProps) {
  const uid = useId();
  const extend = useExtendLease(sub.id);
  const keyFor = useIdempotencyKey();
  const [justification, setJustification] = useState('');
  const lease = sub.lease;
  if (!lease) return null;

  const server = fieldErrorsOf(extend.error);
  const needsWhy = server.justification !== undefined || justification !== '';
  const pendingExtension = sub.pending?.purpose === 'extend' ? sub.pending : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const body = { justification: justification.trim() };
    extend.mutate(
      { body, idempotencyKey: keyFor(body) },
      { onSuccess: (placed) => onPlaced(placed, `Extension by ${lease!.extensionDays} days`) },
    );
  }

  return (
    <section className="card sub-o2" aria-labelledby={`${uid}-title`} data-testid="lease">
      <div className="card__head">
        <h2 className="card__title" id={`${uid}-title`}>
          Lease
        </h2>
        {sub.status === 'active' && <LeaseBadge lease={lease} now={now} />}
      </div>
      {sub.status !== 'active' ? (
        <p className="muted small">
          {sub.status === 'ended' ? 'It has ended.' : 'It is being decommissioned.'}
        </p>
      ) : (
        <>
          <p className="small">{leaseSentence(lease, now)}</p>
          {pendingExtension ? (
            <p className="small">
              An extension is on its way:{' '}
              <Link to={`/orders/${pendingExtension.orderId}`}>{pendingExtension.orderNumber}</Link>.
            </p>
          ) : sub.actions.extend ? (
            <form onSubmit={submit} noValidate className="sub-lease__form">
              {needsWhy && (
                <Field
                  id={`${uid}-why`}
                  label="Why extend"
                  required
                  error={fieldMessage('Justification', server.justification)}
                >
                  <textarea
                    id={`${uid}-why`}
                    className="input"
                    rows={2}
                    maxLength={2000}
                    value={justification}
                    onChange={(e) => setJustification(e.target.value)}
                    aria-invalid={!!server.justification}
                    aria-describedby={describedBy(`${uid}-why`, undefined, server.justification)}
                    autoFocus
                  />
                </Field>
              )}
              <FormProblem error={extend.error} shownPaths={['justification']} />
              <button type="submit" className="btn btn--primary btn--sm" disabled={extend.isPending}>
                {extend.isPending ? 'Extending…' : `Extend by ${lease.extensionDays} days`}
              </button>
            </form>
          ) : (
            <p className="small muted">
              {sub.pending
                ? `It can be extended once ${sub.pending.orderNumber} is through.`
                : 'Only its owner can extend it.'}
            </p>
          )}
        </>
      )}
    </section>
  );
}
