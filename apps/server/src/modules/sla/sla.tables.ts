import { check, date, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** The one business calendar (a single row): expected dates and approval reminders count in it. */
export const businessCalendar = pgTable(
  'business_calendar',
  {
    id: integer('id').primaryKey().default(1),
    timezone: text('timezone').notNull(),
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    workdays: integer('workdays').array().notNull(),
    dayStart: text('day_start').notNull(),
    dayEnd: text('day_end').notNull(),
  },
  (t) => [check('business_calendar_single_row', sql`${t.id} = 1`)],
);

export const holidays = pgTable('holidays', {
  date: date('date').primaryKey(),
  name: text('name').notNull(),
});
