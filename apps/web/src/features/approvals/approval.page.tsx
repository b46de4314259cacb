import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApproval } from './approvals.api.ts';
import { ApprovalItem, type Outcome } from './approval-item.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { useNow } from '../../components/use-now.ts';

/** One approval on its own page (where notifications lead), opened at its details. */
export function ApprovalPage() {
  const { id = '' } = useParams();
  const approval = useApproval(id);
  const now = useNow();
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const a = approval.data;
  return (
    <div>
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/approvals">Approvals</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">{a ? a.order.number : 'Approval'}</span>
          </nav>
        }
        title={a ? `Decide: ${a.line.service.name}` : 'Approval'}
        subtitle={a ? `${a.order.number} for ${a.order.requester.name}` : undefined}
      />
      <div aria-live="polite">
        {outcome && (
          <div className={`alert alert--${outcome.tone}`}>
            <p>{outcome.text}</p>
            <p>
              <Link to="/approvals">Back to the approvals waiting for you</Link>
            </p>
          </div>
        )}
      </div>
      {approval.isPending ? (
        <LoadingState label="Loading the approval…" />
      ) : approval.isError ? (
        <ErrorState error={approval.error} onRetry={() => void approval.refetch()} />
      ) : (
        <ApprovalItem approval={approval.data} now={now} onOutcome={setOutcome} expanded />
      )}
    </div>
  );
}
