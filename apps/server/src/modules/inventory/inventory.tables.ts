import { index, json, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
    status: text('status', { enum: ['active', 'ended'] })
      .notNull()
      .default('active'),
    quantity: integer('quantity').notNull(),
    currency: text('currency').notNull(),
    /** Per month for the whole quantity. */
    monthlyPrice: numeric('monthly_price', { precision: 20, scale: 9 }).notNull(),
    sla: jsonb('sla').$type<Record<string, unknown>>().notNull(),
    // json, not jsonb: keeps the outputs in the order the task declares them.
    outputs: json('outputs').$type<Record<string, string>>().notNull().default({}),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('subscriptions_owner_idx').on(t.ownerId, t.startedAt)],
);
