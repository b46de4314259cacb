import { Order, OrderSummary, page, PageQuery, PlaceOrderBody, Problem } from '@portico/shared';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { IdempotencyHeaders, OrderParams } from './ordering.schemas.ts';
import * as service from './ordering.service.ts';

const tags = ['ordering'];

export interface OrderingRouteDeps extends Deps {
  /** Checkout: submits the order and routes it for approval, in one transaction. */
  placeOrder: (
    tx: Tx,
    actor: Actor,
    body: z.output<typeof PlaceOrderBody>,
    idempotencyKey: string,
  ) => Promise<{ orderId: string; created: boolean }>;
  /** Whether a person approves or fulfils part of an order (and so may see it). */
  involved: (ex: Executor, userId: string, orderId: string) => Promise<boolean>;
}

export function orderingRoutes(app: Http, deps: OrderingRouteDeps): void {
  const { database } = deps;
  app.post(
    '/api/orders',
    {
      schema: {
        tags,
        summary: 'Check out: place an order (send the same Idempotency-Key to retry safely)',
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: { 200: Order, 201: Order, 400: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const key = req.headers['idempotency-key'];
      const order = await database.transaction(async (tx) => {
        const placed = await deps.placeOrder(tx, actor, req.body, key);
        return { placed, order: await service.getOrder(tx, actor, placed.orderId, deps.involved) };
      });
      return reply.code(order.placed.created ? 201 : 200).send(order.order);
    },
  );

  app.get(
    '/api/orders',
    {
      schema: {
        tags,
        summary: 'My orders, newest first',
        querystring: PageQuery,
        response: { 200: page(OrderSummary) },
      },
    },
    async (req) => service.listMyOrders(database.db, actorOf(req), req.query),
  );

  app.get(
    '/api/orders/:id',
    {
      schema: {
        tags,
        summary: 'An order with its lines and timeline',
        params: OrderParams,
        response: { 200: Order, 404: Problem },
      },
    },
    async (req) => service.getOrder(database.db, actorOf(req), req.params.id, deps.involved),
  );
}
