import {
  bigserial,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { OptionShown } from '@portico/shared';
import { plans, services } from '../catalog/catalog.tables.ts';
import { users } from '../identity/identity.tables.ts';
import { costCentres } from '../org/org.tables.ts';

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => users.id),
    costCentreId: uuid('cost_centre_id')
      .notNull()
      .references(() => costCentres.id),
    justification: text('justification').notNull(),
    neededBy: date('needed_by'),
    status: text('status').notNull(),
    slaAcceptedAt: timestamp('sla_accepted_at', { withTimezone: true }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Hash of the request body: a reused key with a different body is a conflict. */
    requestHash: text('request_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('orders_idempotency_uq').on(t.requesterId, t.idempotencyKey),
    index('orders_requester_idx').on(t.requesterId, t.createdAt),
    index('orders_cost_centre_idx').on(t.costCentreId, t.createdAt),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    position: integer('position').notNull(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    // A snapshot of what was bought, as it was at checkout.
    serviceVersion: integer('service_version').notNull(),
    serviceSlug: text('service_slug').notNull(),
    serviceName: text('service_name').notNull(),
    planSlug: text('plan_slug').notNull(),
    planName: text('plan_name').notNull(),
    options: jsonb('options').$type<Record<string, unknown>>().notNull(),
    /** The options as the form named them in the version bought. */
    optionsShown: jsonb('options_shown').$type<OptionShown[]>().notNull(),
    quantity: integer('quantity').notNull(),
    currency: text('currency').notNull(),
    oneTimePrice: numeric('one_time_price', { precision: 20, scale: 9 }).notNull(),
    monthlyPrice: numeric('monthly_price', { precision: 20, scale: 9 }).notNull(),
    leadTimeDays: integer('lead_time_days').notNull(),
    /** The SLA the requester accepted for this line. */
    sla: jsonb('sla').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull(),
    subscriptionId: uuid('subscription_id'),
    /**
     * What the line does: buy something new, or change a subscription the requester holds
     * (resize or upgrade to another plan or version, extend its lease); `subscriptionId` names it
     * from checkout on.
     */
    purpose: text('purpose', { enum: ['new', 'change', 'extend'] })
      .notNull()
      .default('new'),
  },
  (t) => [index('order_lines_order_idx').on(t.orderId), index('order_lines_plan_idx').on(t.planId, t.status)],
);

/** The requester's timeline: one row per step reached, in order. */
export const orderEvents = pgTable(
  'order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    lineId: uuid('line_id').references(() => orderLines.id),
    kind: text('kind').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.id)],
);

/** A requester's cart: what they mean to order, priced live from the catalogue until checkout. */
export const cartItems = pgTable(
  'cart_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    options: jsonb('options').$type<Record<string, unknown>>().notNull(),
    quantity: integer('quantity').notNull(),
    /** Expected monthly use per metered unit, for the estimate. */
    usage: jsonb('usage').$type<Record<string, number>>().notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cart_items_user_idx').on(t.userId, t.addedAt)],
);
