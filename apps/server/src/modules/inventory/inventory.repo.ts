import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { subscriptions } from './inventory.tables.ts';

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

export function listOwnedBy(ex: Executor, ownerId: string, limit: number, after?: Cursor) {
  return ex
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.ownerId, ownerId),
        after
          ? or(
              lt(subscriptions.startedAt, after.at),
              and(eq(subscriptions.startedAt, after.at), lt(subscriptions.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(subscriptions.startedAt), desc(subscriptions.id))
    .limit(limit + 1);
}

export function findMany(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(subscriptions).where(inArray(subscriptions.id, ids));
}
