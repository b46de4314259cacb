import { Link } from 'react-router';
import type { Subscription } from '@portico/shared';
import { useSubscriptions } from './subscriptions.api.ts';
import { OutputsList, SubscriptionStatusBadge } from './subscription-status.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/states.tsx';
import { formatMoney, sumMoney } from '../../components/format.ts';

function monthlyTotals(subs: Subscription[]): string[] {
  const byCurrency = new Map<string, string[]>();
  for (const s of subs.filter((x) => x.status === 'active')) {
    byCurrency.set(s.currency, [...(byCurrency.get(s.currency) ?? []), s.monthlyPrice]);
  }
  return [...byCurrency].map(([cur, amounts]) => formatMoney(sumMoney(amounts), cur));
}

export function SubscriptionListPage() {
  const subs = useSubscriptions();
  const active = subs.data?.filter((s) => s.status === 'active').length ?? 0;
  const totals = subs.data ? monthlyTotals(subs.data) : [];

  return (
    <div>
      <PageHeader
        title="My services"
        subtitle={
          subs.data && subs.data.length > 0
            ? `${active} active${totals.length ? ` · ${totals.join(' + ')} a month` : ''}`
            : 'What you own, and where to get help with it.'
        }
      />
      {subs.isPending ? (
        <SkeletonGrid count={3} label="Loading your services…" />
      ) : subs.isError ? (
        <ErrorState error={subs.error} onRetry={() => void subs.refetch()} />
      ) : subs.data.length === 0 ? (
        <EmptyState
          icon="📦"
          title="You do not own any services yet"
          action={
            <Link to="/" className="btn btn--primary">
              Browse the catalogue
            </Link>
          }
        >
          Once something you ordered is delivered, it shows up here.
        </EmptyState>
      ) : (
        <div className="card-grid">
          {[...subs.data]
            .sort((a, b) =>
              a.status === b.status ? b.startedAt.localeCompare(a.startedAt) : a.status === 'active' ? -1 : 1,
            )
            .map((s) => (
              <SubscriptionCard key={s.id} sub={s} />
            ))}
        </div>
      )}
    </div>
  );
}

function SubscriptionCard({ sub: s }: { sub: Subscription }) {
  return (
    <article
      className={`card subscription-card${s.status === 'ended' ? ' subscription-card--ended' : ''}`}
      data-testid="subscription-card"
      data-status={s.status}
    >
      <div className="service-card__top">
        <ServiceIcon icon={s.service.icon} name={s.service.name} kind={s.service.kind} />
        <SubscriptionStatusBadge status={s.status} />
      </div>
      <h2 className="service-card__name">
        <Link to={`/services/${s.id}`} className="stretched-link">
          {s.name}
        </Link>
      </h2>
      <p className="muted small">
        {s.service.name} · {s.plan.name}
        {s.quantity > 1 && ` × ${s.quantity}`}
      </p>
      <OutputsList outputs={s.outputs} />
      <dl className="facts facts--compact subscription-card__facts">
        <div>
          <dt>Monthly</dt>
          <dd>{formatMoney(s.monthlyPrice, s.currency)}</dd>
        </div>
        <div>
          <dt>Cost centre</dt>
          <dd>{s.costCentre.code}</dd>
        </div>
        <div>
          <dt>SLA</dt>
          <dd>
            {s.sla.name} · {s.sla.availability}
          </dd>
        </div>
      </dl>
    </article>
  );
}
