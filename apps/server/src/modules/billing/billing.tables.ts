import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { PriceModel, RatedLine } from '@portico/shared';
import { plans, services } from '../catalog/catalog.tables.ts';
import { users } from '../identity/identity.tables.ts';
import { subscriptions } from '../inventory/inventory.tables.ts';
import { meters } from '../metering/metering.tables.ts';
import { costCentres } from '../org/org.tables.ts';

/**
 * What a plan's usage of a meter costs, from a date on. Never updated: a change is a new version.
 * The version in force for a period is the highest one effective on the period's first day.
 */
export const rateCards = pgTable(
  'rate_cards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    meterKey: text('meter_key')
      .notNull()
      .references(() => meters.key),
    version: integer('version').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    /** The plan's currency when the version was made. */
    currency: text('currency').notNull(),
    /** A PriceModel (packages/shared/src/pricing.ts), validated before it is stored. */
    model: jsonb('model').$type<PriceModel>().notNull(),
    createdById: uuid('created_by_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('rate_cards_plan_meter_version_key').on(t.planId, t.meterKey, t.version)],
);

/**
 * A calendar month (UTC) of billing, by its month ("2026-10"). No row: open. closing: a close
 * started (and may have stopped halfway); closed: its statements are final.
 */
export const billingPeriods = pgTable('billing_periods', {
  month: text('month').primaryKey(),
  status: text('status', { enum: ['open', 'closing', 'closed'] }).notNull(),
  closingStartedAt: timestamp('closing_started_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
});

/** One cost centre's bill for one period, in one currency. */
export const statements = pgTable(
  'statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    costCentreId: uuid('cost_centre_id')
      .notNull()
      .references(() => costCentres.id),
    period: text('period')
      .notNull()
      .references(() => billingPeriods.month),
    currency: text('currency').notNull(),
    /** The sum of its lines (each already rounded). */
    total: numeric('total', { precision: 20, scale: 9 }).notNull().default('0'),
    status: text('status', { enum: ['closing', 'closed'] }).notNull(),
    /** The cost centre's charge mode when the statement was made: a later change leaves it be. */
    chargeMode: text('charge_mode', { enum: ['chargeback', 'showback'] })
      .notNull()
      .default('chargeback'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('statements_cost_centre_period_currency_key').on(t.costCentreId, t.period, t.currency)],
);

/** What a line shows of how its amount came about. */
export interface LineDetail {
  /** fee: the part of the month charged, [from, to). */
  from?: string;
  to?: string;
  /** usage: the meter's aggregation and unit. */
  aggregation?: string;
  unit?: string;
  breakdown?: RatedLine[];
}

/**
 * One charge on a statement. `line_key` names what it charges (period, subscription, fee segment
 * or meter), so a close that runs again inserts nothing twice.
 */
export const statementLines = pgTable(
  'statement_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id),
    lineKey: text('line_key').notNull().unique(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id),
    kind: text('kind', { enum: ['fee', 'usage', 'correction'] }).notNull(),
    meterKey: text('meter_key').references(() => meters.key),
    /** The month the charge is for ("2026-10"); a correction's differs from its statement's. */
    chargePeriod: text('charge_period').notNull(),
    quantity: numeric('quantity', { precision: 38, scale: 9 }).notNull(),
    /** fee: the monthly price; usage: the price per unit when one price applies, else a summary. */
    unitPrice: text('unit_price').notNull(),
    detail: jsonb('detail').$type<LineDetail>().notNull().default({}),
    /** Rounded once, half-up, to the currency's minor unit. */
    amount: numeric('amount', { precision: 20, scale: 9 }).notNull(),
    rateCardId: uuid('rate_card_id').references(() => rateCards.id),
    rateCardVersion: integer('rate_card_version'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('statement_lines_statement_idx').on(t.statementId, t.id),
    check(
      'statement_lines_usage_has_meter',
      sql`(${t.kind} = 'fee') = (${t.meterKey} is null) and (${t.kind} = 'fee') = (${t.rateCardId} is null)`,
    ),
  ],
);

/**
 * A budget alert sent: a cost centre's month-to-date cost reached `threshold` per cent of its
 * monthly budget. The key makes it once per threshold and period, however often it is checked.
 */
export const budgetAlerts = pgTable(
  'budget_alerts',
  {
    costCentreId: uuid('cost_centre_id')
      .notNull()
      .references(() => costCentres.id),
    period: text('period').notNull(),
    threshold: integer('threshold').notNull(),
    currency: text('currency').notNull(),
    /** The month-to-date cost and the monthly budget when it was sent. */
    amount: numeric('amount', { precision: 20, scale: 9 }).notNull(),
    budget: numeric('budget', { precision: 20, scale: 9 }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.costCentreId, t.period, t.threshold] })],
);
