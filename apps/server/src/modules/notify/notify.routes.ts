import { Notifications, PageQuery, Problem } from '@portico/shared';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import * as service from './notify.service.ts';

const tags = ['notify'];
const Unread = z.object({ unread: z.number().int() });

export function notifyRoutes(app: Http, { database }: Deps): void {
  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest first, with the unread count',
        querystring: PageQuery.extend({ unread: z.stringbool().default(false) }),
        response: { 200: Notifications },
      },
    },
    async (req) => service.listMine(database.db, actorOf(req), req.query),
  );

  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one notification read',
        params: z.object({ id: z.uuid() }),
        response: { 200: Unread, 404: Problem },
      },
    },
    async (req) => database.transaction((tx) => service.markRead(tx, actorOf(req), req.params.id)),
  );

  app.post(
    '/api/notifications/read-all',
    { schema: { tags, summary: 'Mark all my notifications read', response: { 200: Unread } } },
    async (req) => database.transaction((tx) => service.markRead(tx, actorOf(req))),
  );
}
