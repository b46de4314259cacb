import type {
  InvalidUsageEvent,
  Meter,
  PutMeterBody,
  QuarantinedEvent,
  ResolveQuarantineBody,
  UsageIngested,
} from '@portico/shared';
import Decimal from 'decimal.js';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { findSubscription, subscriptionsForUsage, type SubscriptionForUsage } from '../inventory/index.ts';
import { CloudEvent, fieldName, type Received } from './metering.cloudevents.ts';
import { mayManageMetering, mayReadMetering, mayReportUsage } from './metering.policy.ts';
import * as repo from './metering.repo.ts';

// ---- meters ---------------------------------------------------------------------------

const presentMeter = (m: repo.MeterRow): Meter => ({
  key: m.key,
  name: m.name,
  unit: m.unit,
  aggregation: m.aggregation,
  valueProperty: m.valueProperty,
  eventType: m.eventType,
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});

export async function listMeters(ex: Executor, actor: Actor): Promise<Meter[]> {
  mayReadMetering(actor);
  return (await repo.listMeters(ex)).map(presentMeter);
}

export async function getMeter(ex: Executor, actor: Actor, key: string): Promise<Meter> {
  mayReadMetering(actor);
  const meter = await repo.findMeter(ex, key);
  if (!meter) throw notFound(`Meter ${key}`);
  return presentMeter(meter);
}

/**
 * Creates or changes a meter. Once it has usage, what its stored values mean (aggregation,
 * property, event type) is fixed: only its name and unit may change; a new meter is the way.
 */
export async function putMeter(
  tx: Tx,
  actor: Actor,
  key: string,
  input: z.output<typeof PutMeterBody>,
): Promise<{ meter: Meter; created: boolean }> {
  mayManageMetering(actor);
  const wanted = {
    name: input.name,
    unit: input.unit,
    aggregation: input.aggregation,
    valueProperty: input.aggregation === 'count' ? null : (input.valueProperty ?? null),
    eventType: input.eventType,
  };
  const owner = await repo.meterOfType(tx, wanted.eventType);
  if (owner && owner.key !== key) {
    throw new AppError('Conflict', `eventType: meter ${owner.key} already counts events of this type`, [
      { path: 'eventType', message: `meter ${owner.key} already counts events of this type` },
    ]);
  }
  const before = await repo.findMeter(tx, key);
  if (!before) {
    const created = await repo.insertMeter(tx, { key, ...wanted });
    await recordAudit(tx, actor, {
      action: 'meter.created',
      entityType: 'meter',
      entityId: key,
      after: wanted,
    });
    return { meter: presentMeter(created), created: true };
  }
  const fixed = (['aggregation', 'valueProperty', 'eventType'] as const).filter(
    (f) => before[f] !== wanted[f],
  );
  if (fixed.length && (await repo.meterHasEvents(tx, key))) {
    throw new AppError(
      'Conflict',
      `${fixed.join(', ')}: cannot change once the meter has usage (only name and unit can); create a new meter instead`,
      fixed.map((f) => ({
        path: f,
        message: 'cannot change once the meter has usage; create a new meter instead',
      })),
    );
  }
  const updated = await repo.updateMeter(tx, key, wanted);
  await recordAudit(tx, actor, {
    action: 'meter.changed',
    entityType: 'meter',
    entityId: key,
    before: {
      name: before.name,
      unit: before.unit,
      aggregation: before.aggregation,
      valueProperty: before.valueProperty,
      eventType: before.eventType,
    },
    after: wanted,
  });
  return { meter: presentMeter(updated), created: false };
}

/**
 * Creates the meter unless one with this key or event type exists already (seed data on every
 * start: what an admin changed since stays as it is). Returns whether it created it.
 */
export async function ensureMeter(
  tx: Tx,
  actor: Actor,
  key: string,
  input: z.output<typeof PutMeterBody>,
): Promise<boolean> {
  if ((await repo.findMeter(tx, key)) || (await repo.meterOfType(tx, input.eventType))) return false;
  await putMeter(tx, actor, key, input);
  return true;
}

