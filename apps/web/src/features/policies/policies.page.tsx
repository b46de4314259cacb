import { Link, useSearchParams } from 'react-router';
import { usePolicies } from './policies.api.ts';
import { PolicyTester } from './policy-tester.tsx';
import { BusinessCalendarSection } from '../calendar/business-calendar-section.tsx';
import { RequireRole } from '../session/require-role.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { formatAgo, plural } from '../../components/format.ts';

type Tab = 'policies' | 'test' | 'calendar';

export function PoliciesPage() {
  return (
    <RequireRole
      roles={['admin']}
      title="Approval policies"
      who="For administrators"
      page={<PoliciesAdmin />}
    >
      Approval policies decide who approves what. Ask an administrator to change one.
    </RequireRole>
  );
}

function PoliciesAdmin() {
  const [params] = useSearchParams();
  const tab: Tab =
    params.get('tab') === 'test' ? 'test' : params.get('tab') === 'calendar' ? 'calendar' : 'policies';
  const policies = usePolicies();
  return (
    <div>
      <PageHeader
        title="Approval policies"
        subtitle="Who approves what: rules on cost, kind, department and budget route each line to its approvers."
        actions={
          <Link to="/admin/policies/new" className="btn btn--primary">
            New policy
          </Link>
        }
      />
      <Tabs
        label="Policy administration"
        value={tab}
        items={[
          { value: 'policies', label: 'Policies', to: '/admin/policies', count: policies.data?.length },
          { value: 'test', label: 'Who would approve?', to: '/admin/policies?tab=test' },
          { value: 'calendar', label: 'Business calendar', to: '/admin/policies?tab=calendar' },
        ]}
      />
      {tab === 'test' ? (
        <PolicyTester />
      ) : tab === 'calendar' ? (
        <BusinessCalendarSection />
      ) : policies.isPending ? (
        <LoadingState label="Loading policies…" />
      ) : policies.isError ? (
        <ErrorState error={policies.error} onRetry={() => void policies.refetch()} />
      ) : policies.data.length === 0 ? (
        <EmptyState
          icon="🧭"
          title="No approval policies"
          action={
            <Link to="/admin/policies/new" className="btn btn--primary">
              Create the first policy
            </Link>
          }
        >
          Without a policy every request is approved automatically.
        </EmptyState>
      ) : (
        <ul className="admin-list" aria-label="Approval policies">
          {[...policies.data]
            .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name))
            .map((p) => (
              <li key={p.id} className="admin-row" data-testid="policy-row">
                <span className="policy-priority" title="Priority: lower runs first">
                  <span className="visually-hidden">Priority </span>
                  {p.priority}
                </span>
                <div className="admin-row__main">
                  <p className="admin-row__name">
                    <Link to={`/admin/policies/${p.id}`} className="stretched-link">
                      {p.name}
                    </Link>
                  </p>
                  <p className="admin-row__meta muted small">
                    {plural(p.rules.length, 'rule')} · reminds after {p.remindAfterHours} h, escalates after{' '}
                    {p.escalateAfterHours} h · changed {formatAgo(p.updatedAt)}
                    {p.description && ` · ${p.description}`}
                  </p>
                </div>
                <div className="admin-row__side">
                  <StatusBadge tone={p.active ? 'success' : 'neutral'}>
                    {p.active ? 'Active' : 'Off'}
                  </StatusBadge>
                </div>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
