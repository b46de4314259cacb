// A cost centre's budget against what is committed to it, and what an order would do to it.
// Pure: the amounts come from the caller (what is committed is the ordering module's to say).
import {
  formatMoney,
  type BudgetImpact,
  type BudgetPeriod,
  type BudgetPolicy,
  type CostCentreRef,
} from '@portico/shared';
import Decimal from 'decimal.js';
import type { BudgetRow } from './org.repo.ts';

export interface Amounts {
  month: Decimal;
  year: Decimal;
}

export const zeroAmounts = (): Amounts => ({ month: new Decimal(0), year: new Decimal(0) });

const money = (d: Decimal) => d.toFixed(2);
const shown = (currency: string, d: Decimal) => formatMoney(d.toFixed(2), currency);

function period(label: string, budget: Decimal | null, committed: Decimal, request: Decimal): BudgetPeriod {
  const after = committed.plus(request);
  return {
    period: label,
    budget: budget ? money(budget) : null,
    committed: money(committed),
    request: money(request),
    after: money(after),
    remainingAfter: budget ? money(budget.minus(after)) : null,
    // Only a request can break a budget: what is already committed stays as it is.
    over: budget !== null && request.gt(0) && after.gt(budget),
  };
}

const onOverrun: Record<BudgetPolicy, string> = {
  warn: 'You can still order; the cost-centre owner sees the overrun.',
  approval: 'The cost-centre owner has to approve the overrun as an extra stage.',
  block: 'The cost centre does not allow orders over budget.',
};

export function budgetImpact(input: {
  costCentre: CostCentreRef;
  budget: BudgetRow | null;
  committed: Amounts;
  request: Amounts;
  at: Date;
}): BudgetImpact {
  const { costCentre, budget, committed, request, at } = input;
  const iso = at.toISOString();
  const currency = budget?.currency ?? 'EUR';
  const month = period(
    iso.slice(0, 7),
    budget ? new Decimal(budget.monthlyAmount) : null,
    committed.month,
    request.month,
  );
  const year = period(
    iso.slice(0, 4),
    budget ? new Decimal(budget.annualAmount) : null,
    committed.year,
    request.year,
  );
  if (!budget) {
    return {
      costCentre,
      currency,
      policy: null,
      month,
      year,
      outcome: 'none',
      message: `${costCentre.code} has no budget for ${year.period}.`,
    };
  }
  const policy = budget.onOverrun;
  const overs = [month, year].filter((p) => p.over);
  if (overs.length === 0) {
    const left = Decimal.min(new Decimal(month.remainingAfter!), new Decimal(year.remainingAfter!));
    return {
      costCentre,
      currency,
      policy,
      month,
      year,
      outcome: 'within',
      message: `Within budget: ${shown(currency, left)} left this ${left.eq(new Decimal(month.remainingAfter!)) ? 'month' : 'year'} after this request.`,
    };
  }
  const by = overs
    .map(
      (p) =>
        `its ${p === month ? 'monthly' : 'annual'} budget by ${shown(currency, new Decimal(p.remainingAfter!).neg())}`,
    )
    .join(' and ');
  return {
    costCentre,
    currency,
    policy,
    month,
    year,
    outcome: policy,
    message: `This takes ${costCentre.code} over ${by}. ${onOverrun[policy]}`,
  };
}
