import { date, integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';

export const departments = pgTable('departments', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
});

export const costCentres = pgTable('cost_centres', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  departmentId: uuid('department_id')
    .notNull()
    .references(() => departments.id),
  ownerId: uuid('owner_id').references(() => users.id),
  /** Effective dates, half-open [validFrom, validTo). */
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to'),
  /** chargeback: its statements are transferred (the journal debits it); showback: shown only. */
  chargeMode: text('charge_mode', { enum: ['chargeback', 'showback'] })
    .notNull()
    .default('chargeback'),
});

/** Where a person sits: their department and the cost centre their orders default to. */
export const placements = pgTable('placements', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  departmentId: uuid('department_id')
    .notNull()
    .references(() => departments.id),
  defaultCostCentreId: uuid('default_cost_centre_id')
    .notNull()
    .references(() => costCentres.id),
});

/** A cost centre's budget for a calendar year, and what to do when an order would exceed it. */
export const budgets = pgTable(
  'budgets',
  {
    costCentreId: uuid('cost_centre_id')
      .notNull()
      .references(() => costCentres.id),
    year: integer('year').notNull(),
    currency: text('currency').notNull(),
    annualAmount: numeric('annual_amount', { precision: 20, scale: 9 }).notNull(),
    monthlyAmount: numeric('monthly_amount', { precision: 20, scale: 9 }).notNull(),
    onOverrun: text('on_overrun', { enum: ['warn', 'approval', 'block'] }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedById: uuid('updated_by_id').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.costCentreId, t.year] })],
);
