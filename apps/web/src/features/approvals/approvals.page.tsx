import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Approval } from '@portico/shared';
import { useApprovals, type ApprovalTab } from './approvals.api.ts';
import { ApprovalItem, type Outcome } from './approval-item.tsx';
import { hasRole } from '../session/session.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { useNow } from '../../components/use-now.ts';

function sortForTab(items: Approval[], tab: ApprovalTab): Approval[] {
  return [...items].sort((a, b) =>
    tab === 'pending'
      ? a.createdAt.localeCompare(b.createdAt) // the longest-waiting first
      : (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''),
  );
}

export function ApprovalsPage() {
  const me = useCurrentUser();
  const [params] = useSearchParams();
  const tab: ApprovalTab = params.get('tab') === 'decided' ? 'decided' : 'pending';
  const pending = useApprovals('pending');
  const decided = useApprovals('decided', tab === 'decided');
  const current = tab === 'pending' ? pending : decided;
  const now = useNow();
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  return (
    <div>
      <PageHeader title="Approvals" subtitle="Requests routed to you. The longest-waiting are at the top." />
      {!hasRole(me, 'approver') && pending.data?.length === 0 && (
        <p className="alert alert--info">
          Approvals come here when a policy names you or your team, or when someone makes you their delegate
          while they are away.
        </p>
      )}
      <div aria-live="polite">
        {outcome && (
          <div className={`alert alert--${outcome.tone} alert--dismissible`}>
            <p>{outcome.text}</p>
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              onClick={() => setOutcome(null)}
              aria-label="Dismiss message"
            >
              ✕
            </button>
          </div>
        )}
      </div>
      <Tabs
        label="Approval lists"
        value={tab}
        items={[
          { value: 'pending', label: 'Pending', to: '/approvals', count: pending.data?.length },
          { value: 'decided', label: 'Decided', to: '/approvals?tab=decided' },
        ]}
      />
      {current.isPending ? (
        <LoadingState label="Loading approvals…" />
      ) : current.isError ? (
        <ErrorState error={current.error} onRetry={() => void current.refetch()} />
      ) : current.data.length === 0 ? (
        tab === 'pending' ? (
          <EmptyState icon="🎉" title="Nothing waits for you">
            All caught up — new requests routed to you appear here.
          </EmptyState>
        ) : (
          <EmptyState icon="🗂️" title="No decisions yet">
            Requests you approve or reject are kept here.
          </EmptyState>
        )
      ) : (
        <ul className="stack" aria-label={tab === 'pending' ? 'Pending approvals' : 'Decided approvals'}>
          {sortForTab(current.data, tab).map((a) => (
            <li key={a.id}>
              <ApprovalItem approval={a} now={now} onOutcome={setOutcome} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
