// Metering: the meters that say what usage counts and how it adds up over a period, the answer
// to a usage ingestion (CloudEvents), and the quarantine of events no subscription claimed.
import { z } from 'zod';
import { PageQuery } from './common.ts';

/**
 * How a meter's events add up over a charge period:
 * - sum: the values added up (GB transferred, CPU hours);
 * - count: the number of events (value 1 each; no property);
 * - max: the highest value (peak users);
 * - unique_count: the number of distinct values of the property (active user ids);
 * - latest: the last value in the period (a gauge read at the end);
 * - time_weighted: the value is a level held until the next event, integrated over time
 *   (GB stored → GB-months).
 */
export const aggregations = ['sum', 'count', 'max', 'unique_count', 'latest', 'time_weighted'] as const;
export const Aggregation = z.enum(aggregations);
export type Aggregation = z.infer<typeof Aggregation>;

export const MeterKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'must be 1 to 63 lowercase letters, digits, _ . or -');

/** A dot path into the event's `data`: `gb`, `usage.gb`. */
export const ValueProperty = z
  .string()
  .regex(
    /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/,
    'must be a property of the event data, dotted for nested ones (usage.gb)',
  )
  .max(200);

export const PutMeterBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    unit: z.string().trim().min(1).max(50),
    aggregation: Aggregation,
    /** Required for every aggregation but count. */
    valueProperty: ValueProperty.nullish(),
    /** The CloudEvents `type` this meter counts; one meter per type. */
    eventType: z.string().trim().min(1).max(500),
  })
  .superRefine((m, ctx) => {
    if (m.aggregation !== 'count' && !m.valueProperty) {
      ctx.addIssue({
        code: 'custom',
        path: ['valueProperty'],
        message: `is required: a ${m.aggregation} meter needs the property of the event data to aggregate`,
      });
    }
  });
export type PutMeterBody = z.input<typeof PutMeterBody>;

export const Meter = z.object({
  key: z.string(),
  name: z.string(),
  unit: z.string(),
  aggregation: Aggregation,
  valueProperty: z.string().nullable(),
  eventType: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Meter = z.infer<typeof Meter>;

/** An event of a request that was not stored: where it is (its index), which field, and why. */
export const InvalidUsageEvent = z.object({
  index: z.number().int(),
  field: z.string(),
  reason: z.string(),
});
export type InvalidUsageEvent = z.infer<typeof InvalidUsageEvent>;

/** The answer to POST /api/usage when at least one event was valid (they are stored). */
export const UsageIngested = z.object({
  /** Stored against a subscription. */
  accepted: z.number().int(),
  /** Already received earlier (same source and id): no effect. */
  duplicates: z.number().int(),
  /** Stored, but no subscription matched the subject: waiting in the quarantine for an admin. */
  quarantined: z.number().int(),
  /** Not stored; each with its index in the request and the reason. */
  invalid: z.array(InvalidUsageEvent),
  /** In words: what was stored and what was not. */
  message: z.string(),
});
export type UsageIngested = z.infer<typeof UsageIngested>;

export const quarantineStatuses = ['quarantined', 'accepted', 'discarded'] as const;

export const QuarantinedEvent = z.object({
  id: z.string(),
  source: z.string(),
  eventId: z.string(),
  type: z.string(),
  subject: z.string(),
  time: z.iso.datetime(),
  data: z.unknown(),
  meter: z.string(),
  value: z.string(),
  reason: z.string(),
  receivedAt: z.iso.datetime(),
  /** quarantined: waiting; accepted: assigned to a subscription; discarded: kept, never billed. */
  status: z.enum(quarantineStatuses),
  subscriptionId: z.uuid().nullable(),
  resolvedAt: z.iso.datetime().nullable(),
  resolution: z.string().nullable(),
});
export type QuarantinedEvent = z.infer<typeof QuarantinedEvent>;

export const QuarantineQuery = PageQuery.extend({
  /** open: waiting for a decision; resolved: assigned or discarded. */
  status: z.enum(['open', 'resolved']).default('open'),
});

/** Assign the event to a subscription, or discard it with a reason (it is kept, never billed). */
export const ResolveQuarantineBody = z.union([
  z.strictObject({ subscription: z.uuid() }),
  z.strictObject({ discard: z.string().trim().min(1).max(2000) }),
]);
export type ResolveQuarantineBody = z.input<typeof ResolveQuarantineBody>;
