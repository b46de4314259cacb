import {
  CancelLineBody,
  Cart,
  CartItemBody,
  CartItemPatch,
  CartQuery,
  CheckoutBody,
  Order,
  OrderSummary,
  page,
  PageQuery,
  PlaceOrderBody,
  Problem,
} from '@portico/shared';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, invalidFields } from '../../platform/errors.ts';
import { actorOf, IdempotencyHeaders, type Http } from '../../platform/http.ts';
import * as cart from './ordering.cart.ts';
import { OrderParams } from './ordering.schemas.ts';
import * as service from './ordering.service.ts';

const tags = ['ordering'];

export interface OrderingRouteDeps extends Deps, service.OrderLookups {
  /** Checkout: submits the order and routes it for approval, in one transaction. */
  placeOrder: (
    tx: Tx,
    actor: Actor,
    body: z.output<typeof PlaceOrderBody>,
    idempotencyKey: string,
    requestIdentity?: unknown,
  ) => Promise<{ orderId: string; created: boolean }>;
  /** Cancels a line and whatever approvals still wait on it. */
  cancelLine: (tx: Tx, actor: Actor, orderId: string, lineId: string, reason: string | null) => Promise<void>;
  preview: cart.OrderPreview;
}

const CartItemParams = z.object({ id: z.uuid() });

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
        return { placed, order: await service.getOrder(tx, actor, placed.orderId, deps) };
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
    async (req) => service.getOrder(database.db, actorOf(req), req.params.id, deps),
  );

  app.post(
    '/api/orders/:id/lines/:lineId/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a line of my order, until its fulfilment starts',
        params: OrderParams.extend({ lineId: z.uuid() }),
        body: CancelLineBody,
        response: { 200: Order, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction(async (tx) => {
        await deps.cancelLine(tx, actor, req.params.id, req.params.lineId, req.body.reason ?? null);
        return service.getOrder(tx, actor, req.params.id, deps);
      });
    },
  );

  // ---- cart ----------------------------------------------------------------------------

  const showCart = (ex: Executor, actor: Actor, costCentre?: string) =>
    cart.getCart(ex, actor, costCentre, deps.preview);

  app.get(
    '/api/cart',
    {
      schema: {
        tags,
        summary: 'My cart: live estimates, budget impact, quotas and who will approve, for a cost centre',
        querystring: CartQuery,
        response: { 200: Cart, 400: Problem },
      },
    },
    async (req) => showCart(database.db, actorOf(req), req.query.costCentre),
  );

  app.post(
    '/api/cart/items',
    {
      schema: {
        tags,
        summary: 'Put a plan in my cart (answers with the cart, previewed for `costCentre` if given)',
        querystring: CartQuery,
        body: CartItemBody,
        response: { 201: Cart, 400: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      // Read back in the same transaction: a cost centre that cannot be previewed undoes the write.
      const shown = await database.transaction(async (tx) => {
        await cart.addItem(tx, actor, req.body);
        return showCart(tx, actor, req.query.costCentre);
      });
      return reply.code(201).send(shown);
    },
  );

  app.patch(
    '/api/cart/items/:id',
    {
      schema: {
        tags,
        summary: 'Change an item’s plan, options, quantity or expected usage',
        params: CartItemParams,
        querystring: CartQuery,
        body: CartItemPatch,
        response: { 200: Cart, 400: Problem, 404: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction(async (tx) => {
        await cart.updateItem(tx, actor, req.params.id, req.body);
        return showCart(tx, actor, req.query.costCentre);
      });
    },
  );

  app.delete(
    '/api/cart/items/:id',
    {
      schema: {
        tags,
        summary: 'Take an item out of my cart',
        params: CartItemParams,
        querystring: CartQuery,
        response: { 200: Cart, 404: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction(async (tx) => {
        await cart.removeItem(tx, actor, req.params.id);
        return showCart(tx, actor, req.query.costCentre);
      });
    },
  );

  app.post(
    '/api/cart/checkout',
    {
      schema: {
        tags,
        summary: 'Check out the cart as one order (send the same Idempotency-Key to retry safely)',
        headers: IdempotencyHeaders,
        body: CheckoutBody,
        response: { 200: Order, 201: Order, 400: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const key = req.headers['idempotency-key'];
      const result = await database.transaction(async (tx) => {
        const { ids, lines } = await cart.cartAsLines(tx, actor);
        const placed = await deps
          .placeOrder(tx, actor, { ...req.body, lines }, key, { cartCheckout: req.body })
          .catch((err: unknown) => {
            throw asItemErrors(err);
          });
        if (placed.created) await cart.emptyCart(tx, actor, ids);
        return { placed, order: await service.getOrder(tx, actor, placed.orderId, deps) };
      });
      return reply.code(result.placed.created ? 201 : 200).send(result.order);
    },
  );
}

/** Errors about `lines.N…` of the order are about `items.N…` of the cart. */
function asItemErrors(err: unknown): unknown {
  if (!(err instanceof AppError) || !err.errors) return err;
  return invalidFields(err.errors.map((e) => ({ ...e, path: e.path.replace(/^lines\./, 'items.') })));
}
