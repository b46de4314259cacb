import { and, asc, desc, eq, inArray, isNotNull, lt, ne, or, sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { meters, usageEvents } from './metering.tables.ts';

export type MeterRow = typeof meters.$inferSelect;
export type UsageEventRow = typeof usageEvents.$inferSelect;
export type NewUsageEvent = typeof usageEvents.$inferInsert;

export const listMeters = (ex: Executor) => ex.select().from(meters).orderBy(asc(meters.key));

export async function findMeter(ex: Executor, key: string) {
  const [row] = await ex.select().from(meters).where(eq(meters.key, key));
  return row;
}

export async function meterOfType(ex: Executor, eventType: string) {
  const [row] = await ex.select().from(meters).where(eq(meters.eventType, eventType));
  return row;
}

export const metersOfTypes = (ex: Executor, types: string[]) =>
  types.length ? ex.select().from(meters).where(inArray(meters.eventType, types)) : Promise.resolve([]);

export async function insertMeter(ex: Executor, row: typeof meters.$inferInsert) {
  const [created] = await ex.insert(meters).values(row).returning();
  return created!;
}

export async function updateMeter(ex: Executor, key: string, patch: Partial<typeof meters.$inferInsert>) {
  const [row] = await ex
    .update(meters)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(meters.key, key))
    .returning();
  return row!;
}

export async function meterHasEvents(ex: Executor, key: string): Promise<boolean> {
  const [row] = await ex
    .select({ id: usageEvents.id })
    .from(usageEvents)
    .where(eq(usageEvents.meterKey, key))
    .limit(1);
  return row !== undefined;
}

/** Rows per INSERT: 16 parameters a row stays well under PostgreSQL's 65,535 per statement. */
const CHUNK = 1000;

/**
 * Inserts the events that are new; an event whose (source, event_id) is already stored, or
 * arrives twice in `rows`, is skipped by the unique index. Returns the statuses of the rows
 * actually inserted. Callers sort `rows` by (source, event_id), so two requests carrying the same
 * events take their index locks in the same order and wait for each other instead of deadlocking.
 */
export async function insertNewEvents(ex: Executor, rows: NewUsageEvent[]) {
  const inserted: { status: UsageEventRow['status'] }[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    inserted.push(
      ...(await ex
        .insert(usageEvents)
        .values(rows.slice(i, i + CHUNK))
        .onConflictDoNothing({ target: [usageEvents.source, usageEvents.eventId] })
        .returning({ status: usageEvents.status })),
    );
  }
  return inserted;
}

/** Events that were quarantined: still waiting (open) or decided (resolved), newest first. */
export function listQuarantine(ex: Executor, open: boolean, limit: number, after?: Cursor) {
  const e = usageEvents;
  return ex
    .select()
    .from(e)
    .where(
      and(
        isNotNull(e.reason),
        open ? eq(e.status, 'quarantined') : ne(e.status, 'quarantined'),
        after
          ? or(lt(e.receivedAt, after.at), and(eq(e.receivedAt, after.at), lt(e.id, Number(after.id))))
          : undefined,
      ),
    )
    .orderBy(desc(e.receivedAt), desc(e.id))
    .limit(limit + 1);
}

export async function findEvent(ex: Executor, id: number) {
  const [row] = await ex.select().from(usageEvents).where(eq(usageEvents.id, id));
  return row;
}

/** Decides a quarantined event, once: returns nothing if it is not (or no longer) quarantined. */
export async function resolveQuarantined(
  ex: Executor,
  id: number,
  patch: Pick<NewUsageEvent, 'status' | 'subscriptionId' | 'resolvedById' | 'resolution'>,
) {
  const [row] = await ex
    .update(usageEvents)
    .set({ ...patch, resolvedAt: sql`now()` })
    .where(and(eq(usageEvents.id, id), eq(usageEvents.status, 'quarantined')))
    .returning();
  return row;
}

/**
 * Accepted usage in [start, end), aggregated per subscription and meter by the meter's
 * aggregation; time_weighted meters are left out (usageLevels gives their readings).
 */
