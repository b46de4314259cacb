import { and, asc, desc, eq, gt, ilike, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { subscriptionEvents, subscriptions } from './inventory.tables.ts';

export type SubscriptionRow = typeof subscriptions.$inferSelect;

/** One subscription per order line: delivering the same line twice creates nothing new. */
export async function insertOnce(ex: Executor, row: typeof subscriptions.$inferInsert) {
  const [created] = await ex
    .insert(subscriptions)
    .values(row)
    .onConflictDoNothing({ target: subscriptions.orderLineId })
    .returning();
  return created;
}

export async function findByLine(ex: Executor, orderLineId: string) {
  const [row] = await ex.select().from(subscriptions).where(eq(subscriptions.orderLineId, orderLineId));
  return row;
}

export async function find(ex: Executor, id: string) {
  const [row] = await ex.select().from(subscriptions).where(eq(subscriptions.id, id));
  return row;
}

export function findMany(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(subscriptions).where(inArray(subscriptions.id, ids));
}

export async function lock(ex: Executor, id: string) {
  const [row] = await ex.select().from(subscriptions).where(eq(subscriptions.id, id)).for('update');
  return row;
}

export async function update(
  ex: Executor,
  id: string,
  patch: Partial<Omit<typeof subscriptions.$inferInsert, 'id'>>,
): Promise<SubscriptionRow> {
  const [row] = await ex.update(subscriptions).set(patch).where(eq(subscriptions.id, id)).returning();
  return row!;
}

export async function insertEvent(ex: Executor, row: typeof subscriptionEvents.$inferInsert) {
  await ex.insert(subscriptionEvents).values(row);
}

export const eventsOf = (ex: Executor, ids: string[]) =>
  ids.length
    ? ex
        .select()
        .from(subscriptionEvents)
        .where(inArray(subscriptionEvents.subscriptionId, ids))
        .orderBy(asc(subscriptionEvents.id))
    : Promise.resolve([]);

export type EventRow = typeof subscriptionEvents.$inferSelect;

export interface ListFilter {
  /** Whose: an owner, or any of these cost centres or owners (a team view); none = everyone. */
  ownerId?: string;
  teamOf?: { costCentreIds: string[]; ownerIds: string[] };
  costCentreId?: string;
  status: 'current' | 'ended' | 'all';
  q?: string;
  /** Services whose name matches `q`: their subscriptions match too. */
  serviceIds?: string[];
}

export function list(ex: Executor, f: ListFilter, limit: number, after?: Cursor) {
  const s = subscriptions;
  const team = f.teamOf
    ? or(
        f.teamOf.costCentreIds.length ? inArray(s.costCentreId, f.teamOf.costCentreIds) : sql`false`,
        f.teamOf.ownerIds.length ? inArray(s.ownerId, f.teamOf.ownerIds) : sql`false`,
      )
    : undefined;
  // The name, a delivered detail (host, address), or the service's name.
  const q = f.q
    ? or(
        ilike(s.name, `%${escapeLike(f.q)}%`),
        ilike(sql`${s.outputs}::text`, `%${escapeLike(f.q)}%`),
        f.serviceIds?.length ? inArray(s.serviceId, f.serviceIds) : undefined,
      )
    : undefined;
  return ex
    .select()
    .from(s)
    .where(
      and(
        f.ownerId ? eq(s.ownerId, f.ownerId) : undefined,
        team,
        f.costCentreId ? eq(s.costCentreId, f.costCentreId) : undefined,
        f.status === 'current'
          ? ne(s.status, 'ended')
          : f.status === 'ended'
            ? eq(s.status, 'ended')
            : undefined,
        q,
        after ? or(lt(s.startedAt, after.at), and(eq(s.startedAt, after.at), lt(s.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(s.startedAt), desc(s.id))
    .limit(limit + 1);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Active leases that end before `before` (the sweep that reminds, and decommissions after grace). */
export const leasesEndingBefore = (ex: Executor, before: Date) =>
  ex
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.status, 'active'), lt(subscriptions.leaseEndsAt, before)));

/** Subscriptions by id, or by the Open Service Broker instance id their delivery recorded. */
export function findByIdsOrInstances(ex: Executor, ids: string[], instanceIds: string[]) {
  if (ids.length === 0 && instanceIds.length === 0) return Promise.resolve([]);
  const instance = sql<string | null>`(${subscriptions.outputs}->>'osbInstanceId')`;
  return ex
    .select({
      id: subscriptions.id,
      status: subscriptions.status,
      startedAt: subscriptions.startedAt,
      endedAt: subscriptions.endedAt,
      osbInstanceId: instance,
    })
    .from(subscriptions)
    .where(
      or(
        ids.length ? inArray(subscriptions.id, ids) : undefined,
        instanceIds.length ? inArray(instance, instanceIds) : undefined,
      ),
    );
}

/**
 * The cost centres some subscription event before `end` names, after `after`, in id order: the
 * month close works through them a page at a time.
 */
export async function costCentresBefore(ex: Executor, end: Date, after: string | null, limit: number) {
  const rows = await ex
    .selectDistinct({ id: subscriptionEvents.costCentreId })
    .from(subscriptionEvents)
    .where(
      and(lt(subscriptionEvents.at, end), after ? gt(subscriptionEvents.costCentreId, after) : undefined),
    )
    .orderBy(asc(subscriptionEvents.costCentreId))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * The events before `end` of every subscription that some event before `end` charges to one of
 * `costCentreIds` (the whole history of each, also its parts in other cost centres), or of the
 * subscriptions `subscriptionIds`; each subscription's in the order they happened.
 */
export const eventsBefore = (
  ex: Executor,
  end: Date,
  of: { costCentreIds: string[] } | { subscriptionIds: string[] },
) =>
  ex
    .select()
    .from(subscriptionEvents)
    .where(
      and(
        lt(subscriptionEvents.at, end),
        'subscriptionIds' in of
          ? inArray(subscriptionEvents.subscriptionId, of.subscriptionIds)
          : inArray(
              subscriptionEvents.subscriptionId,
              ex
                .selectDistinct({ id: subscriptionEvents.subscriptionId })
                .from(subscriptionEvents)
                .where(
                  and(
                    lt(subscriptionEvents.at, end),
                    inArray(subscriptionEvents.costCentreId, of.costCentreIds),
                  ),
                ),
            ),
      ),
    )
    .orderBy(asc(subscriptionEvents.subscriptionId), asc(subscriptionEvents.id));

/** Who held the subscription just before `at` (its last event before then), if anyone. */
export async function holderBefore(ex: Executor, subscriptionId: string, at: Date) {
  const [row] = await ex
    .select({ costCentreId: subscriptionEvents.costCentreId })
    .from(subscriptionEvents)
    .where(and(eq(subscriptionEvents.subscriptionId, subscriptionId), lt(subscriptionEvents.at, at)))
    .orderBy(desc(subscriptionEvents.at), desc(subscriptionEvents.id))
    .limit(1);
  return row?.costCentreId ?? null;
}

/** When the first subscription event happened: billing has nothing to close before its month. */
export async function firstEventAt(ex: Executor): Promise<Date | null> {
  const [row] = await ex
    .select({ at: subscriptionEvents.at })
    .from(subscriptionEvents)
    .orderBy(asc(subscriptionEvents.at))
    .limit(1);
  return row?.at ?? null;
}

/** How many cost centres subscriptions were charged to before `end` (what a close goes through). */
export async function costCentreCountBefore(ex: Executor, end: Date): Promise<number> {
  const [row] = await ex
    .select({ n: sql<number>`count(distinct ${subscriptionEvents.costCentreId})::int` })
    .from(subscriptionEvents)
    .where(lt(subscriptionEvents.at, end));
  return row?.n ?? 0;
}
