import { useId, useState } from 'react';
import { Link } from 'react-router';
import type { Approval } from '@portico/shared';
import { useDecide } from './approvals.api.ts';
import { ApprovalDetails } from './approval-details.tsx';
import { isApiError } from '../../app/api-client.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { FormProblem } from '../../components/form-parts.tsx';
import { StatusBadge, type Tone } from '../../components/status-badge.tsx';
import { MoneyBreakdown } from '../../components/money-breakdown.tsx';
import { formatDate, formatDateTime, formatDuration, multiplyMoney } from '../../components/format.ts';

export interface Outcome {
  tone: 'success' | 'error';
  text: string;
}

interface ApprovalItemProps {
  approval: Approval;
  now: number;
  /** Told about results that outlive this item (it leaves the pending list once decided). */
  onOutcome: (outcome: Outcome) => void;
  /** Open with the budget, policy and chain showing (the approval's own page). */
  expanded?: boolean;
}

const statusLabels: Record<Approval['status'], [string, Tone]> = {
  pending: ['Pending', 'warning'],
  approved: ['Approved', 'success'],
  rejected: ['Rejected', 'danger'],
  skipped: ['Not needed', 'neutral'],
  cancelled: ['Withdrawn', 'neutral'],
};

/** Everything an approver needs to decide on one card: what, for whom, why, the cost; then one click. */
export function ApprovalItem({ approval: a, now, onOutcome, expanded = false }: ApprovalItemProps) {
  const uid = useId();
  const decide = useDecide();
  const [comment, setComment] = useState('');
  const [confirmReject, setConfirmReject] = useState(false);
  const [open, setOpen] = useState(expanded);
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
  const [statusLabel, statusTone] = statusLabels[a.status];
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
            {a.order.department && <> ({a.order.department})</>}
            {a.onBehalfOf && (
              <span className="approval__behalf">
                {' '}
                · you decide on behalf of <strong>{a.onBehalfOf.name}</strong>
              </span>
            )}
          </p>
          <h2 className="approval__title" id={`${uid}-title`}>
            {expanded ? (
              l.service.name
            ) : (
              <Link to={`/approvals/${a.id}`} className="approval__link">
                {l.service.name}
              </Link>
            )}{' '}
            <span className="muted">· {l.plan.name}</span>
            {l.quantity > 1 && <span className="muted"> × {l.quantity}</span>}
          </h2>
        </div>
        {pending ? (
          <span className="waiting" title={`Submitted ${formatDateTime(a.createdAt)}`}>
            {waited === 'just now' ? 'just arrived' : `waiting ${waited}`}
          </span>
        ) : (
          <StatusBadge tone={statusTone}>{statusLabel}</StatusBadge>
        )}
      </header>

      <div className="approval__grid">
        <div>
          <MoneyBreakdown
            currency={l.currency}
            oneTime={multiplyMoney(l.oneTimePrice, l.quantity)}
            monthly={multiplyMoney(l.monthlyPrice, l.quantity)}
            firstYear={l.firstYearCost}
          />
          <dl className="facts facts--compact approval__facts">
            <div>
              <dt>Cost centre</dt>
              <dd>
                {a.order.costCentre.code} — {a.order.costCentre.name}
              </dd>
            </div>
            <div>
              <dt>Needed by</dt>
              <dd>{a.order.neededBy ? formatDate(a.order.neededBy) : 'No date given'}</dd>
            </div>
            <div>
              <dt>Requested by</dt>
              <dd>
                {a.order.requester.name} <span className="muted small block">{a.order.requester.email}</span>
              </dd>
            </div>
            <div>
              <dt>Your stage</dt>
              <dd>
                {a.stage.position} of {a.stage.of} · {a.stage.name}
              </dd>
            </div>
          </dl>
        </div>
        <div className="approval__why">
          <p className="approval__label">Justification</p>
          <blockquote className="quote prewrap">{a.order.justification}</blockquote>
          <p className="approval__reason">
            <span aria-hidden="true">🧭 </span>
            <span className="muted">Routed to you because:</span> {a.reason}
          </p>
          {a.budget && a.budget.outcome !== 'within' && a.budget.outcome !== 'none' && (
            <p className={`approval__budget-flag approval__budget-flag--${a.budget.outcome}`}>
              <span aria-hidden="true">⚠ </span>
              {a.budget.message}
            </p>
          )}
        </div>
      </div>

      <button
        type="button"
        className="disclosure"
        aria-expanded={open}
        aria-controls={`${uid}-details`}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="disclosure__chevron" aria-hidden="true" />
        {open ? 'Hide' : 'Show'} options, budget impact and approval chain
      </button>
      <div id={`${uid}-details`} hidden={!open}>
        {open && <ApprovalDetails approval={a} />}
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
              The request {a.order.number} will not be fulfilled, and {a.order.requester.name} is told why.
            </p>
            <div className="field dialog__field">
              <label className="field__label" htmlFor={`${uid}-reject-comment`}>
                Why not? <span className="field__optional">(recommended)</span>
              </label>
              <textarea
                id={`${uid}-reject-comment`}
                className="input"
                rows={3}
                maxLength={2000}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                placeholder="e.g. Please use the shared build farm instead"
              />
            </div>
          </ConfirmDialog>
        </div>
      ) : (
        <footer className="approval__decided muted small">
          {statusLabel} {a.decidedAt ? formatDateTime(a.decidedAt) : ''}
          {a.decidedBy && <> by {a.decidedBy.name}</>}
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
