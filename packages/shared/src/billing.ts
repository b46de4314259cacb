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
