import type { Order, TimelineEvent } from '@portico/shared';
import { ApprovalChainView } from '../../components/approval-route.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';

type Stage = 'submitted' | 'approved' | 'in_fulfilment' | 'delivered';
const stages: Stage[] = ['submitted', 'approved', 'in_fulfilment', 'delivered'];

const doneLabels: Record<TimelineEvent['kind'], string> = {
  submitted: 'Request submitted',
  stage_approved: 'Approval stage passed',
  escalated: 'Reminder sent higher up',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  in_fulfilment: 'In fulfilment',
  step_started: 'Step started',
  step_done: 'Step done',
  step_failed: 'Held up',
  delivered: 'Delivered',
  note: 'Update',
};

const upcoming: Record<Exclude<Stage, 'submitted'>, { label: string; waiting: string }> = {
  approved: { label: 'Approval', waiting: 'Waiting for a decision' },
  in_fulfilment: { label: 'Fulfilment', waiting: 'The delivering team starts after approval' },
  delivered: { label: 'Delivered', waiting: 'Your service appears under My services' },
};

const icons: Record<TimelineEvent['kind'], string> = {
  submitted: '📝',
  stage_approved: '✓',
  escalated: '⏫',
  approved: '✓',
  rejected: '✕',
  cancelled: '⊘',
  in_fulfilment: '⚙',
  step_started: '▸',
  step_done: '✓',
  step_failed: '!',
  delivered: '📦',
  note: '💬',
};

const statusStage: Record<Order['status'], number> = {
  pending_approval: 0,
  approved: 1,
  in_fulfilment: 2,
  partially_delivered: 2,
  delivered: 3,
  rejected: 0,
  cancelled: 0,
};

interface OrderTimelineProps {
  order: Order;
  /** An estimated delivery date (YYYY-MM-DD), when one can be worked out. */
  expectedDelivery?: string | null;
}

/** A parcel-tracker timeline: what happened, oldest first, then the steps still to come greyed out. */
export function OrderTimeline({ order, expectedDelivery }: OrderTimelineProps) {
  const events = [...order.timeline].sort((a, b) => a.at.localeCompare(b.at));
  const multiLine = order.lines.length > 1;
  const lineName = (id: string | null) => {
    if (!multiLine || !id) return null;
    const l = order.lines.find((x) => x.id === id);
    return l ? `${l.service.name} · ${l.plan.name}` : null;
  };

  // Lines still in approval show their chain where the approval step is: who is asked, who decided.
  const inApproval = order.lines.filter((l) => l.approval?.status === 'pending');
  // While any line waits for approval the order has not passed that step, whatever its other lines did.
  const reached = inApproval.length
    ? 0
    : Math.max(statusStage[order.status], ...events.map((e) => stages.indexOf(e.kind as Stage)));
  const stopped = order.status === 'rejected' || order.status === 'cancelled';
  const future = stopped ? [] : stages.slice(reached + 1);
  const lastIndex = events.length - 1;

  return (
    <ol className="timeline">
      {events.map((e, i) => (
        <li
          key={`${e.kind}-${e.at}-${i}`}
          className={`timeline__item timeline__item--${e.kind}${i === lastIndex && future.length ? ' timeline__item--latest' : ''}`}
          data-testid="timeline-event"
          data-kind={e.kind}
        >
          <span className="timeline__dot" aria-hidden="true">
            {icons[e.kind]}
          </span>
          <div className="timeline__body">
            <p className="timeline__title">
              {doneLabels[e.kind]}
              {lineName(e.lineId) && <span className="muted"> — {lineName(e.lineId)}</span>}
            </p>
            <p className="timeline__meta">
              <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              {e.actor && <> · {e.actor}</>}
            </p>
            {e.note && <p className="timeline__note">{e.note}</p>}
          </div>
        </li>
      ))}
      {future.map((stage, i) => {
        const u = upcoming[stage as Exclude<Stage, 'submitted'>];
        const next = i === 0;
        return (
          <li
            key={stage}
            className={`timeline__item timeline__item--upcoming${next ? ' timeline__item--next' : ''}`}
            data-testid="timeline-upcoming"
            data-kind={stage}
          >
            <span className="timeline__dot" aria-hidden="true" />
            <div className="timeline__body">
              <p className="timeline__title">
                {u.label}
                <span className="visually-hidden"> (not yet)</span>
              </p>
              <p className="timeline__meta">
                {stage === 'delivered' && expectedDelivery
                  ? `Expected around ${formatDate(expectedDelivery)}`
                  : next
                    ? u.waiting
                    : 'Not yet'}
              </p>
              {stage === 'approved' && inApproval.length > 0 && (
                <div className="timeline__chains">
                  {inApproval.map((l) => (
                    <div key={l.id} className="timeline__chain" data-testid="line-chain">
                      {multiLine && (
                        <p className="timeline__chain-line">
                          {l.service.name} · {l.plan.name}
                        </p>
                      )}
                      {l.approval && <ApprovalChainView chain={l.approval} />}
                    </div>
                  ))}
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