// ---- ingestion ------------------------------------------------------------------------

/** An event's time may run this far ahead of ours (clock skew); beyond, it is refused. */
const FUTURE_SKEW_MS = 5 * 60_000;
/** numeric(38, 9): 29 digits before the point. */
const TOO_LARGE = new Decimal('1e20');

type Problem = { field: string; reason: string };
type Value = { value: string; distinctValue: string | null };

function propertyOf(data: unknown, path: string): unknown {
  let at: unknown = data;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** The meter's quantity in one event: 1 for count, else from the property of its data. */
export function valueOf(meter: repo.MeterRow, data: unknown): Value | Problem {
  if (meter.aggregation === 'count') return { value: '1', distinctValue: null };
  const path = meter.valueProperty!;
  const field = `data.${path}`;
  const raw = propertyOf(data, path);
  if (raw === undefined || raw === null) {
    return { field, reason: `is required: meter ${meter.key} (${meter.aggregation}) reads ${field}` };
  }
  if (meter.aggregation === 'unique_count') {
    if ((typeof raw === 'string' && raw.length > 0 && raw.length <= 500) || Number.isFinite(raw)) {
      return { value: '1', distinctValue: String(raw) };
    }
    return { field, reason: `must be a text (at most 500 characters) or a number for meter ${meter.key}` };
  }
  const number =
    typeof raw === 'number' && Number.isFinite(raw)
      ? new Decimal(raw)
      : typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw)
        ? new Decimal(raw)
        : null;
  if (!number) return { field, reason: `must be a number (or a decimal string) for meter ${meter.key}` };
  if (number.isNegative()) return { field, reason: 'must not be negative' };
  if (number.gte(TOO_LARGE)) return { field, reason: 'must be less than 100000000000000000000' };
  return { value: number.toFixed(9), distinctValue: null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a subject may name: `subscriptions/<id>` or a bare subscription id, or the Open Service
 * Broker instance id the subscription's delivery recorded as its `osbInstanceId` output (a broker
 * reports usage per instance). A bare value is tried as a subscription id first.
 */
function subjectKeys(subject: string): { id?: string; instanceId?: string } {
  const named = /^subscriptions\/(.+)$/.exec(subject);
  if (named) return UUID.test(named[1]!) ? { id: named[1]!.toLowerCase() } : {};
  return UUID.test(subject) ? { id: subject.toLowerCase(), instanceId: subject } : { instanceId: subject };
}

async function resolveSubjects(ex: Executor, subjects: string[]): Promise<Map<string, string>> {
  const keys = new Map(subjects.map((s) => [s, subjectKeys(s)]));
  const found = await subscriptionsForUsage(
    ex,
    [...keys.values()].flatMap((k) => (k.id ? [k.id] : [])),
    [...keys.values()].flatMap((k) => (k.instanceId ? [k.instanceId] : [])),
  );
  const byId = new Map(found.map((s) => [s.id, s]));
  const byInstance = new Map<string, SubscriptionForUsage>();
  // One instance, several subscriptions should not happen; if it does, the running one, else the latest.
  const rank = (s: SubscriptionForUsage) => [s.status === 'ended' ? 0 : 1, s.startedAt.getTime()] as const;
  for (const s of found) {
    if (!s.osbInstanceId) continue;
    const seen = byInstance.get(s.osbInstanceId);
    const [a, b] = rank(s);
    if (!seen || a > rank(seen)[0] || (a === rank(seen)[0] && b > rank(seen)[1]))
      byInstance.set(s.osbInstanceId, s);
  }
  const resolved = new Map<string, string>();
  for (const [subject, k] of keys) {
    const match = (k.id && byId.get(k.id)) || (k.instanceId && byInstance.get(k.instanceId));
    if (match) resolved.set(subject, match.id);
  }
  return resolved;
}

interface Checked {
  index: number;
  event: CloudEvent & { subject: string };
  meter: repo.MeterRow;
  value: Value;
  time: Date;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Stores the usage events of one request, in the caller's transaction: the valid ones are kept
 * (against their subscription, or quarantined when the subject names none), duplicates have no
 * effect, and each invalid one is reported by index, field and reason. If every event is invalid
 * nothing is written and the answer is a 400 naming them.
 */
export async function ingestUsage(tx: Tx, actor: Actor, received: Received): Promise<UsageIngested> {
  mayReportUsage(actor);
  const now = new Date();
  const invalidEvents: InvalidUsageEvent[] = [];
  const reject = (index: number, field: string, reason: string) =>
    invalidEvents.push({ index, field: fieldName(received.mode, field), reason });

  const parsed: { index: number; event: CloudEvent }[] = [];
  received.events.forEach((raw, index) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      reject(index, 'event', 'must be a JSON object (a CloudEvent)');
      return;
    }
    const result = CloudEvent.safeParse(raw);
    if (result.success) parsed.push({ index, event: result.data });
    else
      for (const issue of result.error.issues) reject(index, issue.path.join('.') || 'event', issue.message);
  });

  const meters = new Map(
    (await repo.metersOfTypes(tx, [...new Set(parsed.map((p) => p.event.type))])).map((m) => [
      m.eventType,
      m,
    ]),
  );
  const checked: Checked[] = [];
  for (const { index, event } of parsed) {
    const meter = meters.get(event.type);
    if (!meter) {
      reject(index, 'type', `no meter counts events of type "${event.type}"`);
      continue;
    }
    if (!event.subject) {
      reject(
        index,
        'subject',
        'is required: the subscription id (or subscriptions/<id>), or its broker instance id',
      );
      continue;
    }
    const time = event.time ? new Date(event.time) : now;
    if (time.getTime() > now.getTime() + FUTURE_SKEW_MS) {
      reject(index, 'time', 'is in the future');
      continue;
    }
    const value = valueOf(meter, event.data);
    if ('reason' in value) {
      reject(index, value.field, value.reason);
      continue;
    }
    checked.push({ index, event: event as Checked['event'], meter, value, time });
  }
  invalidEvents.sort((a, b) => a.index - b.index);
  const total = received.events.length;
  if (checked.length === 0) throw allInvalid(total, invalidEvents);

  const subscriptions = await resolveSubjects(tx, [...new Set(checked.map((c) => c.event.subject))]);
  const rows: repo.NewUsageEvent[] = checked.map(({ event, meter, value, time }) => {
    const subscriptionId = subscriptions.get(event.subject) ?? null;
    return {
      source: event.source,
      eventId: event.id,
      type: event.type,
      subject: event.subject,
      time,
      data: event.data ?? event.data_base64 ?? null,
      meterKey: meter.key,
      value: value.value,
      distinctValue: value.distinctValue,
      status: subscriptionId ? 'accepted' : 'quarantined',
      subscriptionId,
      reason: subscriptionId ? null : `no subscription matches the subject "${event.subject}"`,
      receivedAt: now,
    };
  });
  rows.sort((a, b) => compare(a.source, b.source) || compare(a.eventId, b.eventId));
  const inserted = await repo.insertNewEvents(tx, rows);
  const quarantined = inserted.filter((r) => r.status === 'quarantined').length;
  const accepted = inserted.length - quarantined;
  const duplicates = checked.length - inserted.length;
  const parts = [
    `${plural(accepted, 'event')} stored`,
    ...(quarantined ? [`${quarantined} quarantined (no subscription matches the subject)`] : []),
    ...(duplicates ? [`${plural(duplicates, 'duplicate')} ignored (already received)`] : []),
    ...(invalidEvents.length
      ? [
          `${plural(new Set(invalidEvents.map((i) => i.index)).size, 'invalid event')} not stored (see invalid)`,
        ]
      : []),
  ];
  return {
    accepted,
    duplicates,
    quarantined,
    invalid: invalidEvents,
    message: `Of ${plural(total, 'event')}: ${parts.join('; ')}.`,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function allInvalid(total: number, invalidEvents: InvalidUsageEvent[]): AppError {
  // A single event's fields are named as they are; a batch's with the event's index first.
  const errors = invalidEvents.map((i) => ({
    path: total === 1 ? i.field : `${i.index}.${i.field}`,
    message: i.reason,
  }));
  const shown = errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`);
  const more = errors.length > 5 ? ` … and ${errors.length - 5} more` : '';
  const what = total === 1 ? 'the event is invalid' : `all ${total} events are invalid`;
  return new AppError('Invalid', `No event was stored: ${what}. ${shown.join('; ')}${more}`, errors);
}

// ---- quarantine -----------------------------------------------------------------------

const presentQuarantined = (r: repo.UsageEventRow): QuarantinedEvent => ({
  id: String(r.id),
  source: r.source,
  eventId: r.eventId,
  type: r.type,
  subject: r.subject,
  time: r.time.toISOString(),
  data: r.data,
  meter: r.meterKey,
  value: r.value,
  reason: r.reason ?? '',
  receivedAt: r.receivedAt.toISOString(),
  status: r.status,
  subscriptionId: r.subscriptionId,
  resolvedAt: r.resolvedAt?.toISOString() ?? null,
  resolution: r.resolution,
});

export async function listQuarantine(
  ex: Executor,
  actor: Actor,
  query: { status: 'open' | 'resolved'; limit: number; cursor?: string },
) {
  mayReadMetering(actor);
  const after = decodeCursor(query.cursor);
  const rows = await repo.listQuarantine(ex, query.status === 'open', query.limit, after);
  const page = trimPage(rows, query.limit, (r) => ({ at: r.receivedAt, id: String(r.id) }));
  return { items: page.rows.map(presentQuarantined), nextCursor: page.nextCursor };
}

/**
 * Decides a quarantined event: it counts for the subscription an admin names from now on, or it
 * is discarded with a reason (kept, marked, never billed). Audited; decided once.
 */
export async function resolveQuarantined(
  tx: Tx,
  actor: Actor,
  id: number,
  input: z.output<typeof ResolveQuarantineBody>,
): Promise<QuarantinedEvent> {
  mayManageMetering(actor);
  const event = await repo.findEvent(tx, id);
  if (!event || event.reason === null) throw notFound('Quarantined usage event');
  let patch: Parameters<typeof repo.resolveQuarantined>[2];
  if ('subscription' in input) {
    const subscription = await findSubscription(tx, input.subscription);
    if (!subscription) throw invalid('subscription', 'no subscription has this id');
    patch = {
      status: 'accepted',
      subscriptionId: subscription.id,
      resolvedById: actor.userId,
      resolution: `assigned to subscription ${subscription.id}`,
    };
  } else {
    patch = {
      status: 'discarded',
      subscriptionId: null,
      resolvedById: actor.userId,
      resolution: input.discard,
    };
  }
  const resolved = await repo.resolveQuarantined(tx, id, patch);
  if (!resolved) {
    const now = (await repo.findEvent(tx, id))!;
    throw conflict(`This event was already resolved (${now.status}): ${now.resolution ?? ''}`);
  }
  await recordAudit(tx, actor, {
    action: patch.status === 'accepted' ? 'usage_event.assigned' : 'usage_event.discarded',
    entityType: 'usage_event',
    entityId: String(id),
    before: { status: 'quarantined', subject: event.subject, reason: event.reason },
    after: { status: patch.status, subscriptionId: patch.subscriptionId, resolution: patch.resolution },
  });
  return presentQuarantined(resolved);
}

// ---- rating (the month close reads usage through these) --------------------------------

export const findMeter = (ex: Executor, key: string) => repo.findMeter(ex, key);
export const usageQuantities = repo.usageQuantities;
export type UsageQuantity = repo.UsageQuantity;
export const usageOf = repo.usageOf;
export const allMeters = repo.listMeters;
export const usageArrivedSince = repo.usageArrivedSince;
