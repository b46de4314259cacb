import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { addMonths, type CostCentreCosts } from '@portico/shared';
import { useCostCentreCosts } from './costs.api.ts';
import { CostTrendChart } from './cost-trend-chart.tsx';
import { CostLines } from './cost-lines.tsx';
import {
  ChargeModeBadge,
  CostsError,
  CostBudgetBar,
  MonthStateBadge,
  UnpricedNotice,
} from './cost-parts.tsx';
import { chargeModeText, currentMonth, documentOf, formatShare, isMonth, monthName } from './cost-helpers.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, LoadingState } from '../../components/states.tsx';
import { formatDateTime, formatMoney, moneyRatio } from '../../components/format.ts';

/** One cost centre's month: the figures, the budget, the trend, the breakdowns and the lines. */
export function CostCentrePage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const asked = params.get('month');
  const month = isMonth(asked) ? asked : undefined;
  const currency = params.get('currency') ?? undefined;
  const costs = useCostCentreCosts(code, month, currency);
  const hrefOf = (m: string) =>
    `/costs/${encodeURIComponent(code)}?month=${m}${currency ? `&currency=${currency}` : ''}`;

  const breadcrumbs = (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      <Link to="/costs">Costs</Link>
      <span aria-hidden="true">›</span>
      <span aria-current="page">{code}</span>
    </nav>
  );

  if (costs.isPending) {
    return (
      <div>
        <PageHeader title={code} breadcrumbs={breadcrumbs} />
        <LoadingState label="Loading the costs…" />
      </div>
    );
  }
  if (costs.isError) {
    return (
      <div>
        <PageHeader title={code} breadcrumbs={breadcrumbs} />
        <CostsError error={costs.error} onRetry={() => void costs.refetch()} />
      </div>
    );
  }
  const c = costs.data;
  return (
    <div className="costs-page" aria-busy={costs.isPlaceholderData}>
      <PageHeader
        breadcrumbs={breadcrumbs}
        docTitle={`${c.costCentre.code} costs, ${monthName(c.month)}`}
        title={
          <>
            {c.costCentre.code} <span className="muted">— {c.costCentre.name}</span>
          </>
        }
        subtitle={
          <span className="costs-mode">
            <ChargeModeBadge mode={c.chargeMode} /> <span>{chargeModeText[c.chargeMode]}</span>
          </span>
        }
        actions={<MonthPicker month={c.month} hrefOf={hrefOf} />}
      />
      <CostsBody costs={c} hrefOf={hrefOf} onPick={(m) => void navigate(hrefOf(m))} code={code} />
    </div>
  );
}

function MonthPicker({ month, hrefOf }: { month: string; hrefOf: (m: string) => string }) {
  const next = addMonths(month, 1);
  const canNext = next <= currentMonth();
  return (
    <nav className="month-picker" aria-label="Month">
      <Link
        className="btn btn--secondary btn--sm"
        to={hrefOf(addMonths(month, -1))}
        aria-label="Previous month"
      >
        ‹ <span className="month-picker__word">{monthName(addMonths(month, -1))}</span>
      </Link>
      <strong className="month-picker__current" aria-live="polite" data-testid="month-shown">
        {monthName(month)}
      </strong>
      {canNext ? (
        <Link className="btn btn--secondary btn--sm" to={hrefOf(next)} aria-label="Next month">
          <span className="month-picker__word">{monthName(next)}</span> ›
        </Link>
      ) : (
        <span
          className="btn btn--secondary btn--sm"
          aria-disabled="true"
          title="The running month is the last"
        >
          Next ›
        </span>
      )}
    </nav>
  );
}

