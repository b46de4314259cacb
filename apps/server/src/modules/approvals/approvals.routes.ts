import { Approval, ApprovalQuery, DecisionBody, page, Problem } from '@portico/shared';
import type { Deps } from '../../platform/deps.ts';
import type { Tx } from '../../platform/db.ts';
import type { Actor } from '../../platform/actor.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { ApprovalParams } from './approvals.schemas.ts';
import type { ApprovalRow } from './approvals.repo.ts';
import * as service from './approvals.service.ts';

const tags = ['approvals'];

export interface ApprovalRouteDeps extends Deps {
  /** The decision and what follows from it (the line moves on or stops), in one transaction. */
  decide: (tx: Tx, actor: Actor, id: string, body: DecisionBody) => Promise<ApprovalRow>;
}

export function approvalRoutes(app: Http, deps: ApprovalRouteDeps): void {
  const { database } = deps;
  app.get(
    '/api/approvals',
    {
      schema: {
        tags,
        summary: 'The caller’s approvals: pending ones longest-waiting first, or decided ones',
        querystring: ApprovalQuery,
        response: { 200: page(Approval) },
      },
    },
    async (req) => service.listMine(database.db, actorOf(req), req.query),
  );

  app.post(
    '/api/approvals/:id/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject; a decision is taken once',
        params: ApprovalParams,
        body: DecisionBody,
        response: { 200: Approval, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction(async (tx) => {
        const decided = await deps.decide(tx, actor, req.params.id, req.body);
        const [presented] = await service.present(tx, [decided]);
        return presented!;
      });
    },
  );
}
