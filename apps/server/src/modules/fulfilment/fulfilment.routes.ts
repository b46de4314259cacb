import {
  AdapterBody,
  BrokerCatalog,
  BrokerImportBody,
  BrokerImportProblem,
  BrokerImportReport,
  CompleteTaskBody,
  FulfilmentAdapter,
  page,
  Problem,
  Task,
  TaskQuery,
} from '@portico/shared';
import { z as zod } from 'zod';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import type { TaskRow } from './fulfilment.repo.ts';
import { notFound } from '../../platform/errors.ts';
import type { StepResult } from './adapters/adapter.ts';
import { CallbackBody, callbackResult, hashCallbackToken } from './adapters/webhook.adapter.ts';
import { TaskParams } from './fulfilment.schemas.ts';
import * as service from './fulfilment.service.ts';

const tags = ['fulfilment'];

export interface FulfilmentRouteDeps extends Deps {
  /** Completing a task and delivering what it finished, in one transaction. */
  completeTask: (
    tx: Tx,
    actor: Actor,
    id: string,
    body: z.output<typeof CompleteTaskBody>,
  ) => Promise<TaskRow>;
  /** A webhook's late result; false when the token is unknown or used. */
  callback: (tx: Tx, tokenHash: string, result: StepResult) => Promise<boolean>;
  /** A broker's catalogue as catalogue drafts, through the catalogue's import (a workflow). */
  importBrokerCatalog: (
    tx: Tx,
    actor: Actor,
    fetched: service.FetchedCatalog,
    body: z.output<typeof BrokerImportBody>,
  ) => Promise<z.output<typeof BrokerImportReport>>;
}

const AdapterParams = zod.object({
  key: zod.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens'),
});
const CallbackParams = zod.object({
  token: zod.string().regex(/^[\w-]{20,100}$/, 'is not a callback token'),
});

export function fulfilmentRoutes(app: Http, deps: FulfilmentRouteDeps): void {
  const { database } = deps;
  app.get(
    '/api/tasks',
    {
      schema: {
        tags,
        summary: 'The work queue of the caller’s teams',
        querystring: TaskQuery,
        response: { 200: page(Task), 403: Problem },
      },
    },
    async (req) => service.listQueue(database.db, actorOf(req), req.query),
  );

  app.post(
    '/api/tasks/:id/complete',
    {
      schema: {
        tags,
        summary: 'Complete a task with its outputs and a note',
        params: TaskParams,
        body: CompleteTaskBody,
        response: { 200: Task, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction(async (tx) => {
        const done = await deps.completeTask(tx, actor, req.params.id, req.body);
        return (await service.present(tx, [done]))[0]!;
      });
    },
  );

  app.post(
    '/api/fulfilment/callbacks/:token',
    {
      schema: {
        tags,
        summary:
          'A webhook step’s late result. The one-time token in the URL is the authorisation; it works once.',
        params: CallbackParams,
        body: CallbackBody,
        response: { 204: zod.null(), 400: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const accepted = await database.transaction((tx) =>
        deps.callback(tx, hashCallbackToken(req.params.token), callbackResult(req.body)),
      );
      if (!accepted) throw notFound('Callback (unknown, or already used)');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/fulfilment/adapters',
    {
      schema: {
        tags,
        summary:
          'The brokers and webhook endpoints automated steps use, with their circuit state (admins, catalogue managers)',
        response: { 200: zod.object({ items: zod.array(FulfilmentAdapter) }), 403: Problem },
      },
    },
    async (req) => ({ items: await service.listAdapters(database.db, actorOf(req)) }),
  );

  app.put(
    '/api/fulfilment/adapters/:key',
    {
      schema: {
        tags,
        summary: 'Create or change an adapter (admins); the secret is stored encrypted and never shown',
        params: AdapterParams,
        body: AdapterBody,
        response: { 200: FulfilmentAdapter, 400: Problem, 403: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction((tx) =>
        service.saveAdapter(tx, actor, deps.secrets, req.params.key, req.body),
      );
    },
  );

  app.get(
    '/api/fulfilment/adapters/:key/catalog',
    {
      schema: {
        tags,
        summary:
          'A broker’s catalogue (GET /v2/catalog) as an import would draft it: plans, prices, order forms, and what is left out (admins, catalogue managers). Also tests the connection.',
        params: AdapterParams,
        response: { 200: BrokerCatalog, 400: Problem, 403: Problem, 404: Problem, 502: Problem },
      },
    },
    async (req) =>
      service.presentBrokerCatalog(
        await service.readBrokerCatalog(database.db, actorOf(req), deps.secrets, req.params.key),
      ),
  );

  app.post(
    '/api/fulfilment/adapters/:key/catalog',
    {
      schema: {
        tags,
        summary:
          'Import a broker’s services as catalogue drafts (catalogue managers): upsert by slug, all or nothing; dryRun shows the changes only',
        params: AdapterParams,
        body: BrokerImportBody,
        response: {
          200: BrokerImportReport,
          400: zod.union([BrokerImportProblem, Problem]),
          403: Problem,
          404: Problem,
          502: Problem,
        },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      // Read before the transaction opens: no transaction waits on a broker.
      const fetched = await service.readBrokerCatalog(database.db, actor, deps.secrets, req.params.key);
      const report = await database.transaction((tx) =>
        deps.importBrokerCatalog(tx, actor, fetched, req.body),
      );
      if (!report.errors.length) return report;
      return reply
        .code(400)
        .type('application/problem+json; charset=utf-8')
        .send({
          type: 'https://portico.dev/problems/Invalid',
          title: 'Invalid request',
          status: 400 as const,
          code: 'Invalid' as const,
          detail: `${report.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}; nothing was changed`,
          ...report,
        });
    },
  );
}
