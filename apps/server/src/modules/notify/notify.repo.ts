import { and, count, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { notifications, outgoingEmails } from './notify.tables.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type EmailRow = typeof outgoingEmails.$inferSelect;

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

// ---- e-mail outbox ------------------------------------------------------------------------

export async function insertEmails(ex: Executor, rows: (typeof outgoingEmails.$inferInsert)[]) {
  if (rows.length) await ex.insert(outgoingEmails).values(rows);
}

/** Gives up on an e-mail after this many failed attempts (the last error stays on its row). */
export const MAX_EMAIL_ATTEMPTS = 8;

/**
 * Takes the oldest unsent e-mail no other sender holds, for `seconds`, counting the attempt; it is
 * free again after that (a sender that died). Committed before sending: no transaction is held
 * open while the mail server answers.
 */
export async function claimEmail(ex: Executor, seconds: number): Promise<EmailRow | undefined> {
  const e = outgoingEmails;
  const [row] = await ex
    .update(e)
    .set({ claimedUntil: sql`now() + make_interval(secs => ${seconds})`, attempts: sql`${e.attempts} + 1` })
    .where(
      eq(
        e.id,
        sql`(select id from ${e} where ${e.sentAt} is null and ${e.attempts} < ${MAX_EMAIL_ATTEMPTS}
              and (${e.claimedUntil} is null or ${e.claimedUntil} < now())
            order by ${e.createdAt} limit 1 for update skip locked)`,
      ),
    )
    .returning();
  return row;
}

export async function markEmailSent(ex: Executor, id: string) {
  await ex
    .update(outgoingEmails)
    .set({ sentAt: sql`now()`, lastError: null })
    .where(eq(outgoingEmails.id, id));
}

/** Keeps a failed e-mail back for 2, 4, 8 … (at most 60) minutes before it is tried again. */
export async function markEmailFailed(ex: Executor, id: string, error: string) {
  const e = outgoingEmails;
  await ex
    .update(e)
    .set({
      lastError: error.slice(0, 2000),
      claimedUntil: sql`now() + make_interval(mins => least(60, power(2, ${e.attempts})::int))`,
    })
    .where(eq(e.id, id));
}
