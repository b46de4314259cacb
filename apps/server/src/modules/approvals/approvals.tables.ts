import type { ApprovalRoute, PolicyRule, RouteStage } from '@portico/shared';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';
import { orderLines, orders } from '../ordering/ordering.tables.ts';

/** Policies are data: every active policy adds the stages of its first matching rule. */
export const approvalPolicies = pgTable('approval_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description').notNull(),
  priority: integer('priority').notNull(),
  active: boolean('active').notNull(),
  remindAfterHours: integer('remind_after_hours').notNull(),
  escalateAfterHours: integer('escalate_after_hours').notNull(),
  rules: jsonb('rules').$type<PolicyRule[]>().notNull(),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedById: uuid('updated_by_id').references(() => users.id),
});

/** A stage as planned at checkout: the approvers resolved then, and the timers of its policy. */
export interface PlannedStage extends Omit<RouteStage, 'approvers'> {
  approverIds: string[];
  remindAfterHours: number;
  escalateAfterHours: number;
}

/** One per order line that needs approval: its stages, and which one is being decided. */
export const approvalChains = pgTable(
  'approval_chains',
  {
    orderLineId: uuid('order_line_id')
      .primaryKey()
      .references(() => orderLines.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => users.id),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'cancelled'] }).notNull(),
    currentStage: integer('current_stage').notNull(),
    stages: jsonb('stages').$type<PlannedStage[]>().notNull(),
    matched: jsonb('matched').$type<ApprovalRoute['matched']>().notNull(),
    summary: text('summary').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [index('approval_chains_order_idx').on(t.orderId)],
);

export const approvals = pgTable(
  'approvals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    orderLineId: uuid('order_line_id')
      .notNull()
      .references(() => orderLines.id),
    stage: integer('stage').notNull().default(1),
    /**
     * Within a stage, the approvals that stand for one another: every approval of an "any"
     * stage shares slot 0; in an "all" stage each approver has a slot, and an escalation joins
     * the slot it escalates. A stage is approved when each of its slots has an approval.
     */
    slot: integer('slot').notNull().default(0),
    approverId: uuid('approver_id')
      .notNull()
      .references(() => users.id),
    /** Why this request reached this approver, in words the approver reads. */
    reason: text('reason').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'skipped', 'cancelled'] })
      .notNull()
      .default('pending'),
    /** The approval this one escalates (sent on to the approver's manager). */
    escalatedFromId: uuid('escalated_from_id').references((): AnyPgColumn => approvals.id),
    /** Who decided: the approver, or someone they delegated to. */
    decidedById: uuid('decided_by_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('approvals_approver_idx').on(t.approverId, t.status, t.createdAt),
    index('approvals_line_idx').on(t.orderLineId),
  ],
);

/** While `fromUserId` is away, `toUserId` decides their approvals (dates inclusive). */
export const delegations = pgTable(
  'delegations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fromUserId: uuid('from_user_id')
      .notNull()
      .references(() => users.id),
    toUserId: uuid('to_user_id')
      .notNull()
      .references(() => users.id),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    note: text('note').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('delegations_to_idx').on(t.toUserId, t.endsOn),
    index('delegations_from_idx').on(t.fromUserId),
  ],
);
