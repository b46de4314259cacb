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

/** One subscription's usage of one meter in a period, as its meter's aggregation adds it up. */
export interface UsageQuantity {
  subscriptionId: string;
  meterKey: string;
  unit: string;
  aggregation: string;
  /** A decimal string; time_weighted: to 9 places. */
  quantity: string;
}

const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);
const array = (values: string[], type: 'uuid' | 'text' | 'numeric') =>
  sql`${`{${values.map((v) => JSON.stringify(v)).join(',')}}`}::${sql.raw(type)}[]`;

/**
 * The accepted usage of `subscriptionIds` in `period` up to `until` (the period's end, or now for
 * a month still running), one quantity per subscription and meter, all computed by the database
 * so that no event is read into memory.
 *
 * One aggregate per aggregation, each over its meters only, so that every one but unique_count is
 * an index-only scan of usage_events_rating_idx with nothing to join or filter.
 *
 * time_weighted is a level held over the period: each reading holds from its time (or the
 * period's start, for the last one before it) until the next reading or `until` (or the
 * subscription's end, given in `ends`: a level is not held after what held it is gone); the sum of
 * level × whole seconds held, over the seconds of the whole month ("GB held" → GB-months),
 * rounded half-up to 9 places. The sum is exact (numeric) and the division is carried to 20
 * places before rounding: a quotient of an integer number of 10⁻⁹ by the month's seconds (under
 * 2.7 million) is never within 10⁻¹¹ of a tie without being one, so this rounds as exact
 * arithmetic does.
 */
export async function usageQuantities(
  ex: Executor,
  period: { start: Date; end: Date },
  until: Date,
  subscriptionIds: string[],
  ends: { subscriptionId: string; at: Date }[] = [],
): Promise<UsageQuantity[]> {
  if (!subscriptionIds.length) return [];
  const meterOf = new Map((await listMeters(ex)).map((m) => [m.key, m]));
  const keysOf = (aggregation: string) =>
    [...meterOf.values()].filter((m) => m.aggregation === aggregation).map((m) => m.key);
  const ids = array(subscriptionIds, 'uuid');
  const stop = until < period.end ? until : period.end;
  const within = (keys: string[]) => sql`e.status = 'accepted' and e.subscription_id = any(${ids})
    and e.meter_key = any(${array(keys, 'text')})
    and e.time >= ${period.start.toISOString()} and e.time < ${stop.toISOString()}`;
  const aggregates = {
    sum: sql`sum(e.value)`,
    count: sql`count(*)::numeric`,
    max: sql`max(e.value)`,
    latest: sql`(array_agg(e.value order by e.time desc, e.id desc))[1]`,
    unique_count: sql`count(distinct e.distinct_value)::numeric`,
  };
  const parts = Object.entries(aggregates)
    .filter(([aggregation]) => keysOf(aggregation).length)
    .map(
      ([aggregation, aggregate]) => sql`
        select e.subscription_id as "subscriptionId", e.meter_key as "meterKey", (${aggregate})::text as quantity
          from usage_events e where ${within(keysOf(aggregation))}
         group by e.subscription_id, e.meter_key`,
    );
  const levels = keysOf('time_weighted');
  if (levels.length) {
    const from = epochSeconds(period.start);
    const to = epochSeconds(stop);
    const endIds = array(
      ends.map((e) => e.subscriptionId),
      'uuid',
    );
    const endAts = array(
      ends.map((e) => String(epochSeconds(e.at))),
      'numeric',
    );
    parts.push(sql`
      select "subscriptionId", "meterKey",
             round(sum(case when held_to > held_from then value * (held_to - held_from) else 0 end)::numeric(60, 20)
                   / ${epochSeconds(period.end) - from}, 9)::text
        from (select "subscriptionId", "meterKey", value,
                     greatest(floor(extract(epoch from time)), ${from}) as held_from,
                     least(coalesce(floor(extract(epoch from lead(time) over (partition by "subscriptionId", "meterKey" order by time, id))),
                                    ${to}),
                           ${to},
                           coalesce((select ended.at from unnest(${endIds}, ${endAts}) ended(id, at)
                                      where ended.id = "subscriptionId"), ${to})) as held_to
                from (select e.subscription_id as "subscriptionId", e.meter_key as "meterKey", e.time, e.id, e.value
                        from usage_events e where ${within(levels)}
                      union all
                      -- the level each subscription held when the period began: its last reading before
                      select before.*
                        from unnest(${ids}) s(id) cross join unnest(${array(levels, 'text')}) m(key)
                        cross join lateral (
                          select e.subscription_id, e.meter_key, e.time, e.id, e.value
                            from usage_events e
                           where e.status = 'accepted' and e.subscription_id = s.id and e.meter_key = m.key
                             and e.time < ${period.start.toISOString()}
                           order by e.time desc, e.id desc
                           limit 1) before) readings) held
       group by "subscriptionId", "meterKey"`);
  }
  if (!parts.length) return [];
  const rows = rowsOf<{ subscriptionId: string; meterKey: string; quantity: string }>(
    await ex.execute(sql`${sql.join(parts, sql` union all `)} order by 1, 2`),
  );
  return rows.map((r) => {
    const meter = meterOf.get(r.meterKey)!;
    return { ...r, unit: meter.unit, aggregation: meter.aggregation };
  });
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
