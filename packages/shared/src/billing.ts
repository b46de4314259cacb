// Rate cards and statements: what the month close rates usage with, and what it writes.
import { z } from 'zod';
import { CostCentreRef, Money } from './common.ts';
import { PriceModel } from './pricing.ts';

/** A calendar month in UTC, "2026-10". */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month like "2026-10"');

export const PutRateCardBody = z.object({
  service: z.string().min(1),
  plan: z.string().min(1),
  meter: z.string().min(1),
  /** The first day it prices: a period uses the highest version effective on its first day. */
  effectiveFrom: z.iso.date(),
  model: PriceModel,
});
export type PutRateCardBody = z.input<typeof PutRateCardBody>;

export const RateCard = z.object({
  id: z.uuid(),
  service: z.object({ slug: z.string(), name: z.string() }),
  plan: z.object({ slug: z.string(), name: z.string() }),
  meter: z.string(),
  version: z.number().int(),
  effectiveFrom: z.iso.date(),
  currency: z.string(),
  model: PriceModel,
  createdAt: z.iso.datetime(),
});
export type RateCard = z.infer<typeof RateCard>;

export const RateCardQuery = z.object({
  service: z.string().min(1).optional(),
  plan: z.string().min(1).optional(),
  meter: z.string().min(1).optional(),
});

export const StatementLine = z.object({
  subscriptionId: z.uuid(),
  kind: z.enum(['fee', 'usage', 'correction']),
  meter: z.string().nullable(),
  chargePeriod: Month,
  /** A correction's is the difference it makes, so it may be negative. */
  quantity: z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string'),
  /** fee: the monthly price; usage: the price per unit, or a summary of the tiers. */
  unitPrice: z.string(),
  /** fee: the part of the month, [from, to). */
  from: z.iso.datetime().nullable(),
  to: z.iso.datetime().nullable(),
  amount: Money,
  rateCard: z.object({ id: z.uuid(), version: z.number().int() }).nullable(),
});
export type StatementLine = z.infer<typeof StatementLine>;

export const Statement = z.object({
  id: z.uuid(),
  costCentre: CostCentreRef,
  period: Month,
  currency: z.string(),
  total: Money,
  status: z.enum(['closing', 'closed']),
  lines: z.array(StatementLine),
});
export type Statement = z.infer<typeof Statement>;

export const BillingPeriod = z.object({
  month: Month,
  status: z.enum(['open', 'closing', 'closed']),
  closedAt: z.iso.datetime().nullable(),
  /** Lines this close wrote (0 when it ran before and everything was there). */
  linesWritten: z.number().int(),
  statements: z.array(Statement),
});
export type BillingPeriod = z.infer<typeof BillingPeriod>;

/** A month at a glance, for the list of months: no statement lines. */
export const BillingPeriodSummary = z.object({
  month: Month,
  status: z.enum(['open', 'closing', 'closed']),
  closedAt: z.iso.datetime().nullable(),
  statements: z.number().int(),
  lines: z.number().int(),
  /** Each currency's total of the statements written so far. */
  totals: z.array(z.object({ currency: z.string(), total: Money })),
});
export type BillingPeriodSummary = z.infer<typeof BillingPeriodSummary>;

export const PeriodsQuery = z
  .object({ from: Month, to: Month })
  .refine((q) => q.from <= q.to, { path: ['from'], message: 'must not be after to' });

/** One currency of a draft: the running month's lines so far, what they add up to, the forecast. */
export const DraftStatementPart = z.object({
  currency: z.string(),
  lines: z.array(StatementLine),
  monthToDate: Money,
  forecast: z.object({ fees: Money, usage: Money, corrections: Money, total: Money }),
});

/** A cost centre's running month, computed like the close but not written. */
export const DraftStatement = z.object({
  costCentre: CostCentreRef,
  period: Month,
  asOf: z.iso.datetime(),
  /** The share of the month elapsed at asOf, 0..1. */
  elapsed: z.string(),
  /** How the forecast was made, in words. */
  forecastMethod: z.string(),
  statements: z.array(DraftStatementPart),
});
export type DraftStatement = z.infer<typeof DraftStatement>;

// ---- costs: what the pages of cost-centre owners and finance show ------------------------

