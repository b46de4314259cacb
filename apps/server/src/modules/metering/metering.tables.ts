import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { aggregations } from '@portico/shared';
import { users } from '../identity/identity.tables.ts';
import { subscriptions } from '../inventory/inventory.tables.ts';

/** What usage counts (the CloudEvents `type`), which property of its data, and how it adds up. */
export const meters = pgTable('meters', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  unit: text('unit').notNull(),
  aggregation: text('aggregation', { enum: aggregations }).notNull(),
  /** Dot path into the event's data; null for count. */
  valueProperty: text('value_property'),
  /** One meter per type: an event is one usage row, deduplicated by (source, id). */
  eventType: text('event_type').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every usage event received, once. Quarantined events (no subscription matched the subject) live
 * here too, with their status: (source, event_id) is unique across all of them, so a duplicate of a
 * quarantined event is a no-op like any other, decided by the one unique index (concurrent
 * requests included) instead of a check across two tables. Rows are never deleted; a discarded
 * event stays, marked, with the reason.
 */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    source: text('source').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    subject: text('subject').notNull(),
    /** The event's time; the receipt time when the event had none. */
    time: timestamp('time', { withTimezone: true }).notNull(),
    data: jsonb('data'),
    meterKey: text('meter_key')
      .notNull()
      .references(() => meters.key),
    /** The meter's quantity: 1 for count and unique_count, else the property's value. */
    value: numeric('value', { precision: 38, scale: 9 }).notNull(),
    /** unique_count: the property's value, as text, to count distinct ones. */
    distinctValue: text('distinct_value'),
    /** accepted: counts for its subscription; quarantined: waits for an admin; discarded: never counts. */
    status: text('status', { enum: ['accepted', 'quarantined', 'discarded'] }).notNull(),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id),
    /** Why it was quarantined (kept after resolution). */
    reason: text('reason'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedById: uuid('resolved_by_id').references(() => users.id),
    resolution: text('resolution'),
  },
  (t) => [
    unique('usage_events_source_event_id_key').on(t.source, t.eventId),
    // The month close: one subscription's usage of one meter in a half-open period, in the order
    // time-weighted readings are held. With the id and the value in it, the close's quantities
    // (all but unique_count) are index-only scans of its batch's subscriptions, instead of
    // reading, for each batch, most heap pages of a month of events stored in time order.
    index('usage_events_rating_idx')
      .on(t.subscriptionId, t.meterKey, t.time, t.id, t.value)
      .where(sql`status = 'accepted'`),
    index('usage_events_quarantine_idx')
      .on(t.receivedAt, t.id)
      .where(sql`reason is not null`),
  ],
);
