import {
  AbandonLineBody,
  AssignTaskBody,
  AttentionItem,
  AttentionQuery,
  Problem,
  Task,
  WorkTeam,
} from '@portico/shared';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { TaskParams } from './fulfilment.schemas.ts';
import * as queue from './fulfilment.queue.service.ts';
import { present } from './fulfilment.service.ts';

const tags = ['fulfilment'];

export interface QueueRouteDeps extends Deps {
  /** Runs a step that needs attention (or its undo) again. */
  retryStep: (tx: Tx, actor: Actor, stepId: string) => Promise<void>;
  /** Gives up on a line: drops what is left, undoes what was done (last first), cancels it. */
  abandonLine: (tx: Tx, actor: Actor, lineId: string, reason: string) => Promise<void>;
}

const LineParams = z.object({ lineId: z.uuid() });

export function fulfilmentQueueRoutes(app: Http, deps: QueueRouteDeps): void {
  const { database } = deps;

  app.get(
    '/api/fulfilment/teams',
    {
      schema: {
        tags,
        summary: 'The caller’s fulfilment teams, with the colleagues a task can be handed to',
        response: { 200: z.object({ items: z.array(WorkTeam) }), 403: Problem },
      },
    },
    async (req) => ({ items: await queue.workTeams(database.db, actorOf(req)) }),
  );

  app.get(
    '/api/tasks/:id',
    {
      schema: {
        tags,
        summary: 'One task of the caller’s teams (open, done or cancelled), as its page shows it',
        params: TaskParams,
        response: { 200: Task, 403: Problem, 404: Problem },
      },
    },
    async (req) => {
      const task = await queue.taskOfMyTeams(database.db, actorOf(req), req.params.id);
      return (await present(database.db, [task]))[0]!;
    },
  );

  app.post(
    '/api/tasks/:id/claim',
    {
      schema: {
        tags,
        summary: 'Take an open task of one of your teams (409 when a colleague took it first)',
        params: TaskParams,
        response: { 200: Task, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction(async (tx) => {
        const claimed = await queue.claimTask(tx, actor, req.params.id);
        return (await present(tx, [claimed]))[0]!;
      });
    },
  );

  app.post(
    '/api/tasks/:id/assign',
    {
      schema: {
        tags,
        summary:
          'Hand an open task to a colleague of its team, or back to the team (assignee null); `from` is who held it as you saw it (409 if that changed)',
        params: TaskParams,
        body: AssignTaskBody,
        response: { 200: Task, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction(async (tx) => {
        const assigned = await queue.assignTask(tx, actor, req.params.id, req.body);
        return (await present(tx, [assigned]))[0]!;
      });
    },
  );

  app.get(
    '/api/fulfilment/attention',
    {
      schema: {
        tags,
        summary:
          'Steps that failed for good, for the caller’s teams (all teams for admins), with the error and what abandoning would undo',
        querystring: AttentionQuery,
        response: { 200: z.object({ items: z.array(AttentionItem) }), 400: Problem, 403: Problem },
      },
    },
    async (req) => ({ items: await queue.listAttention(database.db, actorOf(req), req.query) }),
  );

  app.post(
    '/api/fulfilment/steps/:id/retry',
    {
      schema: {
        tags,
        summary: 'Try a step that needs attention again (its undo, if it failed while being undone)',
        params: TaskParams,
        response: { 204: z.null(), 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await database.transaction(async (tx) => {
        await queue.authorizeStep(tx, actor, req.params.id);
        await deps.retryStep(tx, actor, req.params.id);
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/fulfilment/lines/:lineId/abandon',
    {
      schema: {
        tags,
        summary:
          'Give up on a line with a step that needs attention: what was done is undone, last first, then the line is cancelled and the requester told',
        params: LineParams,
        body: AbandonLineBody,
        response: { 204: z.null(), 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await database.transaction(async (tx) => {
        await queue.authorizeLine(tx, actor, req.params.lineId);
        await deps.abandonLine(tx, actor, req.params.lineId, req.body.reason);
      });
      return reply.code(204).send(null);
    },
  );
}
