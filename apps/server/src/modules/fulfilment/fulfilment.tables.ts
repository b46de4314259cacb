import { lineStepStatuses, type FulfilmentStepDocument } from '@portico/shared';
import { sql } from 'drizzle-orm';
import { index, json, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { plans } from '../catalog/catalog.tables.ts';
import { teams, users } from '../identity/identity.tables.ts';
import { orderLines, orders } from '../ordering/ordering.tables.ts';

export interface OutputField {
  key: string;
  label: string;
  required: boolean;
}

/** How a plan is delivered: its steps, as the catalogue document names them (teams, adapters by key). */
export const fulfilmentPlans = pgTable('fulfilment_plans', {
  planId: uuid('plan_id')
    .primaryKey()
    .references(() => plans.id),
  steps: jsonb('steps').$type<FulfilmentStepDocument[]>().notNull(),
});

/**
 * The systems automated steps talk to: an Open Service Broker or a webhook endpoint. The secret
 * (broker password, webhook signing secret) is stored encrypted. After repeated failures the
 * circuit opens: steps wait instead of calling, and the adapter's team is told.
 */
export const adapters = pgTable('fulfilment_adapters', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  type: text('type', { enum: ['osb', 'webhook'] }).notNull(),
  url: text('url').notNull(),
  /** Broker login (OSB); null for webhooks. */
  username: text('username'),
  secret: text('secret').notNull(),
  timeoutMs: integer('timeout_ms').notNull().default(10_000),
  /** Attempts per step before it needs attention. */
  maxAttempts: integer('max_attempts').notNull().default(6),
  teamId: uuid('team_id')
    .notNull()
    .references(() => teams.id),
  failures: integer('failures').notNull().default(0),
  openUntil: timestamp('open_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One step of one order line's fulfilment, with the definition it started from (later catalogue
 * edits do not change a running line). Its id is the idempotency key every call for it carries.
 */
export const lineSteps = pgTable(
  'line_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    orderLineId: uuid('order_line_id')
      .notNull()
      .references(() => orderLines.id),
    position: integer('position').notNull(),
    definition: jsonb('definition').$type<FulfilmentStepDocument>().notNull(),
    /**
     * Which step this is, for how long it usually takes: the same definition is the same work
     * (in any plan that has it word for word), and a catalogue edit that changes it starts afresh.
     */
    definitionKey: text('definition_key')
      .notNull()
      .generatedAlwaysAs(sql`md5(definition::text)`),
    status: text('status', { enum: lineStepStatuses }).notNull().default('queued'),
    /** Failed calls in a row (a poll that answers resets it): retries and "needs attention" count these. */
    attempts: integer('attempts').notNull().default(0),
    /** The adapter's own state between calls (operation, instance id …). */
    state: jsonb('state').$type<Record<string, unknown>>().notNull().default({}),
    // json, not jsonb: keeps the outputs in the order they came.
    outputs: json('outputs').$type<Record<string, string>>().notNull().default({}),
    /** Secrets the step delivered, encrypted (see platform/secrets). */
    credentials: text('credentials'),
    progress: text('progress'),
    /** A note for the requester (the fulfiller's, or the automation's). */
    note: text('note'),
    error: text('error'),
    /**
     * Why the step is being undone: cleaning up after an ambiguous failure (`orphan`), taking the
     * line back after its team gave up on it (`abandon`), or ending its subscription.
     */
    undoFor: text('undo_for', { enum: ['orphan', 'abandon', 'decommission'] }),
    /**
     * A step that changes what an earlier step made (a resize updates the instance a provision
     * created): it works on that step's resource, passes its new state back to it, and undoing it
     * never removes the resource.
     */
    replacesStepId: uuid('replaces_step_id'),
    /** sha256 of the one-time callback token of a webhook step waiting for its result. */
    callbackHash: text('callback_hash'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('line_steps_line_position_uq').on(t.orderLineId, t.position),
    index('line_steps_order_idx').on(t.orderId),
    index('line_steps_callback_idx').on(t.callbackHash),
    // The recent runs of a step, for forecasts.
    index('line_steps_history_idx')
      .on(t.definitionKey, t.finishedAt)
      .where(sql`${t.status} = 'done'`),
  ],
);

/**
 * What was predicted for a line when its fulfilment started, from the history of its steps, to
 * hold against the delivery. No row: there was too little history, the lead time was the promise.
 */
export const lineForecasts = pgTable('line_forecasts', {
  orderLineId: uuid('order_line_id')
    .primaryKey()
    .references(() => orderLines.id),
  expectedAt: timestamp('expected_at', { withTimezone: true }).notNull(),
  latestAt: timestamp('latest_at', { withTimezone: true }).notNull(),
  runs: integer('runs').notNull(),
  madeAt: timestamp('made_at', { withTimezone: true }).notNull().defaultNow(),
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
    /** `undo`: reverse what the step did (the line was abandoned or its subscription ends). */
    kind: text('kind', { enum: ['do', 'undo'] })
      .notNull()
      .default('do'),
    lineStepId: uuid('line_step_id')
      .notNull()
      .references(() => lineSteps.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    title: text('title').notNull(),
    instructions: text('instructions').notNull(),
    outputFields: jsonb('output_fields').$type<OutputField[]>().notNull(),
    checklist: jsonb('checklist').$type<string[]>().notNull().default([]),
    status: text('status', { enum: ['open', 'done', 'cancelled'] })
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
    unique('tasks_line_step_kind_uq').on(t.orderLineId, t.step, t.kind),
    index('tasks_team_idx').on(t.teamId, t.status, t.createdAt),
  ],
);
