import type { ApprovalPolicy, ApprovalPolicyBody } from '@portico/shared';
import type { z } from 'zod';
import { hasRole, type Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { forbidden, invalid, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { people, personByEmail, teamMemberIds } from '../identity/index.ts';
import * as repo from './approvals.repo.ts';

type Body = z.output<typeof ApprovalPolicyBody>;

const mustAdminister = (actor: Actor) => {
  if (!hasRole(actor, 'admin')) throw forbidden('Only admins manage approval policies');
};

async function present(ex: Executor, rows: repo.PolicyRow[]): Promise<ApprovalPolicy[]> {
  const who = await people(
    ex,
    rows.flatMap((r) => (r.updatedById ? [r.updatedById] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    priority: r.priority,
    active: r.active,
    remindAfterHours: r.remindAfterHours,
    escalateAfterHours: r.escalateAfterHours,
    rules: r.rules,
    version: r.version,
    updatedAt: r.updatedAt.toISOString(),
    updatedBy: r.updatedById ? (who.get(r.updatedById)?.name ?? null) : null,
  }));
}

/** Named people and teams must exist: a typo would send approvals nowhere. */
async function checkReferences(ex: Executor, body: Body) {
  for (const [i, rule] of body.rules.entries()) {
    for (const [j, stage] of rule.stages.entries()) {
      const path = `rules.${i}.stages.${j}.approvers`;
      const a = stage.approvers;
      if (a.type === 'person' && !(await personByEmail(ex, a.email))) {
        throw invalid(`${path}.email`, `no active user ${a.email}`);
      }
      if (a.type === 'group' && (await teamMemberIds(ex, a.team)).length === 0) {
        throw invalid(`${path}.team`, `team ${a.team} does not exist or has no active members`);
      }
    }
  }
  if (body.escalateAfterHours <= body.remindAfterHours) {
    throw invalid('escalateAfterHours', 'must be more than remindAfterHours');
  }
}

export async function listPolicies(ex: Executor, actor: Actor) {
  mustAdminister(actor);
  return present(ex, await repo.listPolicies(ex));
}

export async function getPolicy(ex: Executor, actor: Actor, id: string) {
  mustAdminister(actor);
  const row = await repo.findPolicy(ex, id);
  if (!row) throw notFound('Approval policy');
  return (await present(ex, [row]))[0]!;
}

async function uniqueName(ex: Executor, name: string, id?: string) {
  const same = await repo.findPolicyByName(ex, name);
  if (same && same.id !== id) throw invalid('name', `a policy called “${name}” exists already`);
}

export async function createPolicy(tx: Tx, actor: Actor, body: Body) {
  mustAdminister(actor);
  await checkReferences(tx, body);
  await uniqueName(tx, body.name);
  const row = await repo.insertPolicy(tx, { ...body, updatedById: actor.userId });
  await recordAudit(tx, actor, {
    action: 'approval_policy.created',
    entityType: 'approval_policy',
    entityId: row.id,
    after: body,
  });
  return (await present(tx, [row]))[0]!;
}

export async function updatePolicy(tx: Tx, actor: Actor, id: string, body: Body) {
  mustAdminister(actor);
  const before = await repo.findPolicy(tx, id);
  if (!before) throw notFound('Approval policy');
  await checkReferences(tx, body);
  await uniqueName(tx, body.name, id);
  const row = (await repo.updatePolicy(tx, id, { ...body, updatedById: actor.userId }))!;
  await recordAudit(tx, actor, {
    action: 'approval_policy.changed',
    entityType: 'approval_policy',
    entityId: id,
    before: (await present(tx, [before]))[0],
    after: body,
  });
  return (await present(tx, [row]))[0]!;
}

export async function deletePolicy(tx: Tx, actor: Actor, id: string) {
  mustAdminister(actor);
  const row = await repo.deletePolicy(tx, id);
  if (!row) throw notFound('Approval policy');
  await recordAudit(tx, actor, {
    action: 'approval_policy.deleted',
    entityType: 'approval_policy',
    entityId: id,
    before: (await present(tx, [row]))[0],
  });
}
