// Budgets (module org): a cost centre's budget per year and month, what is committed
// against it, and what an order would do to it.
import { z } from 'zod';
import { Amount } from './catalog.ts';
import { CostCentreRef, Money, PersonRef } from './common.ts';

/** What happens when an order would take a cost centre over its budget. */
export const budgetPolicies = ['warn', 'approval', 'block'] as const;
export const BudgetPolicy = z.enum(budgetPolicies);
export type BudgetPolicy = z.infer<typeof BudgetPolicy>;
export const budgetPolicyLabels: Record<BudgetPolicy, string> = {
  warn: 'Warn the requester',
  approval: 'Ask the cost-centre owner for an extra approval',
  block: 'Refuse the order',
};

export const BudgetBody = z.object({
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"')
    .default('EUR'),
  annualAmount: Amount,
  /** Defaults to a twelfth of the annual amount. */
  monthlyAmount: Amount.optional(),
  onOverrun: BudgetPolicy,
});
export type BudgetBody = z.input<typeof BudgetBody>;

export const Budget = z.object({
  year: z.number().int(),
  currency: z.string(),
  annualAmount: Money,
  monthlyAmount: Money,
  onOverrun: BudgetPolicy,
});
export type Budget = z.infer<typeof Budget>;

/** One period's budget against what is committed to it. */
export const BudgetPeriod = z.object({
  /** `YYYY-MM` or `YYYY`. */
  period: z.string(),
  budget: Money.nullable(),
  /** Ordered and not rejected or cancelled: one-time prices in the period plus the recurring fees that fall in it. */
  committed: Money,
  /** What this request adds to the period. */
  request: Money,
  /** committed + request. */
  after: Money,
  /** budget − after; negative when over. */
  remainingAfter: Money.nullable(),
  over: z.boolean(),
});
export type BudgetPeriod = z.infer<typeof BudgetPeriod>;

export const BudgetImpact = z.object({
  costCentre: CostCentreRef,
  currency: z.string(),
  policy: BudgetPolicy.nullable(),
  month: BudgetPeriod,
  year: BudgetPeriod,
  /** none: no budget set; within; or what the policy does about the overrun. */
  outcome: z.enum(['none', 'within', 'warn', 'approval', 'block']),
  message: z.string(),
});
export type BudgetImpact = z.infer<typeof BudgetImpact>;

export const CostCentre = CostCentreRef.extend({
  department: z.object({ code: z.string(), name: z.string() }),
  owner: PersonRef.nullable(),
  budget: Budget.nullable(),
  /** This month and year so far, without any new request. */
  month: BudgetPeriod,
  year: BudgetPeriod,
});
export type CostCentre = z.infer<typeof CostCentre>;
