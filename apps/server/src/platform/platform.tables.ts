import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Request counters for rate limits, shared by every instance of the portal. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});
