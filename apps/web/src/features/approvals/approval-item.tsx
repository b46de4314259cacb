import { useId, useState } from 'react';
import type { Approval } from '@portico/shared';
import { useDecide } from './approvals.api.ts';
import { isApiError } from '../../app/api-client.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { FormProblem } from '../../components/form-parts.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import {
  formatDateTime,
  formatDuration,
  formatMoney,
  isZeroMoney,
  multiplyMoney,
} from '../../components/format.ts';

export interface Outcome {
  tone: 'success' | 'error';
  text: string;
}

interface ApprovalItemProps {
  approval: Approval;
  now: number;
  /** Told about results that outlive this item (it leaves the pending list once decided). */
  onOutcome: (outcome: Outcome) => void;
}

export function ApprovalItem({ approval: a, now, onOutcome }: ApprovalItemProps) {
  const uid = useId();
  const decide = useDecide();
  const [comment, setComment] = useState('');
  const [confirmReject, setConfirmReject] = useState(false);
  const pending = a.status === 'pending';
  const waited = formatDuration(now - new Date(a.createdAt).getTime());

  function send(decision: 'approve' | 'reject') {
    const trimmed = comment.trim();
    const what = `${a.order.number} (${a.line.service.name} for ${a.order.requester.name})`;
    decide.mutate(
      { id: a.id, body: { decision, ...(trimmed ? { comment: trimmed } : {}) } },
      {
        onSuccess: (res) =>
          onOutcome({
            tone: 'success',
            text: `${res.status === 'rejected' ? 'Rejected' : 'Approved'} ${what}.`,
          }),
        onError: (err) => {
          // Someone else decided first: the item is about to leave the list, so say it above.
          if (isApiError(err) && err.status === 409)
            onOutcome({
              tone: 'error',
              text: `${what}: ${err.problem.detail ?? err.problem.title}. The list has been refreshed.`,
            });
        },
        onSettled: () => setConfirmReject(false),
      },
    );
  }

  const l = a.line;
  return (
    <article
      className={`card approval${pending ? '' : ' approval--decided'}`}
      data-testid="approval-item"
      data-status={a.status}
      aria-labelledby={`${uid}-title`}
    >
      <header className="approval__head">
        <div>
          <p className="approval__eyebrow">
            {a.order.number} · from <strong>{a.order.requester.name}</strong>
          </p>
          <h2 className="approval__title" id={`${uid}-title`}>
            {l.service.name} <span className="muted">· {l.plan.name}</span>
            {l.quantity > 1 && <span className="muted"> × {l.quantity}</span>}
          </h2>
        </div>
        {pending ? (
          <span className="waiting" title={`Submitted ${formatDateTime(a.createdAt)}`}>
            {waited === 'just now' ? 'just arrived' : `waiting ${waited}`}
          </span>
        ) : (
          <StatusBadge tone={a.status === 'approved' ? 'success' : 'danger'}>
            {a.status === 'approved' ? 'Approved' : 'Rejected'}
          </StatusBadge>
        )}
      </header>

      <div className="approval__grid">
        <dl className="facts facts--compact">
          <div>
            <dt>Monthly</dt>
            <dd>
              <strong>{formatMoney(multiplyMoney(l.monthlyPrice, l.quantity), l.currency)}</strong>
              {l.quantity > 1 && (
                <span className="muted small">
                  {' '}
                  ({l.quantity} × {formatMoney(l.monthlyPrice, l.currency)})
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>One-time</dt>
            <dd>
              {isZeroMoney(l.oneTimePrice)
                ? 'none'
                : formatMoney(multiplyMoney(l.oneTimePrice, l.quantity), l.currency)}
            </dd>
          </div>
          <div>
            <dt>Cost centre</dt>
            <dd>
              {a.order.costCentre.code} — {a.order.costCentre.name}
            </dd>
          </div>
          <div>
            <dt>Requested by</dt>
            <dd>
              {a.order.requester.name} <span className="muted small">{a.order.requester.email}</span>
            </dd>
          </div>
        </dl>
        <div className="approval__why">
          <p className="approval__label">Justification</p>
          <blockquote className="quote prewrap">{a.order.justification}</blockquote>
          <p className="approval__reason">
            <span aria-hidden="true">🧭 </span>
            <span className="muted">Routed to you because:</span> {a.reason}
          </p>
        </div>
      </div>

      {pending ? (
        <div className="approval__actions">
          <div className="field approval__comment">
            <label className="field__label" htmlFor={`${uid}-comment`}>
              Comment <span className="field__optional">(optional)</span>
            </label>
            <textarea
              id={`${uid}-comment`}
              className="input"
              rows={2}
              maxLength={2000}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="A note for the requester"
            />
          </div>
          {decide.isError && <FormProblem error={decide.error} />}
          <div className="btn-row">
            <button
              type="button"
              className="btn btn--success"
              onClick={() => send('approve')}
              disabled={decide.isPending}
            >
              Approve
            </button>
            <button
              type="button"
              className="btn btn--danger-outline"
              onClick={() => setConfirmReject(true)}
              disabled={decide.isPending}
            >
              Reject
            </button>
          </div>
          <ConfirmDialog
            open={confirmReject}
            title={`Reject ${l.service.name} for ${a.order.requester.name}?`}
            confirmLabel="Yes, reject"
            busy={decide.isPending}
            onConfirm={() => send('reject')}
            onCancel={() => setConfirmReject(false)}
          >
            <p>
              The request {a.order.number} will not be fulfilled, and {a.order.requester.name} is told.
              {comment.trim()
                ? ' Your comment goes with it.'
                : ' Consider adding a comment so they know why.'}
            </p>
          </ConfirmDialog>
        </div>
      ) : (
        <footer className="approval__decided muted small">
          Decided {a.decidedAt ? formatDateTime(a.decidedAt) : ''}
          {a.comment && (
            <>
              {' '}
              — “<span className="prewrap">{a.comment}</span>”
            </>
          )}
        </footer>
      )}
    </article>
  );
}
