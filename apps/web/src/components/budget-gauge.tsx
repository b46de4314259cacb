import type { BudgetImpact, BudgetPeriod } from '@portico/shared';
import { absMoney, formatMoney, formatPeriod, isZeroMoney, maxMoney, moneyRatio } from './format.ts';

const pct = (x: number) => `${Math.min(100, Math.max(0, x * 100)).toFixed(2)}%`;

interface BudgetBarProps {
  /** "This month", "This year". */
  label: string;
  period: BudgetPeriod;
  currency: string;
}

/**
 * One period as a bar: what is committed, what this request adds (striped), and a tick where
 * the budget ends. Red when the period goes over. The numbers are written out below it too.
 */
export function BudgetBar({ label, period: p, currency }: BudgetBarProps) {
  const money = (a: string) => formatMoney(a, currency);
  const scale = p.budget ? maxMoney(p.budget, p.after) : p.after;
  const hasRequest = !isZeroMoney(p.request);
  const committed = moneyRatio(p.committed, scale);
  const request = moneyRatio(p.request, scale);
  const limit = p.budget ? moneyRatio(p.budget, scale) : null;
  const summary = p.budget
    ? `${money(p.after)} of ${money(p.budget)}${p.over ? `, ${money(absMoney(p.remainingAfter ?? '0'))} over budget` : ''}`
    : `${money(p.after)}, no budget set`;

  return (
    <div className={`budget-bar${p.over ? ' budget-bar--over' : ''}`} data-testid="budget-bar">
      <p className="budget-bar__head">
        <span className="budget-bar__label">
          {label} <span className="muted">· {formatPeriod(p.period)}</span>
        </span>
        <span className="budget-bar__figure">
          {money(p.after)}
          {p.budget && <span className="muted"> of {money(p.budget)}</span>}
        </span>
      </p>
      <div className="budget-bar__track" role="img" aria-label={`${label}: ${summary}`}>
        <span className="budget-bar__committed" style={{ width: pct(committed) }} />
        {hasRequest && (
          <span className="budget-bar__request" style={{ left: pct(committed), width: pct(request) }} />
        )}
        {limit !== null && <span className="budget-bar__limit" style={{ left: pct(limit) }} />}
      </div>
      <p className="budget-bar__legend">
        <span className="budget-bar__key budget-bar__key--committed">Committed {money(p.committed)}</span>
        {hasRequest && (
          <span className="budget-bar__key budget-bar__key--request">This request {money(p.request)}</span>
        )}
        {p.remainingAfter !== null && (
          <span className={p.over ? 'budget-bar__over' : 'budget-bar__left'}>
            {p.over ? `${money(absMoney(p.remainingAfter))} over` : `${money(p.remainingAfter)} left`}
          </span>
        )}
        {!p.budget && <span className="muted">No budget set</span>}
      </p>
    </div>
  );
}

const outcomeIcons: Record<BudgetImpact['outcome'], string> = {
  none: 'ℹ',
  within: '✓',
  warn: '⚠',
  approval: '⚠',
  block: '⛔',
};

/** The budget impact of a request on its cost centre: month and year bars and what the policy does. */
export function BudgetGauge({ impact, title }: { impact: BudgetImpact; title?: string }) {
  return (
    <section className="budget-gauge" aria-label={title ?? `Budget impact on ${impact.costCentre.code}`}>
      <p className="budget-gauge__title">
        {title ?? 'Budget impact'}{' '}
        <span className="muted">
          · {impact.costCentre.code} — {impact.costCentre.name}
        </span>
      </p>
      <BudgetBar label="This month" period={impact.month} currency={impact.currency} />
      <BudgetBar label="This year" period={impact.year} currency={impact.currency} />
      <p
        className={`budget-gauge__outcome budget-gauge__outcome--${impact.outcome}`}
        data-outcome={impact.outcome}
      >
        <span aria-hidden="true">{outcomeIcons[impact.outcome]} </span>
        {impact.message}
      </p>
    </section>
  );
}
