// The cart, budgets and quotas: what a requester sees before checking out — the live cost of
// each item, the budget impact on the chosen cost centre, quotas, and who will approve.
import { z } from 'zod';
import { ServiceKind, Sla } from './catalog.ts';
import { CostCentreRef, Money } from './common.ts';
import { ApprovalRoute } from './approvals.ts';
import { BudgetImpact } from './budgets.ts';
import { OptionShown } from './options.ts';

// ---- quotas ------------------------------------------------------------------------------

export const QuotaCheck = z.object({
  scope: z.enum(['person', 'cost_centre']),
  limit: z.number().int(),
  /** Units already held or on order. */
  held: z.number().int(),
  /** Units of the same plan in this request. */
  requested: z.number().int(),
  ok: z.boolean(),
  message: z.string(),
});
export type QuotaCheck = z.infer<typeof QuotaCheck>;

// ---- the cart ----------------------------------------------------------------------------

/** Expected monthly use per metered unit, for the estimate only (`{"GB-month": 200}`). */
const Usage = z.record(z.string(), z.number().min(0, 'cannot be negative').max(1e9)).default({});

export const CartItemBody = z.object({
  service: z.string().min(1),
  plan: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
  quantity: z.number().int().min(1).max(100).default(1),
  usage: Usage,
});
export type CartItemBody = z.input<typeof CartItemBody>;

export const CartItemPatch = z
  .object({
    plan: z.string().min(1),
    options: z.record(z.string(), z.unknown()),
    quantity: z.number().int().min(1).max(100),
    usage: Usage,
  })
  .partial();
export type CartItemPatch = z.input<typeof CartItemPatch>;

export const CostEstimate = z.object({
  currency: z.string(),
  oneTime: Money,
  monthly: Money,
  /** Expected metered cost per month, from the usage entered. */
  meteredMonthly: Money,
  /** One-time plus twelve months of recurring and metered cost. */
  firstYear: Money,
});
export type CostEstimate = z.infer<typeof CostEstimate>;

export const CartItem = z.object({
  id: z.uuid(),
  service: z.object({
    slug: z.string(),
    name: z.string(),
    kind: ServiceKind,
    icon: z.string(),
    version: z.number().int(),
  }),
  plan: z.object({ slug: z.string(), name: z.string() }),
  options: z.record(z.string(), z.unknown()),
  optionsShown: z.array(OptionShown),
  quantity: z.number().int(),
  usage: z.record(z.string(), z.number()),
  /**
   * Each metered unit the plan is charged by, with the use entered and what it would cost a month:
   * rated with the rate card in force today (the bill's own rating), or at the catalogue's price
   * per unit where the plan has no rate card for it.
   */
  metered: z.array(
    z.object({
      unit: z.string(),
      /** Per unit (the first tier's, for tiered prices); `priceSummary` says the whole price. */
      price: Money,
      priceSummary: z.string(),
      description: z.string(),
      quantity: z.number(),
      amount: Money,
      rateCardVersion: z.number().int().nullable(),
    }),
  ),
  /** Per unit, options included. */
  unitOneTime: Money,
  unitMonthly: Money,
  estimate: CostEstimate,
  leadTimeDays: z.number().int(),
  sla: Sla,
  /** Why the item cannot be ordered as it is (service retired, an option no longer valid). */
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
  quota: z.array(QuotaCheck),
  /** Who would approve it, charged to the cart's cost centre; null without one. */
  approval: ApprovalRoute.nullable(),
  addedAt: z.iso.datetime(),
});
export type CartItem = z.infer<typeof CartItem>;

export const Cart = z.object({
  items: z.array(CartItem),
  /** The cost centre the preview is computed for (the query's, else the requester's default). */
  costCentre: CostCentreRef.nullable(),
  total: CostEstimate,
  budget: BudgetImpact.nullable(),
  /** Whether checkout would be accepted now, and if not, why. */
  canCheckout: z.boolean(),
  blockers: z.array(z.string()),
});
export type Cart = z.infer<typeof Cart>;

export const CartQuery = z.object({ costCentre: z.string().min(1).optional() });

export const CheckoutBody = z.object({
  costCentre: z.string().min(1),
  justification: z.string().trim().min(1, 'is required').max(2000),
  neededBy: z.iso.date().optional(),
  slaAccepted: z.literal(true, { error: 'the SLA must be accepted' }),
});
export type CheckoutBody = z.input<typeof CheckoutBody>;
