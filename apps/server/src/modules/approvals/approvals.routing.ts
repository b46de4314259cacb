// The route a line takes: the stages its policies ask for, with the approvers resolved to
// people. The same code previews the route in the cart and the policy tester, and plans it at
// checkout, so what the requester is shown is what happens.
import type { ApprovalRoute, ApproverSpec } from '@portico/shared';
import type { Executor } from '../../platform/db.ts';
import { managerOf, people, personByEmail, teamMemberIds, userIdsWithRole } from '../identity/index.ts';
import * as repo from './approvals.repo.ts';
import { stagesWanted, type LineFacts, type StageWanted } from './approvals.rules.ts';
import type { PlannedStage } from './approvals.tables.ts';

export interface PlannedRoute {
  stages: PlannedStage[];
  matched: ApprovalRoute['matched'];
  summary: string;
}

interface Resolved {
  approverIds: string[];
  mode: 'any' | 'all';
  why: string;
}

async function admins(ex: Executor, f: LineFacts, because: string): Promise<Resolved> {
  const ids = (await userIdsWithRole(ex, 'admin')).filter((id) => id !== f.requesterId);
  return { approverIds: ids, mode: 'any', why: `${because}, so Portico’s administrators decide.` };
}

async function managerOrOwner(ex: Executor, f: LineFacts, because: string): Promise<Resolved> {
  const manager = await managerOf(ex, f.requesterId);
  if (manager)
    return {
      approverIds: [manager.id],
      mode: 'any',
      why: `${because}, so the requester’s line manager decides.`,
    };
  const owner = f.costCentre.ownerId;
  if (owner && owner !== f.requesterId) {
    return {
      approverIds: [owner],
      mode: 'any',
      why: `${because} and the requester has no manager on record, so the owner of ${f.costCentre.code} decides.`,
    };
  }
  return admins(ex, f, `${because} and there is no manager or other cost-centre owner on record`);
}

async function resolve(ex: Executor, spec: ApproverSpec, f: LineFacts): Promise<Resolved> {
  switch (spec.type) {
    case 'manager': {
      const manager = await managerOf(ex, f.requesterId);
      if (manager) return { approverIds: [manager.id], mode: 'any', why: 'The requester’s line manager.' };
      return managerOrOwner(ex, f, 'The requester has no manager on record');
    }
    case 'cost_centre_owner': {
      const owner = f.costCentre.ownerId;
      if (owner && owner !== f.requesterId) {
        return {
          approverIds: [owner],
          mode: 'any',
          why: `Owns cost centre ${f.costCentre.code}, which pays.`,
        };
      }
      return owner
        ? managerOrOwner(
            ex,
            f,
            `The requester owns ${f.costCentre.code} and cannot approve their own request`,
          )
        : admins(ex, f, `${f.costCentre.code} has no owner on record`);
    }
    case 'group': {
      const members = (await teamMemberIds(ex, spec.team)).filter((id) => id !== f.requesterId);
      if (members.length === 0) return admins(ex, f, `Team ${spec.team} has no one else to ask`);
      return {
        approverIds: members,
        mode: members.length > 1 ? spec.mode : 'any',
        why: `${spec.mode === 'all' ? 'Every member' : 'Any one member'} of team ${spec.team}.`,
      };
    }
    case 'person': {
      const person = await personByEmail(ex, spec.email);
      if (person && person.id !== f.requesterId)
        return { approverIds: [person.id], mode: 'any', why: `Named in the policy.` };
      return person
        ? managerOrOwner(ex, f, `${spec.email} is the requester and cannot approve their own request`)
        : admins(ex, f, `${spec.email} is not an active user`);
    }
  }
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();
const origin = (s: StageWanted) => (s.policy ? `${s.policy} › ${s.rule}` : (s.rule ?? 'Portico’s default'));

/** Plans the chain for a line as it would go now. */
export async function planRoute(ex: Executor, facts: LineFacts): Promise<PlannedRoute> {
  const policies = await repo.listPolicies(ex);
  const { matched, stages: wanted } = stagesWanted(policies, facts);
  const stages: PlannedStage[] = [];
  const notes: string[] = [];
  for (const w of wanted) {
    const r = await resolve(ex, w.spec, facts);
    const earlier = stages.find((s) => sameSet(s.approverIds, r.approverIds));
    if (r.approverIds.length === 0) {
      notes.push(`“${w.name}” has no one to ask and is skipped`);
      continue;
    }
    if (earlier) {
      notes.push(`“${w.name}” is left out: the same people decide “${earlier.name}”`);
      continue;
    }
    stages.push({
      position: stages.length + 1,
      name: w.name,
      mode: r.mode,
      why: `${r.why} Asked for by ${origin(w)}.`,
      policy: w.policy,
      rule: w.rule,
      approverIds: r.approverIds,
      remindAfterHours: w.remindAfterHours,
      escalateAfterHours: w.escalateAfterHours,
    });
  }
  const rules = matched.map((m) => ({ policy: m.policy.name, rule: m.rule.name }));
  const because = rules.length
    ? rules.map((m) => `${m.policy} › ${m.rule}`).join('; ')
    : 'no approval policy matched, so Portico’s default applies';
  const summary =
    stages.length === 0
      ? `Approved automatically: ${because}.`
      : `${stages.length === 1 ? 'One stage' : `${stages.length} stages, one after the other`}: ${stages
          .map((s) => s.name)
          .join(' → ')}; because ${because}.`;
  return { stages, matched: rules, summary: notes.length ? `${summary} ${notes.join('; ')}.` : summary };
}

export async function presentRoute(ex: Executor, route: PlannedRoute): Promise<ApprovalRoute> {
  const who = await people(
    ex,
    route.stages.flatMap((s) => s.approverIds),
  );
  return {
    autoApproved: route.stages.length === 0,
    summary: route.summary,
    matched: route.matched,
    stages: route.stages.map(({ approverIds, remindAfterHours: _r, escalateAfterHours: _e, ...s }) => ({
      ...s,
      approvers: approverIds.map((id) => who.get(id)!),
    })),
  };
}
