import type { Notification, Notifications } from '@portico/shared';
import type { Actor } from '../../platform/actor.ts';
import type { Database, Executor, Tx } from '../../platform/db.ts';
import type { Mailer } from '../../platform/mailer.ts';
import { notFound, unauthorized } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { people } from '../identity/index.ts';
import * as repo from './notify.repo.ts';

export interface NewNotification {
  kind: string;
  title: string;
  body: string;
  link: string | null;
}

/**
 * Tells each of `userIds` (once each), in the caller's transaction: in the app, and with `email`
 * also by e-mail (written to the outbox in the same transaction, sent by the e-mail job).
 */
export async function notify(
  tx: Tx,
  userIds: string[],
  what: NewNotification,
  options: { email?: boolean } = {},
): Promise<void> {
  const ids = [...new Set(userIds)];
  await repo.insertNotifications(
    tx,
    ids.map((userId) => ({ userId, ...what })),
  );
  if (!options.email) return;
  const recipients = await people(tx, ids);
  await repo.insertEmails(
    tx,
    ids.flatMap((userId) => {
      const person = recipients.get(userId);
      return person
        ? [{ userId, toAddress: person.email, subject: what.title, text: what.body, link: what.link }]
        : [];
    }),
  );
}

/**
 * Sends what the outbox holds, oldest first, until it is empty or `limit` were tried; returns how
 * many were sent. A failure is kept on the e-mail, which is tried again after a back-off (up to
 * repo.MAX_EMAIL_ATTEMPTS times).
 */
export async function sendOutbox(
  database: Database,
  mailer: Mailer,
  portalUrl: string,
  limit = 100,
): Promise<number> {
  let sent = 0;
  const host = new URL(portalUrl).hostname;
  for (let i = 0; i < limit; i++) {
    const email = await database.transaction((tx) => repo.claimEmail(tx, 60));
    if (!email) break;
    const link = email.link ? `\n\n${new URL(email.link, portalUrl).href}\n` : '\n';
    try {
      await mailer.send({
        to: email.toAddress,
        subject: email.subject,
        text: `${email.text}${link}\n-- \nPortico, your IT service portal`,
        messageId: `<${email.id}@${host}>`,
      });
    } catch (err) {
      await database.transaction((tx) => repo.markEmailFailed(tx, email.id, String(err)));
      continue;
    }
    await database.transaction((tx) => repo.markEmailSent(tx, email.id));
    sent++;
  }
  return sent;
}

const present = (r: repo.NotificationRow): Notification => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  createdAt: r.createdAt.toISOString(),
  readAt: r.readAt?.toISOString() ?? null,
});

export async function listMine(
  ex: Executor,
  actor: Actor,
  query: { unread: boolean; limit: number; cursor?: string },
): Promise<Notifications> {
  if (!actor.userId) throw unauthorized();
  const page = trimPage(
    await repo.listFor(ex, actor.userId, query.unread, query.limit, decodeCursor(query.cursor)),
    query.limit,
    (r) => ({ at: r.createdAt, id: r.id }),
  );
  return {
    items: page.rows.map(present),
    unread: await repo.unreadCount(ex, actor.userId),
    nextCursor: page.nextCursor,
  };
}

export async function markRead(tx: Tx, actor: Actor, id?: string): Promise<{ unread: number }> {
  if (!actor.userId) throw unauthorized();
  if (id && !(await repo.exists(tx, actor.userId, id))) throw notFound('Notification');
  await repo.markRead(tx, actor.userId, id);
  return { unread: await repo.unreadCount(tx, actor.userId) };
}
