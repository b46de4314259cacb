import { formatMoney, isZeroMoney } from './format.ts';

interface MoneyBreakdownProps {
  currency: string;
  oneTime: string;
  monthly: string;
  /** Expected metered use per month; left out when not given or zero. */
  meteredMonthly?: string;
  firstYear: string;
  /** Bigger type for a total. */
  total?: boolean;
  testId?: string;
}

/** One-time, monthly, expected usage and first-year cost, as a small price list. */
export function MoneyBreakdown({
  currency,
  oneTime,
  monthly,
  meteredMonthly,
  firstYear,
  total,
  testId,
}: MoneyBreakdownProps) {
  const money = (amount: string) => formatMoney(amount, currency);
  return (
    <dl
      className={`summary-list money-breakdown${total ? ' money-breakdown--total' : ''}`}
      data-testid={testId}
    >
      <div>
        <dt>One-time</dt>
        <dd>{isZeroMoney(oneTime) ? 'none' : money(oneTime)}</dd>
      </div>
      <div>
        <dt>Monthly</dt>
        <dd>{money(monthly)}</dd>
      </div>
      {meteredMonthly && !isZeroMoney(meteredMonthly) && (
        <div>
          <dt>Expected usage, monthly</dt>
          <dd>≈ {money(meteredMonthly)}</dd>
        </div>
      )}
      <div className="summary-list__total">
        <dt>First year</dt>
        <dd>{money(firstYear)}</dd>
      </div>
    </dl>
  );
}
