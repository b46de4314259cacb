import { and, asc, desc, eq, inArray, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { cartItems, orderEvents, orderLines, orders } from './ordering.tables.ts';

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

const live = notInArray(orderLines.status, ['rejected', 'cancelled']);

/**
 * What a cost centre has committed, in UTC: for the month of `at`, the one-time prices of lines
 * ordered in it plus the monthly fee of every live line ordered before its end; for the year,
 * the one-time prices of lines ordered in it plus each live line's monthly fee for every month
 * of the year from the one it was ordered in.
 */
export async function committedAmounts(ex: Executor, costCentreId: string, at: Date) {
  const monthStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const monthEnd = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  const yearStart = new Date(Date.UTC(at.getUTCFullYear(), 0, 1));
  const yearEnd = new Date(Date.UTC(at.getUTCFullYear() + 1, 0, 1));
  const q = sql`${orderLines.quantity}`;
  const created = sql`${orders.createdAt}`;
  const [row] = await ex
    .select({
      month: sql<string>`coalesce(sum(
        case when ${created} >= ${monthStart} and ${created} < ${monthEnd} then ${orderLines.oneTimePrice} * ${q} else 0 end
        + case when ${created} < ${monthEnd} then ${orderLines.monthlyPrice} * ${q} else 0 end), 0)`,
      year: sql<string>`coalesce(sum(
        case when ${created} >= ${yearStart} then ${orderLines.oneTimePrice} * ${q} else 0 end
        + ${orderLines.monthlyPrice} * ${q} * (12 - case when ${created} >= ${yearStart}
            then extract(month from ${created} at time zone 'UTC') - 1 else 0 end)), 0)`,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(eq(orders.costCentreId, costCentreId), lt(orders.createdAt, yearEnd), live));
  return { month: row?.month ?? '0', year: row?.year ?? '0' };
}

/** Units of a plan held or on order (live lines) by a requester, or charged to a cost centre. */
export async function heldUnits(
  ex: Executor,
  planId: string,
  by: { requesterId: string } | { costCentreId: string },
) {
  const [row] = await ex
    .select({ n: sql<string>`coalesce(sum(${orderLines.quantity}), 0)` })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(
      and(
        eq(orderLines.planId, planId),
        live,
        'requesterId' in by
          ? eq(orders.requesterId, by.requesterId)
          : eq(orders.costCentreId, by.costCentreId),
      ),
    );
  return Number(row?.n ?? 0);
}

// ---- cart ---------------------------------------------------------------------------------

export type CartItemRow = typeof cartItems.$inferSelect;

export function cartOf(ex: Executor, userId: string) {
  return ex
    .select()
    .from(cartItems)
    .where(eq(cartItems.userId, userId))
    .orderBy(asc(cartItems.addedAt), asc(cartItems.id));
}

export async function insertCartItem(ex: Executor, row: typeof cartItems.$inferInsert) {
  const [created] = await ex.insert(cartItems).values(row).returning();
  return created!;
}

export async function updateCartItem(
  ex: Executor,
  userId: string,
  id: string,
  set: Partial<Pick<CartItemRow, 'planId' | 'options' | 'quantity' | 'usage'>>,
) {
  const [row] = await ex
    .update(cartItems)
    .set(set)
    .where(and(eq(cartItems.id, id), eq(cartItems.userId, userId)))
    .returning();
  return row;
}

export async function deleteCartItems(ex: Executor, userId: string, ids?: string[]) {
  return ex
    .delete(cartItems)
    .where(and(eq(cartItems.userId, userId), ids ? inArray(cartItems.id, ids) : undefined))
    .returning();
}

export const openChangeLines = (ex: Executor, subscriptionIds: string[]) =>
  subscriptionIds.length
    ? ex
        .select({ line: orderLines, order: orders })
        .from(orderLines)
        .innerJoin(orders, eq(orders.id, orderLines.orderId))
        .where(
          and(
            inArray(orderLines.subscriptionId, subscriptionIds),
            ne(orderLines.purpose, 'new'),
            inArray(orderLines.status, ['pending_approval', 'approved', 'in_fulfilment']),
          ),
        )
        .orderBy(asc(orders.createdAt))
    : Promise.resolve([]);
