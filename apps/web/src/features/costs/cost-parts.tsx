import type { ChargeMode, MonthState } from '@portico/shared';
import { StatusBadge, type Tone } from '../../components/status-badge.tsx';
import { ErrorState } from '../../components/states.tsx';
import { isApiError } from '../../app/api-client.ts';
import { formatMoney, maxMoney, moneyRatio } from '../../components/format.ts';
import { chargeModeText, documentOf, stateLabels } from './cost-helpers.ts';

export function ChargeModeBadge({ mode }: { mode: ChargeMode }) {
  return (
    <span title={chargeModeText[mode]} data-testid="charge-mode" data-mode={mode}>
      <StatusBadge tone={mode === 'chargeback' ? 'info' : 'neutral'}>{mode}</StatusBadge>
    </span>
  );
}

const stateTones: Record<MonthState, Tone> = {
  running: 'progress',
  open: 'warning',
  closing: 'info',
  closed: 'success',
};

/** "Draft · running" or "Statement · closed". */
export function MonthStateBadge({ state }: { state: MonthState }) {
  return (
    <span data-testid="month-state" data-state={state}>
      <StatusBadge tone={stateTones[state]}>
        {documentOf(state)} · {stateLabels[state].toLowerCase()}
      </StatusBadge>
    </span>
  );
}

const pct = (x: number) => `${Math.min(100, Math.max(0, x * 100)).toFixed(2)}%`;

interface CostBudgetBarProps {
  label: string;
  currency: string;
  /** Spent so far (or the month's total). */
  used: string;
  /** The running month's forecast, drawn striped beyond what is used. */
  forecast: string | null;
  budget: string;
  compact?: boolean;
}

/**
 * What a month used of its budget, and where the forecast lands, on the budget gauge's bar
 * (components/budget-gauge.tsx draws a request's impact; this one draws spending).
 */
export function CostBudgetBar({ label, currency, used, forecast, budget, compact }: CostBudgetBarProps) {
  const money = (a: string) => formatMoney(a, currency);
  const scaleTop = maxMoney(used, forecast ?? '0', budget);
  const usedShare = moneyRatio(used, scaleTop);
  const forecastShare = forecast ? moneyRatio(forecast, scaleTop) : 0;
  const limit = moneyRatio(budget, scaleTop);
  const over = moneyRatio(forecast ?? used, budget) > 1;
  const usedPct = Math.round(moneyRatio(used, budget) * 100);
  const forecastPct = forecast ? Math.round(moneyRatio(forecast, budget) * 100) : null;
  const summary =
    `${money(used)} of ${money(budget)} used (${usedPct}%)` +
    (forecastPct !== null ? `, forecast ${money(forecast!)} (${forecastPct}%)` : '');

  return (
    <div className={`budget-bar${over ? ' budget-bar--over' : ''}${compact ? ' budget-bar--compact' : ''}`}>
      {!compact && (
        <p className="budget-bar__head">
          <span className="budget-bar__label">{label}</span>
          <span className="budget-bar__figure">
            {money(used)}
            <span className="muted"> of {money(budget)}</span>
          </span>
        </p>
      )}
      <div className="budget-bar__track" role="img" aria-label={`${label}: ${summary}`}>
        <span className="budget-bar__committed" style={{ width: pct(usedShare) }} />
        {forecast && forecastShare > usedShare && (
          <span
            className="budget-bar__request"
            style={{ left: pct(usedShare), width: pct(forecastShare - usedShare) }}
          />
        )}
        <span className="budget-bar__limit" style={{ left: pct(limit) }} />
      </div>
      <p className="budget-bar__legend">
        <span className="budget-bar__key budget-bar__key--committed">Used {usedPct}%</span>
        {forecastPct !== null && (
          <span className="budget-bar__key budget-bar__key--request">Forecast {forecastPct}%</span>
        )}
      </p>
    </div>
  );
}

/**
 * A draft needs a rate card for every metered use; the server answers 409 naming the missing
 * ones, and that is for finance to fix, not something to retry.
 */
export function CostsError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const missingPrices = isApiError(error) && error.status === 409;
  return (
    <ErrorState
      error={error}
      title={missingPrices ? 'Some usage has no price yet' : undefined}
      onRetry={missingPrices ? undefined : onRetry}
    />
  );
}

/**
 * Usage a draft could not price (no rate card in force for its meter and plan): left out of the
 * figures, so they say less than the month will cost until finance adds the rate card.
 */
export function UnpricedNotice({ unpriced }: { unpriced: string[] }) {
  if (!unpriced.length) return null;
  return (
    <div className="alert alert--warning" role="status" data-testid="unpriced">
      <p className="alert__title">Some usage has no price yet</p>
      <p>It is not in these figures until finance adds a rate card for it:</p>
      <ul className="alert__list">
        {unpriced.map((u) => (
          <li key={u}>{u}</li>
        ))}
      </ul>
    </div>
  );
}

/** Beside a month-to-date figure: some use is not in it yet (the list on hover). */
export function UnpricedMark({ unpriced }: { unpriced: string[] }) {
  if (!unpriced.length) return null;
  return (
    <span className="small muted" title={unpriced.join('; ')}>
      {' '}
      + unpriced use
    </span>
  );
}
