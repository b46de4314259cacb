import { and, asc, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { orderEvents, orderLines, orders } from './ordering.tables.ts';

export type OrderRow = typeof orders.$inferSelect;
export type LineRow = typeof orderLines.$inferSelect;

/** Inserts the order unless this requester already used the idempotency key; then returns nothing. */
export async function insertOrderOnce(ex: Executor, row: typeof orders.$inferInsert) {
  const [created] = await ex
    .insert(orders)
    .values(row)
    .onConflictDoNothing({ target: [orders.requesterId, orders.idempotencyKey] })
    .returning();
  return created;
}

export async function findOrderByKey(ex: Executor, requesterId: string, key: string) {
  const [row] = await ex
    .select()
    .from(orders)
    .where(and(eq(orders.requesterId, requesterId), eq(orders.idempotencyKey, key)));
  return row;
}

export async function findOrder(ex: Executor, id: string) {
  const [row] = await ex.select().from(orders).where(eq(orders.id, id));
  return row;
}

export async function insertLines(ex: Executor, rows: (typeof orderLines.$inferInsert)[]) {
  return ex.insert(orderLines).values(rows).returning();
}

export function linesOf(ex: Executor, orderIds: string[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return ex
    .select()
    .from(orderLines)
    .where(inArray(orderLines.orderId, orderIds))
    .orderBy(asc(orderLines.orderId), asc(orderLines.position));
}

export async function findLine(ex: Executor, id: string) {
  const [row] = await ex.select().from(orderLines).where(eq(orderLines.id, id));
  return row;
}

export function findLines(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(orderLines).where(inArray(orderLines.id, ids));
}

/** Moves a line from one status to the next; returns nothing when it was not in `from`. */
export async function transitionLine(
  ex: Executor,
  id: string,
  from: string[],
  to: string,
  extra: Partial<typeof orderLines.$inferInsert> = {},
) {
  const [row] = await ex
    .update(orderLines)
    .set({ status: to, ...extra })
    .where(and(eq(orderLines.id, id), inArray(orderLines.status, from)))
    .returning();
  return row;
}

export async function setOrderStatus(ex: Executor, id: string, status: string) {
  await ex.update(orders).set({ status }).where(eq(orders.id, id));
}

export async function insertEvent(ex: Executor, row: typeof orderEvents.$inferInsert) {
  await ex.insert(orderEvents).values(row);
}

export function eventsOf(ex: Executor, orderId: string) {
  return ex.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.id));
}

export function ordersOf(ex: Executor, requesterId: string, limit: number, after?: Cursor) {
  return ex
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.requesterId, requesterId),
        after
          ? or(lt(orders.createdAt, after.at), and(eq(orders.createdAt, after.at), lt(orders.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
}
