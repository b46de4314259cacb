import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  json,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { OptionShown } from '@portico/shared';
import { plans, services } from '../catalog/catalog.tables.ts';
import { users } from '../identity/identity.tables.ts';
import { orderLines, orders } from '../ordering/ordering.tables.ts';
import { costCentres } from '../org/org.tables.ts';

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    costCentreId: uuid('cost_centre_id')
      .notNull()
      .references(() => costCentres.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    orderLineId: uuid('order_line_id')
      .notNull()
      .unique()
      .references(() => orderLines.id),
    /** ending: being decommissioned (billing runs until the broker confirms). */
    status: text('status', { enum: ['active', 'ending', 'ended'] })
      .notNull()
      .default('active'),
    /** The service version bought (or moved to): newer versions are offered as upgrades. */
    serviceVersion: integer('service_version').notNull(),
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    optionsShown: jsonb('options_shown').$type<OptionShown[]>().notNull().default([]),
    quantity: integer('quantity').notNull(),
    currency: text('currency').notNull(),
    /** Per month for the whole quantity. */
    monthlyPrice: numeric('monthly_price', { precision: 20, scale: 9 }).notNull(),
    sla: jsonb('sla').$type<Record<string, unknown>>().notNull(),
    // json, not jsonb: keeps the outputs in the order the task declares them.
    outputs: json('outputs').$type<Record<string, string>>().notNull().default({}),
    /** Secrets the delivery produced (passwords, keys), sealed (platform/secrets); shown on request. */
    credentials: text('credentials'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** A lease's end: reminders before it, then a grace period, then decommission. */
    leaseEndsAt: timestamp('lease_ends_at', { withTimezone: true }),
    leaseGraceDays: integer('lease_grace_days'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    index('subscriptions_owner_idx').on(t.ownerId, t.startedAt),
    index('subscriptions_cost_centre_idx').on(t.costCentreId, t.startedAt),
    // Usage events name an Open Service Broker instance as their subject (metering).
    index('subscriptions_osb_instance_idx').on(sql`(${t.outputs}->>'osbInstanceId')`),
  ],
);

/**
 * Every change of a subscription that billing rates, with the state it changed to and the exact
 * moment: start, resize (plan, quantity or price), transfer (owner or cost centre), end. Written
 * in the transaction of the change itself; never updated.
 */
export const subscriptionEvents = pgTable(
  'subscription_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id),
    kind: text('kind', { enum: ['start', 'resize', 'transfer', 'extend', 'end'] }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    costCentreId: uuid('cost_centre_id')
      .notNull()
      .references(() => costCentres.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    quantity: integer('quantity').notNull(),
    currency: text('currency').notNull(),
    monthlyPrice: numeric('monthly_price', { precision: 20, scale: 9 }).notNull(),
    /** Who did it (null: the system, e.g. a lease running out). */
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
  },
  (t) => [
    index('subscription_events_subscription_idx').on(t.subscriptionId, t.id),
    index('subscription_events_at_idx').on(t.at),
  ],
);
