import { Link } from 'react-router';
import type { CostCentreCostsSummary } from '@portico/shared';
import { useCostSummaries } from './costs.api.ts';
import { ChargeModeBadge, CostsError, CostBudgetBar, MonthStateBadge, UnpricedMark } from './cost-parts.tsx';
import { monthName } from './cost-helpers.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, SkeletonGrid } from '../../components/states.tsx';
import { formatMoney } from '../../components/format.ts';

/** The cost centres the signed-in person owns (finance: all), each with its running month. */
export function CostsPage() {
  const summaries = useCostSummaries();
  return (
    <div>
      <PageHeader
        title="Costs"
        subtitle="What your cost centres are charged: this month so far, where it is heading, and the statements of past months."
      />
      {summaries.isPending ? (
        <SkeletonGrid count={2} label="Loading cost centres…" />
      ) : summaries.isError ? (
        <CostsError error={summaries.error} onRetry={() => void summaries.refetch()} />
      ) : summaries.data.length === 0 ? (
        <EmptyState icon="💶" title="No cost centres of yours">
          Costs are shown to the owner of a cost centre and to finance. You do not own one; what your own
          subscriptions cost so far is on each of them under My services.
        </EmptyState>
      ) : (
        <ul className="cc-grid" aria-label="Cost centres">
          {summaries.data.map((s) => (
            <li key={s.costCentre.code}>
              <CostCentreCard summary={s} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CostCentreCard({ summary: s }: { summary: CostCentreCostsSummary }) {
  const money = (a: string) => formatMoney(a, s.currency);
  return (
    <article className="card cc-card costs-card" data-testid="costs-card" data-code={s.costCentre.code}>
      <header className="cc-card__head">
        <div>
          <h2 className="cc-card__title">
            <Link to={`/costs/${encodeURIComponent(s.costCentre.code)}`}>{s.costCentre.code}</Link>{' '}
            <span className="muted">— {s.costCentre.name}</span>
          </h2>
          <p className="muted small">
            Owner {s.owner?.name ?? 'not set'} · {monthName(s.month)}
          </p>
        </div>
        <ChargeModeBadge mode={s.chargeMode} />
      </header>
      <dl className="costs-card__figures">
        <div>
          <dt>Month to date</dt>
          <dd className="costs-card__big">
            {money(s.monthToDate)}
            <UnpricedMark unpriced={s.unpriced} />
          </dd>
        </div>
        <div>
          <dt>Forecast</dt>
          <dd className="costs-card__big costs-card__big--forecast">{money(s.forecast)}</dd>
        </div>
        <div>
          <dt>Budget</dt>
          <dd className="costs-card__big">
            {s.budget ? money(s.budget) : <span className="muted">none</span>}
          </dd>
        </div>
      </dl>
      {s.budget && (
        <CostBudgetBar
          label={`${s.costCentre.code} budget this month`}
          currency={s.currency}
          used={s.monthToDate}
          forecast={s.forecast}
          budget={s.budget}
          compact
        />
      )}
      <p className="costs-card__last small">
        <span>
          <Link to={`/costs/${encodeURIComponent(s.costCentre.code)}?month=${s.lastMonth.month}`}>
            {monthName(s.lastMonth.month)}
          </Link>
          : {money(s.lastMonth.total)}
        </span>
        <MonthStateBadge state={s.lastMonth.state} />
      </p>
    </article>
  );
}
