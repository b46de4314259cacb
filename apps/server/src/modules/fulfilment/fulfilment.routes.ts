import { CompleteTaskBody, page, Problem, Task, TaskQuery } from '@portico/shared';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import type { TaskRow } from './fulfilment.repo.ts';
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
}

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
}
