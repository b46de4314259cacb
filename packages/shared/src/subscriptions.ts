// Subscriptions: what people own once a line is delivered, and what they can do with it.
import { z } from 'zod';
import { ServiceKind, Sla } from './catalog.ts';
import { CostCentreRef, Money, PersonRef } from './common.ts';
import { OptionShown } from './options.ts';

export const subscriptionStatuses = ['active', 'ending', 'ended'] as const;
export const SubscriptionStatus = z.enum(subscriptionStatuses);

/** Billing reads these: the state after each change, at the exact moment it happened. */
export const SubscriptionEvent = z.object({
  kind: z.enum(['start', 'resize', 'transfer', 'extend', 'end']),
  at: z.iso.datetime(),
  owner: PersonRef,
  costCentre: CostCentreRef,
  plan: z.object({ slug: z.string(), name: z.string() }),
  quantity: z.number().int(),
  currency: z.string(),
  monthlyPrice: Money,
  /** Who did it; null when the system did (a lease ran out). */
  actor: z.string().nullable(),
  note: z.string().nullable(),
});
export type SubscriptionEvent = z.infer<typeof SubscriptionEvent>;

/** A plan with a lease: the subscription ends unless extended. */
export const Lease = z.object({
  endsAt: z.iso.datetime(),
  /** It keeps working until then; decommissioned after. */
  graceUntil: z.iso.datetime(),
  /** running; ending_soon: within 14 days of its end; in_grace: past its end. */
  state: z.enum(['running', 'ending_soon', 'in_grace']),
  /** How many days one extension adds. */
  extensionDays: z.number().int(),
});
export type Lease = z.infer<typeof Lease>;

/** A newer version of the service (or of the plan) than the one owned, and what changed. */
export const UpgradeOffer = z.object({
  version: z.number().int(),
  plan: z.object({ slug: z.string(), name: z.string() }),
  currency: z.string(),
  monthlyPrice: Money,
  /** In plain words: "Monthly price €40.00 → €36.00", "New: daily backups". */
  changes: z.array(z.string()),
});
export type UpgradeOffer = z.infer<typeof UpgradeOffer>;

/** An order still on its way that changes this subscription. */
export const PendingChange = z.object({
  purpose: z.enum(['change', 'extend']),
  orderId: z.uuid(),
  orderNumber: z.string(),
  lineId: z.uuid(),
  plan: z.object({ slug: z.string(), name: z.string() }),
  status: z.string(),
});
export type PendingChange = z.infer<typeof PendingChange>;

export const Subscription = z.object({
  id: z.uuid(),
  name: z.string(),
  status: SubscriptionStatus,
  owner: PersonRef,
  costCentre: CostCentreRef,
  service: z.object({
    slug: z.string(),
    name: z.string(),
    kind: ServiceKind,
    icon: z.string(),
    version: z.number().int(),
  }),
  plan: z.object({ slug: z.string(), name: z.string() }),
  optionsShown: z.array(OptionShown),
  quantity: z.number().int(),
  currency: z.string(),
  /** Per month for the whole quantity. */
  monthlyPrice: Money,
  /**
   * What it has cost so far this calendar month (UTC), as the bill counts it: its fees by the exact
   * times of its events and its metered use rated with the rate cards, each rounded as a line.
   */
  costThisMonth: Money,
  /** The metered use in costThisMonth. */
  usageThisMonth: Money,
  sla: Sla,
  outputs: z.record(z.string(), z.string()),
  /** Whether the delivery produced secrets; they are shown only on request, and that is audited. */
  hasCredentials: z.boolean(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  orderId: z.uuid(),
  lease: Lease.nullable(),
  upgrade: UpgradeOffer.nullable(),
  pending: PendingChange.nullable(),
  /** What the signed-in user may do with it now. */
  actions: z.object({
    change: z.boolean(),
    decommission: z.boolean(),
    transfer: z.boolean(),
    extend: z.boolean(),
    ticket: z.boolean(),
    revealCredentials: z.boolean(),
  }),
});
export type Subscription = z.infer<typeof Subscription>;

/** A plan the subscription can move to (resize), priced as the catalogue offers it now. */
export const PlanChoice = z.object({
  slug: z.string(),
  name: z.string(),
  currency: z.string(),
  monthlyPrice: Money,
  oneTimePrice: Money,
  features: z.array(z.string()),
  leadTimeDays: z.number().int(),
  current: z.boolean(),
});
export type PlanChoice = z.infer<typeof PlanChoice>;

export const SubscriptionDetail = Subscription.extend({
  events: z.array(SubscriptionEvent),
  /** The plans of the service's current version, for a resize. */
  plans: z.array(PlanChoice),
});
export type SubscriptionDetail = z.infer<typeof SubscriptionDetail>;

export const SubscriptionQuery = z.object({
  /** mine: what I own; team: what the cost centres I own or the department I manage own (all, for finance and admins). */
  scope: z.enum(['mine', 'team']).default('mine'),
  costCentre: z.string().max(50).optional(),
  status: z.enum(['current', 'ended', 'all']).default('current'),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});
export type SubscriptionQuery = z.input<typeof SubscriptionQuery>;

export const RevealedCredentials = z.object({ credentials: z.record(z.string(), z.string()) });
export type RevealedCredentials = z.infer<typeof RevealedCredentials>;

export const TransferBody = z
  .object({
    /** The new owner's email. */
    owner: z.email('must be an email address').optional(),
    /** The cost centre to charge from now on. */
    costCentre: z.string().trim().min(1).max(50).optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((b) => b.owner !== undefined || b.costCentre !== undefined, {
    message: 'name a new owner or a new cost centre',
    path: ['owner'],
  });
export type TransferBody = z.input<typeof TransferBody>;

/** Resize (another plan) or upgrade (the service's current version): a new order through approval. */
export const ChangeBody = z.object({
  plan: z.string().min(1).max(100),
  /** Options for the new plan; the current ones are kept where the form still has them. */
  options: z.record(z.string(), z.unknown()).optional(),
  justification: z.string().trim().max(2000).default(''),
});
export type ChangeBody = z.input<typeof ChangeBody>;

export const ExtendBody = z.object({ justification: z.string().trim().max(2000).default('') });
export type ExtendBody = z.input<typeof ExtendBody>;

export const DecommissionBody = z.object({ reason: z.string().trim().max(500).optional() });
export type DecommissionBody = z.input<typeof DecommissionBody>;

/** A change or extension placed as an order (approval, then fulfilment), or done at once. */
export const ChangePlaced = z.object({
  orderId: z.uuid(),
  orderNumber: z.string(),
  /** True when no approval was needed and it already took effect (an extension). */
  done: z.boolean(),
});
export type ChangePlaced = z.infer<typeof ChangePlaced>;