function CostsBody({
  costs: c,
  hrefOf,
  onPick,
  code,
}: {
  costs: CostCentreCosts;
  hrefOf: (m: string) => string;
  onPick: (m: string) => void;
  code: string;
}) {
  const money = (a: string) => formatMoney(a, c.currency);
  const running = c.state === 'running';
  const doc = documentOf(c.state);
  return (
    <>
      {c.otherCurrencies.length > 0 && (
        <p className="alert alert--info">
          This month also has charges in{' '}
          {c.otherCurrencies.map((cur, i) => (
            <span key={cur}>
              {i > 0 && ', '}
              <Link to={`/costs/${encodeURIComponent(code)}?month=${c.month}&currency=${cur}`}>{cur}</Link>
            </span>
          ))}
          ; shown here: {c.currency}.
        </p>
      )}
      <UnpricedNotice unpriced={c.unpriced} />
      <section className="costs-figures" aria-label="The month in figures">
        <div className="card costs-figure">
          <p className="costs-figure__label">
            {running ? 'Month to date' : 'Total'} <MonthStateBadge state={c.state} />
          </p>
          <p className="costs-figure__value" data-testid="costs-total">
            {money(c.total)}
          </p>
          <p className="small muted">
            {running
              ? `${doc} as of ${formatDateTime(c.asOf)}`
              : c.state === 'closed'
                ? `${doc} of ${monthName(c.month)}: final`
                : c.state === 'closing'
                  ? `${monthName(c.month)} is being closed; the figures may still change`
                  : `${monthName(c.month)} has ended but is not closed yet: a draft, it may still change`}
          </p>
        </div>
        {running && c.forecast && (
          <div className="card costs-figure">
            <p className="costs-figure__label">Forecast for {monthName(c.month)}</p>
            <p className="costs-figure__value costs-figure__value--forecast" data-testid="costs-forecast">
              {money(c.forecast)}
            </p>
            {c.forecastMethod && (
              <details className="costs-figure__how small">
                <summary>How it is forecast</summary>
                <p className="muted">{c.forecastMethod}</p>
              </details>
            )}
          </div>
        )}
        <div className="card costs-figure">
          <p className="costs-figure__label">Budget for {monthName(c.month)}</p>
          {c.budget ? (
            <>
              <p className="costs-figure__value">{money(c.budget.amount)}</p>
              <CostBudgetBar
                label="Budget"
                currency={c.currency}
                used={c.total}
                forecast={running ? c.forecast : null}
                budget={c.budget.amount}
                compact
              />
              <p className="small" data-testid="budget-alerts">
                {c.budget.alerts.length === 0
                  ? 'No budget alert sent this month.'
                  : c.budget.alerts.map((a) => (
                      <span key={a.threshold} className="block">
                        <span aria-hidden="true">⚠ </span>
                        {a.threshold}% alert sent {formatDateTime(a.sentAt)}
                      </span>
                    ))}
              </p>
            </>
          ) : (
            <p className="muted">No budget set for this year.</p>
          )}
        </div>
      </section>

      <section className="card costs-section" aria-labelledby="cost-trend-title">
        <h2 className="card__title" id="cost-trend-title">
          Last 12 months
        </h2>
        <CostTrendChart costs={c} hrefOf={hrefOf} onPick={onPick} />
      </section>

      {c.lines.length === 0 ? (
        <EmptyState icon="🧾" title={`No charges in ${monthName(c.month)}`}>
          {running
            ? 'Nothing has been charged to this cost centre this month so far.'
            : 'This cost centre had no subscriptions or usage that month.'}
        </EmptyState>
      ) : (
        <>
          <div className="costs-breakdowns">
            <section className="card costs-section" aria-labelledby="by-service-title">
              <h2 className="card__title" id="by-service-title">
                By service
              </h2>
              <ul className="share-bars" data-testid="by-service">
                {c.byService.map((s) => (
                  <li key={s.service.slug} className="share-bars__item" data-testid="by-service-row">
                    <span className="share-bars__name">
                      <Link to={`/s/${encodeURIComponent(s.service.slug)}`}>{s.service.name}</Link>
                    </span>
                    <span className="share-bars__amount" data-testid="by-service-amount">
                      {money(s.amount)} <span className="muted">· {formatShare(s.share)}</span>
                    </span>
                    <span className="share-bars__track" aria-hidden="true">
                      <span
                        className="share-bars__fill"
                        style={{
                          width: `${Math.max(0, Math.min(100, moneyRatio(s.amount, c.total) * 100))}%`,
                        }}
                      />
                    </span>
                  </li>
                ))}
              </ul>
            </section>
            <section className="card costs-section" aria-labelledby="by-sub-title">
              <h2 className="card__title" id="by-sub-title">
                By subscription
              </h2>
              <table className="data-table data-table--stack" data-testid="by-subscription">
                <thead>
                  <tr>
                    <th scope="col">Subscription</th>
                    <th scope="col">Service</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {c.bySubscription.map((s) => (
                    <tr key={s.subscription.id}>
                      <td data-label="Subscription">
                        <Link to={`/services/${s.subscription.id}`}>{s.subscription.name}</Link>
                      </td>
                      <td data-label="Service">{s.service.name}</td>
                      <td data-label="Amount" className="num">
                        {money(s.amount)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
          <section className="card costs-section" aria-labelledby="lines-title">
            <h2 className="card__title" id="lines-title">
              {doc} lines <span className="muted small">· {c.lines.length}</span>
            </h2>
            <CostLines code={code} lines={c.lines} currency={c.currency} />
          </section>
        </>
      )}
    </>
  );
}
