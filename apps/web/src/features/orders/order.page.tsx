import { useEffect, useId, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { ApprovalChain, Order, OrderLine } from '@portico/shared';
import { isOrderSettled, useCancelLine, useOrder } from './orders.api.ts';
import { LineTracker } from './line-tracker.tsx';
import { OrderStatusBadge } from './order-status.tsx';
import { OrderTimeline } from './order-timeline.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { FormProblem } from '../../components/form-parts.tsx';
import { OptionsSummary } from '../../components/options-summary.tsx';
import { ApprovalChainView } from '../../components/approval-route.tsx';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  isZeroMoney,
  multiplyMoney,
} from '../../components/format.ts';

export function OrderPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  // Shown once, after checkout: the history entry forgets it, so a reload does not bring it back.
  const [justPlaced] = useState(() => (location.state as { justPlaced?: boolean } | null)?.justPlaced);
  useEffect(() => {
    if (location.state) void navigate('.', { replace: true, state: null });
  }, [location.state, navigate]);
  const order = useOrder(id);
  const cancel = useCancelLine(id);
  const [toCancel, setToCancel] = useState<OrderLine | null>(null);
  const [reason, setReason] = useState('');
  const uid = useId();

  if (order.isPending) return <LoadingState label="Loading your request…" />;
  if (order.isError) return <ErrorState error={order.error} onRetry={() => void order.refetch()} />;

  const o = order.data;
  const live = !isOrderSettled(o);
  const title = o.lines.length === 1 && o.lines[0] ? `${o.lines[0].service.name}` : `Order ${o.number}`;

  return (
    <div>
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/orders">My requests</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">{o.number}</span>
          </nav>
        }
        title={title}
        docTitle={`${o.number} ${title}`}
        subtitle={
          <>
            {o.number} · submitted {formatDateTime(o.createdAt)}
          </>
        }
        actions={<OrderStatusBadge status={o.status} />}
      />

      {justPlaced && (
        <div className="alert alert--success" role="status">
          <p className="alert__title">Request submitted</p>
          <p>
            {o.status === 'pending_approval'
              ? 'It is on its way to approval.'
              : 'Nothing needed approval: it goes straight to fulfilment.'}{' '}
            This page updates by itself — no need to refresh.
          </p>
        </div>
      )}

      <div className="order-layout">
        <section className="card" aria-labelledby="tracking-title">
          <div className="card__head">
            <h2 className="card__title" id="tracking-title">
              Tracking
            </h2>
            {live && (
              <span className="live-dot" title="This page refreshes every 5 seconds">
                Live
              </span>
            )}
          </div>
          <OrderTimeline order={o} expectedDelivery={o.expectedDeliveryDate} />
        </section>

        <div className="stack">
          <section className="card" aria-labelledby="items-title">
            <h2 className="card__title" id="items-title">
              What you ordered
            </h2>
            <ul className="line-list">
              {o.lines.map((l) => (
                <OrderLineItem key={l.id} order={o} line={l} onCancel={setToCancel} />
              ))}
            </ul>
            <FormProblem error={cancel.error} />
          </section>

          <section className="card" aria-labelledby="details-title">
            <h2 className="card__title" id="details-title">
              Details
            </h2>
            <dl className="facts">
              <div>
                <dt>Requested by</dt>
                <dd>{o.requester.name}</dd>
              </div>
              <div>
                <dt>Cost centre</dt>
                <dd>
                  {o.costCentre.code} — {o.costCentre.name}
                </dd>
              </div>
              <div>
                <dt>Needed by</dt>
                <dd>{o.neededBy ? formatDate(o.neededBy) : 'No date given'}</dd>
              </div>
              <div>
                <dt>SLA accepted</dt>
                <dd>{formatDateTime(o.slaAcceptedAt)}</dd>
              </div>
              <div className="facts__wide">
                <dt>Justification</dt>
                <dd className="prewrap">{o.justification}</dd>
              </div>
            </dl>
          </section>
        </div>
      </div>

      <ConfirmDialog
        open={toCancel !== null}
        title={`Cancel ${toCancel?.service.name ?? ''} · ${toCancel?.plan.name ?? ''}?`}
        confirmLabel="Cancel this item"
        cancelLabel="Keep it"
        busy={cancel.isPending}
        onCancel={() => setToCancel(null)}
        onConfirm={() => {
          if (!toCancel) return;
          const trimmed = reason.trim();
          cancel.mutate(
            { lineId: toCancel.id, ...(trimmed ? { reason: trimmed } : {}) },
            {
              onSettled: () => {
                setToCancel(null);
                setReason('');
              },
            },
          );
        }}
      >
        <p>It will not be delivered or charged; pending approvals for it are withdrawn.</p>
        <div className="field dialog__field">
          <label className="field__label" htmlFor={`${uid}-reason`}>
            Reason <span className="field__optional">(optional)</span>
          </label>
          <textarea
            id={`${uid}-reason`}
            className="input"
            rows={2}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
      </ConfirmDialog>
    </div>
  );
}