export async function usageTotals(ex: Executor, start: Date, end: Date) {
  const e = usageEvents;
  const quantity = sql<string>`case ${meters.aggregation}
      when 'sum' then sum(${e.value})
      when 'count' then count(*)::numeric
      when 'max' then max(${e.value})
      when 'unique_count' then count(distinct ${e.distinctValue})::numeric
      when 'latest' then (array_agg(${e.value} order by ${e.time} desc, ${e.id} desc))[1]
    end::text`;
  return ex
    .select({
      subscriptionId: sql<string>`${e.subscriptionId}`,
      meterKey: e.meterKey,
      aggregation: meters.aggregation,
      unit: meters.unit,
      quantity,
    })
    .from(e)
    .innerJoin(meters, eq(meters.key, e.meterKey))
    .where(
      and(
        eq(e.status, 'accepted'),
        isNotNull(e.subscriptionId),
        sql`${e.time} >= ${start.toISOString()}`,
        lt(e.time, end),
        ne(meters.aggregation, 'time_weighted'),
      ),
    )
    .groupBy(e.subscriptionId, e.meterKey, meters.aggregation, meters.unit)
    .orderBy(asc(e.subscriptionId), asc(e.meterKey));
}

/**
 * The readings of time_weighted meters that hold a level during [start, end): those inside it,
 * and the last one before it (the level held when the period began), oldest first.
 */
export async function usageLevels(ex: Executor, start: Date, end: Date) {
  const rows = await ex.execute(sql`
    select * from (
      select e.subscription_id as "subscriptionId", e.meter_key as "meterKey", m.unit, e.time, e.id,
             e.value::text as value
        from usage_events e join meters m on m.key = e.meter_key
       where e.status = 'accepted' and e.subscription_id is not null and m.aggregation = 'time_weighted'
         and e.time >= ${start.toISOString()} and e.time < ${end.toISOString()}
      union all
      (select distinct on (e.subscription_id, e.meter_key)
              e.subscription_id, e.meter_key, m.unit, e.time, e.id, e.value::text
         from usage_events e join meters m on m.key = e.meter_key
        where e.status = 'accepted' and e.subscription_id is not null and m.aggregation = 'time_weighted'
          and e.time < ${start.toISOString()}
        order by e.subscription_id, e.meter_key, e.time desc, e.id desc)
    ) levels
    order by "subscriptionId", "meterKey", time, id`);
  return rowsOf<Level>(rows).map((r) => ({
    subscriptionId: r.subscriptionId,
    meterKey: r.meterKey,
    unit: r.unit,
    time: new Date(r.time),
    value: r.value,
  }));
}

interface Level {
  subscriptionId: string;
  meterKey: string;
  unit: string;
  time: Date | string;
  value: string;
}

/**
 * Accepted usage that counts towards [start, end) and arrived (or was accepted out of
 * quarantine) at or after `since`, per subscription and meter with the newest such event's id.
 * A time_weighted reading before the period counts too: it may set the level the period began with.
 */
export async function usageArrivedSince(ex: Executor, start: Date, end: Date, since: Date) {
  const rows = await ex.execute(sql`
    select e.subscription_id as "subscriptionId", e.meter_key as "meterKey", max(e.id)::text as "lastEventId"
      from usage_events e join meters m on m.key = e.meter_key
     where e.status = 'accepted' and e.subscription_id is not null
       and (e.received_at >= ${since.toISOString()} or e.resolved_at >= ${since.toISOString()})
       and e.time < ${end.toISOString()}
       and (e.time >= ${start.toISOString()} or m.aggregation = 'time_weighted')
     group by e.subscription_id, e.meter_key
     order by 1, 2`);
  return rowsOf<{ subscriptionId: string; meterKey: string; lastEventId: string }>(rows);
}

/** One subscription's counted events of a meter in [start, end), newest first, a page at a time. */
export function usageOf(
  ex: Executor,
  q: { subscriptionId: string; meterKey: string; start: Date; end: Date; limit: number; after?: Cursor },
) {
  const e = usageEvents;
  return ex
    .select()
    .from(e)
    .where(
      and(
        eq(e.status, 'accepted'),
        eq(e.subscriptionId, q.subscriptionId),
        eq(e.meterKey, q.meterKey),
        sql`${e.time} >= ${q.start.toISOString()}`,
        lt(e.time, q.end),
        q.after
          ? or(lt(e.time, q.after.at), and(eq(e.time, q.after.at), lt(e.id, Number(q.after.id))))
          : undefined,
      ),
    )
    .orderBy(desc(e.time), desc(e.id))
    .limit(q.limit + 1);
}
