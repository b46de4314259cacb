import { and, count, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { notifications } from './notify.tables.ts';

export type NotificationRow = typeof notifications.$inferSelect;

export async function insertNotifications(ex: Executor, rows: (typeof notifications.$inferInsert)[]) {
  if (rows.length) await ex.insert(notifications).values(rows);
}

export function listFor(ex: Executor, userId: string, unreadOnly: boolean, limit: number, after?: Cursor) {
  return ex
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        unreadOnly ? isNull(notifications.readAt) : undefined,
        after
          ? or(
              lt(notifications.createdAt, after.at),
              and(eq(notifications.createdAt, after.at), lt(notifications.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1);
}

export async function unreadCount(ex: Executor, userId: string) {
  const [row] = await ex
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks one (or, without `id`, every) unread notification of the person read; returns how many. */
export async function markRead(ex: Executor, userId: string, id?: string) {
  const rows = await ex
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        id ? eq(notifications.id, id) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}

export async function exists(ex: Executor, userId: string, id: string) {
  const [row] = await ex
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.id, id)));
  return row !== undefined;
}
