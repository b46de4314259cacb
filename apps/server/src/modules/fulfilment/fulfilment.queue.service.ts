// The team queues: due times from the line's SLA, filters, taking and handing over tasks, and
// the "needs attention" list of steps that failed for good.
//
// Due times, counted in the business calendar from the moment a task opens:
// - respondBy: the SLA's response hours. Someone of the team should have taken the task by then
//   (the same promise the SLA makes for a ticket: somebody is on it).
// - dueAt: the plan's lead time (its business days, as working hours), never sooner than the
//   SLA's resolution hours. The lead time is what the requester was promised for delivery; the
//   resolution hours alone would mark every hardware task overdue after three days (the demo's
//   racked servers have a 30-day lead time and 24 resolution hours). An undo task has no lead
//   time (nothing is bought): the SLA's resolution hours.
import type { AttentionItem, WorkTeam } from '@portico/shared';
import type { z } from 'zod';
import type { AssignTaskBody, AttentionQuery, TaskQuery } from '@portico/shared';
import { hasRole, type Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { people, teamByKey, teamMemberIds, teamRefs, userIdsWithRole } from '../identity/index.ts';
import { linesWithOrders, orderNumber } from '../ordering/index.ts';
import { loadCalendar, type Calendar } from '../sla/index.ts';
import type { LineFacts } from './adapters/adapter.ts';
import * as queueRepo from './fulfilment.queue.repo.ts';
import * as repo from './fulfilment.repo.ts';
import { present, requireTeamMember } from './fulfilment.service.ts';

// ---- due times ------------------------------------------------------------------------------

const positive = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

function workingHoursPerDay(calendar: Calendar): number {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return (minutes(calendar.settings.dayEnd) - minutes(calendar.settings.dayStart)) / 60;
}

/** When a task that opens at `openedAt` should be taken and done (see the top of this file). */
export function dueTimes(
  calendar: Calendar,
  line: { sla: Record<string, unknown>; leadTimeDays: number },
  kind: 'do' | 'undo',
  openedAt: Date,
): { respondBy: Date | null; dueAt: Date | null } {
  const response = positive(line.sla.responseHours);
  const resolution = positive(line.sla.resolutionHours) ?? 0;
  const lead = kind === 'do' ? line.leadTimeDays * workingHoursPerDay(calendar) : 0;
  const hours = Math.max(lead, resolution);
  return {
    respondBy: response ? calendar.addBusinessHours(openedAt, response) : null,
    dueAt: hours > 0 ? calendar.addBusinessHours(openedAt, hours) : null,
  };
}

/** What a task gets when it opens, besides the step's instructions: due times and search text. */
export async function queueFieldsOf(
  ex: Executor,
  facts: LineFacts,
  kind: 'do' | 'undo',
  openedAt: Date,
): Promise<{ respondBy: Date | null; dueAt: Date | null; search: string }> {
  const { line } = (await linesWithOrders(ex, [facts.lineId])).get(facts.lineId)!;
  const search = [
    facts.orderNumber,
    facts.service.name,
    facts.plan.name,
    facts.requester.name,
    facts.requester.email,
  ]
    .join(' ')
    .toLowerCase();
  return { ...dueTimes(await loadCalendar(ex), line, kind, openedAt), search };
}

// ---- the queue ------------------------------------------------------------------------------

const wordsOf = (q: string | undefined) => (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);

/** A team of the caller by its key, or a 400 naming the field. */
async function myTeam(ex: Executor, mine: string[], key: string, path = 'team'): Promise<string> {
  const team = await teamByKey(ex, key).catch(() => null);
  if (!team) throw invalid(path, `no team ${key}`);
  if (!mine.includes(team.id)) throw invalid(path, `you are not in ${team.name}`);
  return team.id;
}

export async function listQueue(ex: Executor, actor: Actor, query: z.output<typeof TaskQuery>) {
  const mine = await requireTeamMember(ex, actor);
  const open = query.status === 'open';
  const teamIds = query.team ? [await myTeam(ex, mine, query.team, 'query.team')] : mine;
  const filter: queueRepo.TaskFilter = {
    teamIds,
    open,
    assignee: query.assignee === 'me' ? actor.userId! : query.assignee === 'unassigned' ? null : undefined,
    dueBefore: query.overdue && open ? new Date() : undefined,
    words: wordsOf(query.q),
  };
  const page = trimPage(
    await queueRepo.listTasks(ex, filter, query.limit, decodeCursor(query.cursor)),
    query.limit,
    (r) => ({ at: open ? (r.dueAt ?? r.createdAt) : r.completedAt!, id: r.id }),
  );
  return { items: await present(ex, page.rows), nextCursor: page.nextCursor };
}

/** The caller's teams with the colleagues a task can go to (active fulfillers of the team). */
export async function workTeams(ex: Executor, actor: Actor): Promise<WorkTeam[]> {
  const mine = await requireTeamMember(ex, actor);
  const refs = await teamRefs(ex, mine);
  const fulfillers = new Set(await userIdsWithRole(ex, 'fulfiller'));
  const teams: WorkTeam[] = [];
  for (const ref of refs.values()) {
    const ids = (await teamMemberIds(ex, ref.key)).filter((id) => fulfillers.has(id));
    const who = await people(ex, ids);
    teams.push({ ...ref, members: ids.map((id) => who.get(id)!) });
  }
  return teams.sort((a, b) => a.name.localeCompare(b.name));
}

export async function taskOfMyTeams(ex: Executor, actor: Actor, id: string) {
  const task = await repo.findTask(ex, id);
  if (!task) throw notFound('Task');
  await requireTeamMember(ex, actor, task.teamId);
  return task;
}

async function openTaskOfMyTeam(tx: Tx, actor: Actor, id: string) {
  const task = await taskOfMyTeams(tx, actor, id);
  if (task.status !== 'open') throw conflict('This task is no longer open');
  return task;
}

/** Someone else holds it now: say who, so the fulfiller need not guess. */
async function takenMeanwhile(tx: Tx, id: string) {
  const now = await repo.findTask(tx, id);
  if (now?.status !== 'open') return conflict('This task is no longer open');
  const holder = now.assigneeId ? (await people(tx, [now.assigneeId])).get(now.assigneeId)?.name : null;
  return conflict(
    holder
      ? `${holder} took this task meanwhile`
      : 'This task was handed back to the team meanwhile; look again before assigning it',
  );
}

async function audited(tx: Tx, actor: Actor, before: repo.TaskRow, after: repo.TaskRow) {
  if (before.assigneeId === after.assigneeId) return;
  await recordAudit(tx, actor, {
    action: after.assigneeId ? 'task.assigned' : 'task.unassigned',
    entityType: 'task',
    entityId: after.id,
    before: { assigneeId: before.assigneeId },
    after: { assigneeId: after.assigneeId },
  });
}

/** "Take it": the caller holds the task, unless a colleague took it first (409). */
export async function claimTask(tx: Tx, actor: Actor, id: string) {
  const task = await openTaskOfMyTeam(tx, actor, id);
  const claimed = await queueRepo.claimTask(tx, id, actor.userId!);
  if (!claimed) throw await takenMeanwhile(tx, id);
  await audited(tx, actor, task, claimed);
  return claimed;
}

/** Hands the task to a colleague of its team, or back to the team; refused if it changed hands meanwhile. */
export async function assignTask(tx: Tx, actor: Actor, id: string, body: z.output<typeof AssignTaskBody>) {
  const task = await openTaskOfMyTeam(tx, actor, id);
  if (body.assignee) {
    const [team] = (await teamRefs(tx, [task.teamId])).values();
    const members = await teamMemberIds(tx, team!.key);
    const fulfillers = await userIdsWithRole(tx, 'fulfiller');
    if (!members.includes(body.assignee) || !fulfillers.includes(body.assignee))
      throw invalid('assignee', `is not a fulfiller in ${team!.name}`);
  }
  const assigned = await queueRepo.assignTask(tx, id, body.assignee, body.from);
  if (!assigned) throw await takenMeanwhile(tx, id);
  await audited(tx, actor, task, assigned);
  return assigned;
}

// ---- needs attention ------------------------------------------------------------------------

/** Which teams' failed steps the caller may see and act on: all for admins, else their own. */
async function attentionScope(ex: Executor, actor: Actor): Promise<string[] | 'all'> {
  if (hasRole(actor, 'admin')) return 'all';
  return requireTeamMember(ex, actor);
}

/** The team answering for a step: a manual step's own, an automated step's adapter's. */
function teamResolver(ex: Executor) {
  const byKey = new Map<string, string | null>();
  let adapters: Map<string, repo.AdapterRow> | null = null;
  return async (step: repo.LineStepRow): Promise<string | null> => {
    const d = step.definition;
    if (d.type !== 'manual') {
      adapters ??= new Map((await repo.listAdapters(ex)).map((a) => [a.key, a]));
      return adapters.get(d.adapter)?.teamId ?? null;
    }
    if (!byKey.has(d.team)) byKey.set(d.team, (await teamByKey(ex, d.team).catch(() => null))?.id ?? null);
    return byKey.get(d.team)!;
  };
}

/** What undoing a finished step does, in a fulfiller's words; `by` is its team or its adapter. */
function undoWords(step: repo.LineStepRow, by: string): string {
  const d = step.definition;
  if (step.replacesStepId) return `${d.name}: kept (it changed what an earlier order delivered)`;
  if (d.type === 'manual') return `${d.name}: an “Undo” task for ${by}`;
  if (d.type === 'osb') return `${d.name}: deprovisioned through ${by}`;
  return `${d.name}: undone through ${by}`;
}

export async function listAttention(
  ex: Executor,
  actor: Actor,
  query: z.output<typeof AttentionQuery>,
): Promise<AttentionItem[]> {
  const scope = await attentionScope(ex, actor);
  let teamFilter: string | null = null;
  if (query.team && scope !== 'all') teamFilter = await myTeam(ex, scope, query.team, 'query.team');
  else if (query.team) {
    teamFilter = (await teamByKey(ex, query.team).catch(() => null))?.id ?? null;
    if (!teamFilter) throw invalid('query.team', `no team ${query.team}`);
  }
  const teamOf = teamResolver(ex);
  const failed: { step: repo.LineStepRow; teamId: string }[] = [];
  for (const step of await queueRepo.failedSteps(ex)) {
    const teamId = await teamOf(step);
    if (!teamId || (scope !== 'all' && !scope.includes(teamId))) continue;
    if (teamFilter && teamId !== teamFilter) continue;
    failed.push({ step, teamId });
  }
  if (failed.length === 0) return [];

  const lines = await linesWithOrders(
    ex,
    failed.map((f) => f.step.orderLineId),
  );
  const requesters = await people(
    ex,
    [...lines.values()].map((l) => l.order.requesterId),
  );
  const allSteps = await repo.stepsOfLines(ex, [...lines.keys()]);
  const stepTeams = new Map<string, string>();
  for (const s of allSteps) {
    const id = await teamOf(s);
    if (id) stepTeams.set(s.id, id);
  }
  const teams = await teamRefs(ex, [...failed.map((f) => f.teamId), ...stepTeams.values()]);
  const adapterNames = new Map((await repo.listAdapters(ex)).map((a) => [a.key, a.name]));
  const by = (s: repo.LineStepRow) =>
    s.definition.type === 'manual'
      ? (teams.get(stepTeams.get(s.id) ?? '')?.name ?? s.definition.team)
      : (adapterNames.get(s.definition.adapter) ?? s.definition.adapter);

  const items = failed.map(({ step, teamId }): AttentionItem => {
    const { line, order } = lines.get(step.orderLineId)!;
    const undoing = step.undoFor === 'abandon' || step.undoFor === 'decommission' ? step.undoFor : null;
    const undoes = allSteps
      .filter((s) => s.orderLineId === step.orderLineId && s.status === 'done')
      .reverse()
      .map((s) => undoWords(s, by(s)));
    return {
      step: {
        id: step.id,
        name: step.definition.name,
        type: step.definition.type,
        position: step.position,
        error: step.error ?? 'failed (no error was recorded)',
        attempts: step.attempts,
        failedAt: step.finishedAt?.toISOString() ?? null,
        undoing,
        by: by(step),
      },
      team: teams.get(teamId)!,
      order: { id: order.id, number: orderNumber(order.seq), requester: requesters.get(order.requesterId)! },
      line: {
        id: line.id,
        service: { slug: line.serviceSlug, name: line.serviceName },
        plan: { slug: line.planSlug, name: line.planName },
        quantity: line.quantity,
      },
      abandonable: undoing === null,
      undoes,
    };
  });
  const words = wordsOf(query.q);
  if (words.length === 0) return items;
  return items.filter((i) => {
    const text = [
      i.order.number,
      i.line.service.name,
      i.line.plan.name,
      i.order.requester.name,
      i.order.requester.email,
      i.step.name,
    ]
      .join(' ')
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** A failed step the caller may act on: their team's (any for admins); others do not learn it exists. */
export async function authorizeStep(ex: Executor, actor: Actor, stepId: string) {
  const scope = await attentionScope(ex, actor);
  const step = await repo.findStep(ex, stepId);
  if (!step) throw notFound('Step');
  if (scope === 'all') return step;
  const teamId = await teamResolver(ex)(step);
  if (!teamId || !scope.includes(teamId)) throw notFound('Step');
  return step;
}

/**
 * A line the caller may abandon: one whose failed step is their team's. With no failed step,
 * a member of a team working on it learns why not (the engine's 409); anyone else gets 404.
 */
export async function authorizeLine(ex: Executor, actor: Actor, lineId: string) {
  const scope = await attentionScope(ex, actor);
  const steps = await repo.stepsOfLine(ex, lineId);
  if (steps.length === 0) throw notFound('Line');
  if (scope === 'all') return;
  const teamOf = teamResolver(ex);
  const failed = steps.filter((s) => s.status === 'failed');
  for (const s of failed.length ? failed : steps) {
    const teamId = await teamOf(s);
    if (teamId && scope.includes(teamId)) return;
  }
  if (failed.length && (await Promise.all(steps.map(teamOf))).some((t) => t && scope.includes(t)))
    throw forbidden('Only the team whose step failed can abandon this line');
  throw notFound('Line');
}
