import type { ReactNode } from 'react';
import type { ApprovalChain, ApprovalRoute, ChainStage, PersonRef } from '@portico/shared';
import { StatusBadge, type Tone } from './status-badge.tsx';
import { formatDateTime } from './format.ts';

type StageState = ChainStage['status'] | 'planned';

const stageLabels: Record<StageState, string> = {
  planned: '',
  waiting: 'Not yet',
  pending: 'Waiting for a decision',
  approved: 'Approved',
  rejected: 'Rejected',
  // A stage left when the line was rejected or cancelled before it: nobody was asked.
  cancelled: 'Not asked',
};
const stageTones: Record<StageState, Tone> = {
  planned: 'neutral',
  waiting: 'neutral',
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  cancelled: 'neutral',
};
const stageMarks: Partial<Record<StageState, string>> = { approved: '✓', rejected: '✕', cancelled: '–' };

function who(people: PersonRef[], mode: 'any' | 'all'): string {
  const names = people.map((p) => p.name);
  if (names.length === 0) return 'Nobody found to ask';
  if (names.length === 1) return names[0]!;
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return mode === 'all' ? `${list} (each must approve)` : `${list} (any one of them)`;
}

interface StageStepProps {
  position: number;
  of: number;
  name: string;
  state: StageState;
  /** Marks the stage the viewer is asked to decide. */
  current?: boolean;
  children: ReactNode;
}

/** One numbered stage of a route or chain; planned, waiting, pending or decided. */
function StageStep({ position, of, name, state, current, children }: StageStepProps) {
  return (
    <li
      className={`route__stage route__stage--${state}${current ? ' route__stage--current' : ''}`}
      data-testid="route-stage"
      data-state={state}
    >
      <span className="route__marker" aria-hidden="true">
        {stageMarks[state] ?? position}
      </span>
      <div className="route__body">
        <p className="route__name">
          <span className="visually-hidden">
            Stage {position} of {of}:{' '}
          </span>
          {name}
          {state !== 'planned' && <StatusBadge tone={stageTones[state]}>{stageLabels[state]}</StatusBadge>}
          {current && <span className="badge badge--soft">You decide here</span>}
        </p>
        {children}
      </div>
    </li>
  );
}

/** The route's summary without repeating "Approved automatically" before it. */
function autoReason(summary: string): string {
  const rest = summary.replace(/^approved automatically[:,.]?\s*/i, '');
  return rest ? ` — ${rest}` : '';
}

/** Who would approve a request and why, before it is placed (cart, the policy tester). */
export function ApprovalRouteView({ route }: { route: ApprovalRoute }) {
  if (route.autoApproved || route.stages.length === 0) {
    return (
      <p className="route-auto" data-testid="route-auto">
        <span aria-hidden="true">✓ </span>
        <strong>Approved automatically</strong>
        {autoReason(route.summary)}
      </p>
    );
  }
  const of = route.stages.length;
  return (
    <div className="route">
      <p className="route__summary">{route.summary}</p>
      <ol className="route__stages">
        {route.stages.map((s) => (
          <StageStep key={s.position} position={s.position} of={of} name={s.name} state="planned">
            <p className="route__who">{who(s.approvers, s.mode)}</p>
            <p className="route__why">{s.why}</p>
          </StageStep>
        ))}
      </ol>
    </div>
  );
}

const decisionLabels: Record<ChainStage['approvals'][number]['status'], string> = {
  pending: 'asked',
  approved: 'approved',
  rejected: 'rejected',
  skipped: 'not needed',
  cancelled: 'cancelled',
};

/** A placed line's chain as it stands: each stage, who is asked, who decided what and when. */
export function ApprovalChainView({
  chain,
  currentPosition,
  showSummary = true,
}: {
  chain: ApprovalChain;
  /** The stage the viewer decides (the approver's screen). */
  currentPosition?: number;
  showSummary?: boolean;
}) {
  const of = chain.stages.length;
  return (
    <div className="route" data-testid="approval-chain" data-status={chain.status}>
      {showSummary && <p className="route__summary">{chain.summary}</p>}
      <ol className="route__stages">
        {chain.stages.map((s) => (
          <StageStep
            key={s.position}
            position={s.position}
            of={of}
            name={s.name}
            state={s.status}
            current={s.position === currentPosition && s.status === 'pending'}
          >
            {s.status === 'waiting' && s.planned.length > 0 && (
              <p className="route__who">
                {who(s.planned, s.mode)}
                <span className="muted"> — asked when the stage before is approved</span>
              </p>
            )}
            <ul className="route__decisions">
              {s.approvals.map((a, i) => (
                <li key={`${a.approver.id}-${i}`} className={`route__decision route__decision--${a.status}`}>
                  <span className="route__person">{a.approver.name}</span>{' '}
                  <span className="muted">{decisionLabels[a.status]}</span>
                  {a.decidedBy && a.decidedBy.id !== a.approver.id && (
                    <span className="muted"> by {a.decidedBy.name}, on their behalf</span>
                  )}
                  {a.decidedAt && (
                    <span className="muted small">
                      {' '}
                      · <time dateTime={a.decidedAt}>{formatDateTime(a.decidedAt)}</time>
                    </span>
                  )}
                  {a.escalated && (
                    <span className="badge status-badge--warning route__escalated">escalated</span>
                  )}
                  {a.comment && <q className="route__comment">{a.comment}</q>}
                </li>
              ))}
            </ul>
            <p className="route__why">
              {s.mode === 'all' && s.approvals.length > 1 ? 'Each of them must approve. ' : ''}
              {s.why}
            </p>
          </StageStep>
        ))}
      </ol>
    </div>
  );
}

/** The policies and rules that put a line on its route. */
export function MatchedRules({ matched }: { matched: ApprovalRoute['matched'] }) {
  if (matched.length === 0) return <p className="muted small">No policy rule matched: nothing to approve.</p>;
  return (
    <ul className="matched">
      {matched.map((m) => (
        <li key={`${m.policy}/${m.rule}`}>
          Policy <strong>{m.policy}</strong>, rule <strong>{m.rule}</strong>
        </li>
      ))}
    </ul>
  );
}