/** chargeback: the amount is transferred (it is in the journal); showback: shown only. */
export const chargeModes = ['chargeback', 'showback'] as const;
export const ChargeMode = z.enum(chargeModes);
export type ChargeMode = z.infer<typeof ChargeMode>;

export const PutChargeModeBody = z.object({ chargeMode: ChargeMode });

/**
 * Where a month stands for a cost centre: running (the current month, a draft), open (ended but
 * not closed yet: still a draft), closing (a close is under way), closed (its statement).
 */
export const MonthState = z.enum(['running', 'open', 'closing', 'closed']);
export type MonthState = z.infer<typeof MonthState>;

/** One row of the finance overview: a cost centre's running month and its last one. */
export const CostCentreCostsSummary = z.object({
  costCentre: CostCentreRef,
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  chargeMode: ChargeMode,
  currency: z.string(),
  month: Month,
  monthToDate: Money,
  forecast: Money,
  /** The month's budget (the year's budget per month); null: no budget for this year. */
  budget: Money.nullable(),
  lastMonth: z.object({ month: Month, state: MonthState, total: Money }),
  /** Usage this month without a rate card ("meter on plan …"): not in the figures until priced. */
  unpriced: z.array(z.string()),
});
export type CostCentreCostsSummary = z.infer<typeof CostCentreCostsSummary>;

export const CostsQuery = z.object({
  /** The month to show; default the running one. */
  month: Month.optional(),
  /** The currency to show; default the budget's (or the one charged most). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"')
    .optional(),
});

/** A line of a cost centre's month, with what it charges for named. */
export const CostLine = StatementLine.extend({
  subscriptionName: z.string(),
  service: z.object({ slug: z.string(), name: z.string() }),
  /** usage and corrections: the meter's name and unit. */
  meterName: z.string().nullable(),
  unit: z.string().nullable(),
});
export type CostLine = z.infer<typeof CostLine>;

/** A cost centre's month: the total, the forecast, the budget, the trend and the breakdowns. */
export const CostCentreCosts = z.object({
  costCentre: CostCentreRef,
  chargeMode: ChargeMode,
  currency: z.string(),
  /** Other currencies with charges this month (ask again with ?currency=). */
  otherCurrencies: z.array(z.string()),
  month: Month,
  state: MonthState,
  asOf: z.iso.datetime(),
  /** running: month to date; otherwise the month's total (the statement's once closed). */
  total: Money,
  /** running only: the month's end, as DraftStatement.forecastMethod says. */
  forecast: Money.nullable(),
  forecastMethod: z.string().nullable(),
  /** Usage of the month without a rate card ("meter on plan …"): not in the figures until priced. */
  unpriced: z.array(z.string()),
  budget: z
    .object({
      amount: Money,
      /** total / amount and forecast / amount, "0.8312" (4 places). */
      used: z.string(),
      forecastUsed: z.string().nullable(),
      /** The budget alerts sent for this month (80 and 100 per cent), oldest first. */
      alerts: z.array(z.object({ threshold: z.number().int(), sentAt: z.iso.datetime() })),
    })
    .nullable(),
  /** The 12 months ending with `month`, oldest first; a month without charges is "0.00". */
  trend: z.array(z.object({ month: Month, amount: Money, state: MonthState })),
  byService: z.array(
    z.object({ service: z.object({ slug: z.string(), name: z.string() }), amount: Money, share: z.string() }),
  ),
  bySubscription: z.array(
    z.object({
      subscription: z.object({ id: z.uuid(), name: z.string() }),
      service: z.object({ slug: z.string(), name: z.string() }),
      amount: Money,
    }),
  ),
  lines: z.array(CostLine),
});
export type CostCentreCosts = z.infer<typeof CostCentreCosts>;

/** The usage behind a usage or correction line: which events, for drill-down. */
export const UsageBehindQuery = z.object({
  subscription: z.uuid(),
  meter: z.string().min(1),
  month: Month,
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const UsageRecord = z.object({
  /** When it happened (the event's time). */
  time: z.iso.datetime(),
  /** When the portal received it (later than the close: a correction). */
  receivedAt: z.iso.datetime(),
  source: z.string(),
  id: z.string(),
  type: z.string(),
  /** The aggregated property's value (null for a count meter). */
  value: z.string().nullable(),
});
export type UsageRecord = z.infer<typeof UsageRecord>;
