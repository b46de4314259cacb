import { index, json, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { plans } from '../catalog/catalog.tables.ts';
import { teams, users } from '../identity/identity.tables.ts';
import { orderLines, orders } from '../ordering/ordering.tables.ts';

export interface OutputField {
  key: string;
  label: string;
  required: boolean;
}

/** How a plan is delivered: for now one manual task for a team. */
export const fulfilmentPlans = pgTable('fulfilment_plans', {
  planId: uuid('plan_id')
    .primaryKey()
    .references(() => plans.id),
  teamId: uuid('team_id')
    .notNull()
    .references(() => teams.id),
  title: text('title').notNull(),
  instructions: text('instructions').notNull(),
  outputFields: jsonb('output_fields').$type<OutputField[]>().notNull().default([]),
});

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    orderLineId: uuid('order_line_id')
      .notNull()
      .references(() => orderLines.id),
    step: integer('step').notNull().default(1),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    title: text('title').notNull(),
    instructions: text('instructions').notNull(),
    outputFields: jsonb('output_fields').$type<OutputField[]>().notNull(),
    status: text('status', { enum: ['open', 'done'] })
      .notNull()
      .default('open'),
    // json, not jsonb: keeps the outputs in the order the task declares them.
    outputs: json('outputs').$type<Record<string, string>>().notNull().default({}),
    note: text('note'),
    completedById: uuid('completed_by_id').references(() => users.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('tasks_line_step_uq').on(t.orderLineId, t.step),
    index('tasks_team_idx').on(t.teamId, t.status, t.createdAt),
  ],
);
