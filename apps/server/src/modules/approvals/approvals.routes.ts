import {
  Approval,
  ApprovalPolicy,
  ApprovalPolicyBody,
  ApprovalQuery,
  DecisionBody,
  Delegation,
  DelegationBody,
  Delegations,
  page,
  PolicyTestBody,
  PolicyTestResult,
  Problem,
} from '@portico/shared';
import { z } from 'zod';
import { hasRole, type Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden } from '../../platform/errors.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import * as delegation from './approvals.delegation.ts';
import * as policies from './approvals.policies.ts';
import * as service from './approvals.service.ts';

const tags = ['approvals'];
const IdParams = z.object({ id: z.uuid() });

export interface ApprovalRouteDeps extends Deps {
  /** The decision and what follows from it (the line moves on or stops), in one transaction. */
  decide: (tx: Tx, actor: Actor, id: string, body: DecisionBody) => Promise<unknown>;
  /** "Who would approve this?" for a sample line. */
  testPolicies: (ex: Executor, body: z.output<typeof PolicyTestBody>) => Promise<PolicyTestResult>;
}

export function approvalRoutes(app: Http, deps: ApprovalRouteDeps): void {
  const { database } = deps;
  app.get(
    '/api/approvals',
    {
      schema: {
        tags,
        summary:
          'The caller’s approvals: pending ones (also for people who delegated to them) longest-waiting first, or decided ones',
        querystring: ApprovalQuery,
        response: { 200: page(Approval) },
      },
    },
    async (req) => service.listMine(database.db, actorOf(req), req.query),
  );

  app.get(
    '/api/approvals/:id',
    {
      schema: {
        tags,
        summary: 'One approval with everything needed to decide it',
        params: IdParams,
        response: { 200: Approval, 404: Problem },
      },
    },
    async (req) => service.getApproval(database.db, actorOf(req), req.params.id),
  );

  app.post(
    '/api/approvals/:id/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject; a decision is taken once',
        params: IdParams,
        body: DecisionBody,
        response: { 200: Approval, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await database.transaction((tx) => deps.decide(tx, actor, req.params.id, req.body));
      return service.getApproval(database.db, actor, req.params.id);
    },
  );

  // ---- policies ------------------------------------------------------------------------

  app.get(
    '/api/approval-policies',
    {
      schema: {
        tags,
        summary: 'Approval policies, by priority (admins)',
        response: { 200: z.object({ items: z.array(ApprovalPolicy) }), 403: Problem },
      },
    },
    async (req) => ({ items: await policies.listPolicies(database.db, actorOf(req)) }),
  );

  app.post(
    '/api/approval-policies',
    {
      schema: {
        tags,
        summary: 'Create an approval policy (admins)',
        body: ApprovalPolicyBody,
        response: { 201: ApprovalPolicy, 400: Problem, 403: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const created = await database.transaction((tx) => policies.createPolicy(tx, actor, req.body));
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/approval-policies/test',
    {
      schema: {
        tags,
        summary: 'Who would approve this? The route a sample line would take now (admins)',
        body: PolicyTestBody,
        response: { 200: PolicyTestResult, 400: Problem, 403: Problem },
      },
    },
    async (req) => {
      if (!hasRole(actorOf(req), 'admin')) throw forbidden('Only admins test approval policies');
      return deps.testPolicies(database.db, req.body);
    },
  );

  app.get(
    '/api/approval-policies/:id',
    {
      schema: {
        tags,
        summary: 'An approval policy (admins)',
        params: IdParams,
        response: { 200: ApprovalPolicy, 404: Problem },
      },
    },
    async (req) => policies.getPolicy(database.db, actorOf(req), req.params.id),
  );

  app.put(
    '/api/approval-policies/:id',
    {
      schema: {
        tags,
        summary: 'Replace an approval policy (admins); lines already routed keep their chain',
        params: IdParams,
        body: ApprovalPolicyBody,
        response: { 200: ApprovalPolicy, 400: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction((tx) => policies.updatePolicy(tx, actor, req.params.id, req.body));
    },
  );

  app.delete(
    '/api/approval-policies/:id',
    {
      schema: {
        tags,
        summary: 'Delete an approval policy (admins)',
        params: IdParams,
        response: { 204: z.null(), 404: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await database.transaction((tx) => policies.deletePolicy(tx, actor, req.params.id));
      return reply.code(204).send(null);
    },
  );

  // ---- delegation ------------------------------------------------------------------------

  app.get(
    '/api/delegations',
    {
      schema: {
        tags,
        summary: 'Who decides for me while I am away, and for whom I decide',
        response: { 200: Delegations },
      },
    },
    async (req) => delegation.listDelegations(database.db, actorOf(req)),
  );

  app.post(
    '/api/delegations',
    {
      schema: {
        tags,
        summary: 'Let someone decide my approvals between two dates',
        body: DelegationBody,
        response: { 201: Delegation, 400: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      return reply
        .code(201)
        .send(await database.transaction((tx) => delegation.delegate(tx, actor, req.body)));
    },
  );

  app.delete(
    '/api/delegations/:id',
    {
      schema: {
        tags,
        summary: 'End a delegation',
        params: IdParams,
        response: { 204: z.null(), 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await database.transaction((tx) => delegation.removeDelegation(tx, actor, req.params.id));
      return reply.code(204).send(null);
    },
  );
}
