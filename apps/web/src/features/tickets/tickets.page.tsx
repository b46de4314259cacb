import { Link, useSearchParams } from 'react-router';
import { useTickets, type TicketScope } from './tickets.api.ts';
import { TicketStatusBadge } from './ticket-status.tsx';
import { hasRole } from '../session/session.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { formatAgo, formatDateTime } from '../../components/format.ts';

export function TicketsPage() {
  const me = useCurrentUser();
  const [params] = useSearchParams();
  const teamTab = hasRole(me, 'fulfiller');
  const scope: TicketScope = teamTab && params.get('scope') === 'team' ? 'team' : 'mine';
  const tickets = useTickets(scope);

  return (
    <div>
      <PageHeader
        title="Tickets"
        subtitle={
          scope === 'mine'
            ? 'Problems you reported. Raise a new one from the service under My services.'
            : 'Tickets for the teams you work in.'
        }
      />
      {teamTab && (
        <Tabs
          label="Ticket lists"
          value={scope}
          items={[
            { value: 'mine', label: 'Mine', to: '/tickets' },
            { value: 'team', label: 'My teams', to: '/tickets?scope=team' },
          ]}
        />
      )}
      {tickets.isPending ? (
        <LoadingState label="Loading tickets…" />
      ) : tickets.isError ? (
        <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} />
      ) : tickets.data.length === 0 ? (
        scope === 'mine' ? (
          <EmptyState
            icon="🧘"
            title="No tickets"
            action={
              <Link to="/services" className="btn btn--secondary">
                Go to My services
              </Link>
            }
          >
            Something not working? Open the service under My services and press “Something's wrong”.
          </EmptyState>
        ) : (
          <EmptyState icon="☕" title="No tickets for your teams">
            Tickets raised against services your teams run appear here.
          </EmptyState>
        )
      ) : (
        <ul className="ticket-table" aria-label={scope === 'mine' ? 'My tickets' : 'Team tickets'}>
          <li className="ticket-table__head" aria-hidden="true">
            <span>Ticket</span>
            <span>Service</span>
            {scope === 'team' ? <span>Raised by</span> : <span>Team</span>}
            <span>Opened</span>
            <span>Status</span>
          </li>
          {[...tickets.data]
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
            .map((t) => (
              <li key={t.id} className="ticket-row" data-testid="ticket-row" data-status={t.status}>
                <span className="ticket-row__main">
                  <span className="ticket-row__number">{t.number}</span>
                  <span className="ticket-row__summary">{t.summary}</span>
                </span>
                <span className="ticket-row__cell">
                  <span className="ticket-row__label">Service: </span>
                  {scope === 'mine' ? (
                    <Link to={`/services/${t.subscription.id}`}>{t.subscription.name}</Link>
                  ) : (
                    t.subscription.name
                  )}
                  <span className="muted small block">{t.subscription.service}</span>
                </span>
                <span className="ticket-row__cell">
                  <span className="ticket-row__label">{scope === 'team' ? 'Raised by: ' : 'Team: '}</span>
                  {scope === 'team' ? t.requester.name : t.team.name}
                </span>
                <span className="ticket-row__cell muted" title={formatDateTime(t.createdAt)}>
                  <span className="ticket-row__label">Opened: </span>
                  {formatAgo(t.createdAt)}
                </span>
                <span className="ticket-row__cell">
                  <TicketStatusBadge status={t.status} />
                </span>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
