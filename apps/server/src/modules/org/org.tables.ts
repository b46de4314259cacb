import { date, pgTable, text, uuid } from 'drizzle-orm/pg-core';
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
