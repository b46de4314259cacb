import {
  ChangeBody,
  ChangePlaced,
  DecommissionBody,
  ExtendBody,
  page,
  Problem,
  RevealedCredentials,
  Subscription,
  SubscriptionDetail,
  SubscriptionQuery,
  TransferBody,
  type PlanChoice,
} from '@portico/shared';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, IdempotencyHeaders, type Http } from '../../platform/http.ts';
import { SubscriptionParams } from './inventory.schemas.ts';
import * as service from './inventory.service.ts';

const tags = ['inventory'];

/** What the routes need from other modules, composed in the workflow. */
export interface InventoryRouteDeps extends Deps {
  teamOf(ex: Executor, actor: Actor): Promise<service.Team>;
  costCentreIdOf(ex: Executor, code: string): Promise<string>;
  serviceIdsNamed(ex: Executor, text: string): Promise<string[]>;
  extras: service.ExtrasOf;
  plans(ex: Executor, row: { serviceId: string; planId: string }): Promise<PlanChoice[]>;
  decommission(tx: Tx, actor: Actor, id: string, body: z.output<typeof DecommissionBody>): Promise<void>;
  transfer(tx: Tx, actor: Actor, id: string, body: z.output<typeof TransferBody>): Promise<void>;
  change(
    tx: Tx,
    actor: Actor,
    id: string,
    body: z.output<typeof ChangeBody>,
    key: string,
  ): Promise<ChangePlaced>;
  extend(
    tx: Tx,
    actor: Actor,
    id: string,
    body: z.output<typeof ExtendBody>,
    key: string,
  ): Promise<ChangePlaced>;
}

export function inventoryRoutes(app: Http, deps: InventoryRouteDeps): void {
  const { database } = deps;
  const detail = async (ex: Executor, actor: Actor, id: string, justTransferred = false) =>
    service.getSubscription(ex, actor, id, {
      team: await deps.teamOf(ex, actor),
      extras: deps.extras,
      plans: deps.plans,
      justTransferred,
    });
  const one = async (ex: Executor, actor: Actor, id: string, justTransferred = false) => {
    const { events: _events, plans: _plans, ...subscription } = await detail(ex, actor, id, justTransferred);
    return subscription;
  };

  app.get(
    '/api/subscriptions',
    {
      schema: {
        tags,
        summary:
          'What I own (scope=mine), or what my cost centres and reports own (scope=team), newest first',
        querystring: SubscriptionQuery,
        response: { 200: page(Subscription), 400: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const ex = database.db;
      return service.listSubscriptions(ex, actor, req.query, {
        team: await deps.teamOf(ex, actor),
        extras: deps.extras,
        ...(req.query.costCentre
          ? { costCentreId: await deps.costCentreIdOf(ex, req.query.costCentre) }
          : {}),
        ...(req.query.q ? { serviceIds: await deps.serviceIdsNamed(ex, req.query.q) } : {}),
      });
    },
  );

  app.get(
    '/api/subscriptions/:id',
    {
      schema: {
        tags,
        summary: 'One subscription with its history and the plans it can move to',
        params: SubscriptionParams,
        response: { 200: SubscriptionDetail, 404: Problem },
      },
    },
    async (req) => detail(database.db, actorOf(req), req.params.id),
  );

  app.post(
    '/api/subscriptions/:id/credentials',
    {
      schema: {
        tags,
        summary: 'Show its credentials (each look is audited)',
        params: SubscriptionParams,
        response: { 200: RevealedCredentials, 403: Problem, 404: Problem },
      },
    },
    async (req) => {
      const sealed = await database.transaction((tx) =>
        service.revealCredentials(tx, actorOf(req), req.params.id),
      );
      return { credentials: JSON.parse(deps.secrets.open(sealed)) as Record<string, string> };
    },
  );

  app.post(
    '/api/subscriptions/:id/decommission',
    {
      schema: {
        tags,
        summary: 'Take it down (deprovision); billing ends when it is gone',
        params: SubscriptionParams,
        body: DecommissionBody,
        response: { 200: Subscription, 404: Problem, 409: Problem },
      },
    },
    async (req) =>
      database.transaction(async (tx) => {
        await deps.decommission(tx, actorOf(req), req.params.id, req.body);
        return one(tx, actorOf(req), req.params.id);
      }),
  );

  app.post(
    '/api/subscriptions/:id/transfer',
    {
      schema: {
        tags,
        summary: 'Give it to another owner or charge another cost centre from now on',
        params: SubscriptionParams,
        body: TransferBody,
        response: { 200: Subscription, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) =>
      database.transaction(async (tx) => {
        await deps.transfer(tx, actorOf(req), req.params.id, req.body);
        return one(tx, actorOf(req), req.params.id, true);
      }),
  );

  app.post(
    '/api/subscriptions/:id/change',
    {
      schema: {
        tags,
        summary: 'Resize or upgrade: an order for the new plan, through approval and fulfilment',
        params: SubscriptionParams,
        headers: IdempotencyHeaders,
        body: ChangeBody,
        response: { 200: ChangePlaced, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) =>
      database.transaction((tx) =>
        deps.change(tx, actorOf(req), req.params.id, req.body, req.headers['idempotency-key']),
      ),
  );

  app.post(
    '/api/subscriptions/:id/extend',
    {
      schema: {
        tags,
        summary: 'Extend its lease (through approval when policy says so)',
        params: SubscriptionParams,
        headers: IdempotencyHeaders,
        body: ExtendBody,
        response: { 200: ChangePlaced, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) =>
      database.transaction((tx) =>
        deps.extend(tx, actorOf(req), req.params.id, req.body, req.headers['idempotency-key']),
      ),
  );
}