/** A line's approval in a few words: "waiting for Max Manager (stage 1 of 2)". */
function chainState(chain: ApprovalChain): string {
  const of = chain.stages.length;
  if (chain.status === 'pending') {
    const stage = chain.stages.find((s) => s.status === 'pending');
    if (!stage) return 'waiting';
    const names = stage.approvals.filter((a) => a.status === 'pending').map((a) => a.approver.name);
    return `waiting for ${names.join(', ') || stage.name} (stage ${stage.position} of ${of})`;
  }
  if (chain.status === 'approved')
    return of === 0 ? 'approved automatically' : `approved (${of === 1 ? 'one stage' : `${of} stages`})`;
  return chain.status === 'rejected' ? 'rejected' : 'withdrawn';
}

interface OrderLineItemProps {
  order: Order;
  line: OrderLine;
  onCancel: (line: OrderLine) => void;
}

/** One ordered item: price, options, status, expected date, its approval record and Cancel. */
function OrderLineItem({ order, line: l, onCancel }: OrderLineItemProps) {
  const showStatus = order.lines.length > 1 || l.status === 'cancelled';
  return (
    <li
      className={`line-item${l.status === 'cancelled' ? ' line-item--cancelled' : ''}`}
      data-testid="order-line"
    >
      <div className="line-item__main">
        <p className="line-item__name">
          <Link to={`/s/${encodeURIComponent(l.service.slug)}`}>{l.service.name}</Link>
          <span className="muted"> · {l.plan.name}</span>
        </p>
        <p className="line-item__price">
          {l.quantity} × {formatMoney(l.monthlyPrice, l.currency)}/month
          {!isZeroMoney(l.oneTimePrice) && (
            <> + {formatMoney(multiplyMoney(l.oneTimePrice, l.quantity), l.currency)} once</>
          )}
        </p>
        <OptionsSummary shown={l.optionsShown} />
        <LineTracker order={order} line={l} />
        {l.approval && (
          <details className="line-item__approval">
            <summary className="small">Approval: {chainState(l.approval)}</summary>
            <ApprovalChainView chain={l.approval} />
          </details>
        )}
        {l.subscriptionId && (
          <Link to={`/services/${l.subscriptionId}`} className="small">
            Open in My services →
          </Link>
        )}
      </div>
      <div className="line-item__side">
        <span>
          <strong>{formatMoney(multiplyMoney(l.monthlyPrice, l.quantity), l.currency)}</strong>
          <span className="muted small">/month</span>
        </span>
        {showStatus && <OrderStatusBadge status={l.status} />}
        {l.cancellable && (
          <button
            type="button"
            className="btn btn--danger-outline btn--sm"
            onClick={() => onCancel(l)}
            aria-label={`Cancel line: ${l.service.name} · ${l.plan.name}`}
          >
            Cancel line
          </button>
        )}
      </div>
    </li>
  );
}
