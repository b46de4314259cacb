// The API contract shared by the server and the web app: request bodies and the DTOs the
// server presents. The server validates with these schemas and the OpenAPI document is
// generated from them, so the web app and the documentation cannot drift from the code.
import { z } from 'zod';
import { ApprovalChain } from './approvals.ts';
import { CostCentreRef, Money, PageQuery, PersonRef, Role } from './common.ts';
import { OptionShown } from './options.ts';
import { DeliveryForecast, LineStep } from './fulfilment.ts';

export * from './approvals.ts';
export * from './billing.ts';
export * from './budgets.ts';
export * from './calendar.ts';
export * from './cart.ts';
export * from './catalog.ts';
export * from './common.ts';
export * from './fulfilment.ts';
export * from './metering.ts';
export * from './money-format.ts';
export * from './options.ts';
export * from './recurring.ts';
export * from './pricing.ts';
export * from './subscriptions.ts';
export * from './work-queue.ts';

// ---- identity -------------------------------------------------------------------------

export const LoginBody = z.object({
  email: z.email(),
  password: z.string().min(1, 'is required'),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const Me = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  roles: z.array(Role),
  department: z.object({ code: z.string(), name: z.string() }).nullable(),
  manager: PersonRef.nullable(),
  defaultCostCentre: CostCentreRef.nullable(),
  chargeableCostCentres: z.array(CostCentreRef),
  /** The cost centres this person owns (their Costs). */
  ownedCostCentres: z.array(CostCentreRef),
  teams: z.array(z.object({ key: z.string(), name: z.string() })),
  /** Send back as the `x-csrf-token` header on every cookie-authenticated write. */
  csrfToken: z.string().nullable(),
});
export type Me = z.infer<typeof Me>;

export const CreateTokenBody = z.object({ name: z.string().trim().min(1).max(100) });
export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;
export const CreatedApiToken = ApiToken.extend({
  /** The secret, shown once. */
  token: z.string(),
});
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

// ---- ordering -------------------------------------------------------------------------

export const OrderLineInput = z.object({
  service: z.string().min(1),
  plan: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
  quantity: z.number().int().min(1).max(100).default(1),
});

export const PlaceOrderBody = z.object({
  costCentre: z.string().min(1),
  justification: z.string().trim().min(1, 'is required').max(2000),
  neededBy: z.iso.date().optional(),
  slaAccepted: z.literal(true, { error: 'the SLA must be accepted' }),
  lines: z.array(OrderLineInput).min(1, 'needs at least one line').max(50),
});
export type PlaceOrderBody = z.input<typeof PlaceOrderBody>;

export const orderStatuses = [
  'pending_approval',
  'approved',
  'in_fulfilment',
  'delivered',
  'rejected',
  'cancelled',
  'partially_delivered',
] as const;
export const OrderStatus = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const lineStatuses = [
  'pending_approval',
  'approved',
  'in_fulfilment',
  'delivered',
  'rejected',
  'cancelled',
] as const;
export const LineStatus = z.enum(lineStatuses);
export type LineStatus = z.infer<typeof LineStatus>;

