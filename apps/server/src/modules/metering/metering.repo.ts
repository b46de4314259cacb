import { and, asc, desc, eq, inArray, isNotNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
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
