import type { Notification, Notifications } from '@portico/shared';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { notFound, unauthorized } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import * as repo from './notify.repo.ts';

export interface NewNotification {
  kind: string;
  title: string;
  body: string;
  link: string | null;
}

/** Tells each of `userIds` (once each), in the caller's transaction. */
export async function notify(tx: Tx, userIds: string[], what: NewNotification): Promise<void> {
  await repo.insertNotifications(
    tx,
    [...new Set(userIds)].map((userId) => ({ userId, ...what })),
  );
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