export const TimelineEvent = z.object({
  kind: z.enum([
    'submitted',
    'stage_approved',
    'escalated',
    'approved',
    'rejected',
    'cancelled',
    'in_fulfilment',
    'step_started',
    'step_done',
    'step_failed',
    'delivered',
    'note',
  ]),
  at: z.iso.datetime(),
  lineId: z.uuid().nullable(),
  actor: z.string().nullable(),
  note: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const OrderLine = z.object({
  id: z.uuid(),
  service: z.object({ slug: z.string(), name: z.string(), version: z.number().int() }),
  plan: z.object({ slug: z.string(), name: z.string() }),
  options: z.record(z.string(), z.unknown()),
  /** The options as the order form named them when the line was bought. */
  optionsShown: z.array(OptionShown),
  quantity: z.number().int(),
  currency: z.string(),
  oneTimePrice: Money,
  monthlyPrice: Money,
  status: LineStatus,
  leadTimeDays: z.number().int(),
  /**
   * The day of `forecast.expectedAt` in the business calendar's zone. From the lead time: while
   * approvals are pending, a business day per stage still to decide, then the plan's lead time
   * in business days (the business calendar's working days and holidays); from approval: the
   * approval plus the lead time. Null once delivered, rejected or cancelled.
   */
  expectedDeliveryDate: z.iso.date().nullable(),
  /** When it should arrive, as of now: null once delivered, rejected or cancelled. */
  forecast: DeliveryForecast.nullable(),
  /**
   * What was predicted when fulfilment started (to hold against the delivery): from history if
   * there was enough, else the lead time from approval. Null until approved.
   */
  predicted: DeliveryForecast.nullable(),
  subscriptionId: z.uuid().nullable(),
  /** The approval chain, when the line needed one. */
  approval: ApprovalChain.nullable(),
  /** Whether the requester may still cancel it (until fulfilment starts). */
  cancellable: z.boolean(),
  /** Its delivery, step by step, once approved (empty before). */
  steps: z.array(LineStep),
});
export type OrderLine = z.infer<typeof OrderLine>;

export const Order = z.object({
  id: z.uuid(),
  number: z.string(),
  requester: PersonRef,
  costCentre: CostCentreRef,
  justification: z.string(),
  neededBy: z.iso.date().nullable(),
  status: OrderStatus,
  slaAcceptedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  lines: z.array(OrderLine),
  timeline: z.array(TimelineEvent),
  /** The latest expected date of the lines still on their way; null when none is. */
  expectedDeliveryDate: z.iso.date().nullable(),
});
export type Order = z.infer<typeof Order>;

export const OrderSummary = Order.pick({
  id: true,
  number: true,
  status: true,
  createdAt: true,
  costCentre: true,
}).extend({ title: z.string(), lineCount: z.number().int() });
export type OrderSummary = z.infer<typeof OrderSummary>;

export const CancelLineBody = z.object({ reason: z.string().trim().max(2000).optional() });

// ---- fulfilment -----------------------------------------------------------------------

export const CompleteTaskBody = z.object({
  outputs: z.record(z.string(), z.string()).default({}),
  note: z.string().trim().max(2000).optional(),
});
export type CompleteTaskBody = z.input<typeof CompleteTaskBody>;

export const Task = z.object({
  id: z.uuid(),
  title: z.string(),
  instructions: z.string(),
  status: z.enum(['open', 'done', 'cancelled']),
  /** undo: reverse what the step did (its line was abandoned or its subscription ends). */
  kind: z.enum(['do', 'undo']),
  team: z.object({ key: z.string(), name: z.string() }),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  completedBy: z.string().nullable(),
  /** Who took it; null while anyone of the team may. */
  assignee: PersonRef.nullable(),
  assignedAt: z.iso.datetime().nullable(),
  /** When someone should have taken it: the line's SLA response time, in business hours. */
  respondBy: z.iso.datetime().nullable(),
  /** When it should be done: the plan's lead time (at least the SLA's resolution time), in business hours. */
  dueAt: z.iso.datetime().nullable(),
  note: z.string().nullable(),
  outputs: z.record(z.string(), z.string()),
  /** What the fulfiller fills in; the values flow into the subscription. */
  outputFields: z.array(z.object({ key: z.string(), label: z.string(), required: z.boolean() })),
  /** What to check off before completing (the step's checklist). */
  checklist: z.array(z.string()),
  /** What earlier steps of the line delivered (the broker's host, an instance id …). */
  earlierOutputs: z.record(z.string(), z.string()),
  order: z.object({ id: z.uuid(), number: z.string(), requester: PersonRef }),
  line: OrderLine.pick({
    id: true,
    service: true,
    plan: true,
    options: true,
    optionsShown: true,
    quantity: true,
  }),
});
export type Task = z.infer<typeof Task>;

export const TaskQuery = PageQuery.extend({
  status: z.enum(['open', 'done']).default('open'),
  /** One of the caller's teams, by key; all of them when left out. */
  team: z.string().min(1).max(100).optional(),
  /** me: taken by the caller; unassigned: nobody has taken it yet. */
  assignee: z.enum(['me', 'unassigned', 'any']).default('any'),
  /** Only open tasks past their due time. */
  overdue: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Order number, service, plan or requester (name or e-mail), any part of them. */
  q: z.string().trim().max(100).optional(),
});

// ---- support --------------------------------------------------------------------------

export const CreateTicketBody = z.object({
  subscription: z.uuid(),
  summary: z.string().trim().min(3, 'needs at least 3 characters').max(200),
  description: z.string().trim().max(10000).default(''),
});
export type CreateTicketBody = z.input<typeof CreateTicketBody>;

export const Ticket = z.object({
  id: z.uuid(),
  number: z.string(),
  summary: z.string(),
  description: z.string(),
  status: z.enum(['open', 'resolved']),
  requester: PersonRef,
  team: z.object({ key: z.string(), name: z.string() }),
  subscription: z.object({ id: z.uuid(), name: z.string(), service: z.string() }),
  createdAt: z.iso.datetime(),
});
export type Ticket = z.infer<typeof Ticket>;

export const TicketQuery = PageQuery.extend({
  /** `mine`: tickets I raised; `team`: tickets for the teams I work in. */
  scope: z.enum(['mine', 'team']).default('mine'),
});
