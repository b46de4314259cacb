import { page, PageQuery, Problem, Subscription } from '@portico/shared';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { SubscriptionParams } from './inventory.schemas.ts';
import * as service from './inventory.service.ts';

const tags = ['inventory'];

export function inventoryRoutes(app: Http, { database }: Deps): void {
  app.get(
    '/api/subscriptions',
    {
      schema: {
        tags,
        summary: 'What I own, newest first',
        querystring: PageQuery,
        response: { 200: page(Subscription) },
      },
    },
    async (req) => service.listMine(database.db, actorOf(req), req.query),
  );

  app.get(
    '/api/subscriptions/:id',
    {
      schema: {
        tags,
        summary: 'One of my subscriptions',
        params: SubscriptionParams,
        response: { 200: Subscription, 404: Problem },
      },
    },
    async (req) => service.getSubscription(database.db, actorOf(req), req.params.id),
  );
}
