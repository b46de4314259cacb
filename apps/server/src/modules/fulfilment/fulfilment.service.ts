import type { Task } from '@portico/shared';
import type { Actor } from '../../platform/actor.ts';
import { hasRole } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import {
  AppError,
  conflict,
  forbidden,
  invalid,
  invalidFields,
  notFound,
  type FieldError,
} from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { people, teamByKey, teamIdsOf, teamRefs } from '../identity/index.ts';
import { describeLine, linesWithOrders, orderNumber } from '../ordering/index.ts';
import * as repo from './fulfilment.repo.ts';
import type { OutputField } from './fulfilment.tables.ts';

/** Queues the line's manual task for the team that delivers its plan (once, however often it runs). */
export async function startLine(
  tx: Tx,
  actor: Actor,
  line: { lineId: string; orderId: string; planId: string; title: string },
): Promise<repo.TaskRow | undefined> {
  const plan = await repo.findPlanFor(tx, line.planId);
  if (!plan) throw new AppError('Internal', `Plan ${line.planId} has no fulfilment plan`);
  const task = await repo.insertTaskOnce(tx, {
    orderId: line.orderId,
    orderLineId: line.lineId,
    teamId: plan.teamId,
    title: `${plan.title}: ${line.title}`,
    instructions: plan.instructions,
    outputFields: plan.outputFields,
  });
  if (task) {
    await recordAudit(tx, actor, {
      action: 'task.created',
      entityType: 'task',
      entityId: task.id,
      after: { status: 'open', teamId: plan.teamId, orderLineId: line.lineId },
    });
  }
  return task;
}

async function requireTeamMember(ex: Executor, actor: Actor, teamId?: string): Promise<string[]> {
  if (!actor.userId || !hasRole(actor, 'fulfiller')) throw forbidden('Only fulfillers work on tasks');
  const teams = await teamIdsOf(ex, actor.userId);
  if (teamId && !teams.includes(teamId)) throw notFound('Task');
  return teams;
}

function checkOutputs(fields: OutputField[], outputs: Record<string, string>): void {
  const errors: FieldError[] = [];
  for (const f of fields) {
    if (f.required && !outputs[f.key]?.trim())
      errors.push({ path: `outputs.${f.key}`, message: `${f.label} is required` });
  }
  for (const key of Object.keys(outputs)) {
    if (!fields.some((f) => f.key === key))
      errors.push({ path: `outputs.${key}`, message: 'is not an output of this task' });
  }
  if (errors.length) {
    throw invalidFields(errors);
  }
}

/** Completes an open task of one of the fulfiller's teams with its outputs. */
export async function completeTask(
  tx: Tx,
  actor: Actor,
  id: string,
  input: { outputs: Record<string, string>; note?: string },
): Promise<repo.TaskRow> {
  const task = await repo.findTask(tx, id);
  if (!task) throw notFound('Task');
  await requireTeamMember(tx, actor, task.teamId);
  checkOutputs(task.outputFields, input.outputs);
  // In the order the task declares its fields, whatever order they were sent in.
  const outputs = Object.fromEntries(
    task.outputFields.flatMap((f) =>
      input.outputs[f.key]?.trim() ? [[f.key, input.outputs[f.key]!.trim()]] : [],
    ),
  );
  const done = await repo.completeTask(tx, id, actor.userId!, outputs, input.note ?? null);
  if (!done) throw conflict('This task is already complete');
  await recordAudit(tx, actor, {
    action: 'task.completed',
    entityType: 'task',
    entityId: id,
    before: { status: 'open' },
    after: { status: 'done', outputs },
  });
  return done;
}

export async function present(ex: Executor, rows: repo.TaskRow[]): Promise<Task[]> {
  const lines = await linesWithOrders(
    ex,
    rows.map((r) => r.orderLineId),
  );
  const orders = [...lines.values()].map((l) => l.order);
  const who = await people(ex, [
    ...orders.map((o) => o.requesterId),
    ...rows.flatMap((r) => (r.completedById ? [r.completedById] : [])),
  ]);
  const teams = await teamRefs(
    ex,
    rows.map((r) => r.teamId),
  );
  return rows.map((r) => {
    const { line, order } = lines.get(r.orderLineId)!;
    const { id, service, plan, options, optionsShown, quantity } = describeLine(line);
    return {
      id: r.id,
      title: r.title,
      instructions: r.instructions,
      status: r.status,
      team: teams.get(r.teamId)!,
      createdAt: r.createdAt.toISOString(),
      completedAt: r.completedAt?.toISOString() ?? null,
      completedBy: r.completedById ? (who.get(r.completedById)?.name ?? null) : null,
      note: r.note,
      outputs: r.outputs,
      outputFields: r.outputFields,
      order: { id: order.id, number: orderNumber(order.seq), requester: who.get(order.requesterId)! },
      line: { id, service, plan, options, optionsShown, quantity },
    };
  });
}

export async function listQueue(
  ex: Executor,
  actor: Actor,
  query: { status: 'open' | 'done'; limit: number; cursor?: string },
) {
  const teams = await requireTeamMember(ex, actor);
  const open = query.status === 'open';
  const page = trimPage(
    await repo.listForTeams(ex, teams, open, query.limit, decodeCursor(query.cursor)),
    query.limit,
    (r) => ({ at: (open ? r.createdAt : r.completedAt)!, id: r.id }),
  );
  return { items: await present(ex, page.rows), nextCursor: page.nextCursor };
}

export async function isWorkingOn(ex: Executor, userId: string, orderId: string) {
  return repo.hasTaskForTeams(ex, await teamIdsOf(ex, userId), orderId);
}

export async function teamForPlan(ex: Executor, planId: string): Promise<string | null> {
  return (await repo.findPlanFor(ex, planId))?.teamId ?? null;
}

// ---- fulfilment plans, as the catalogue document holds them -------------------------------

export interface FulfilmentPlanDocument {
  team: string;
  title: string;
  instructions: string;
  outputs: OutputField[];
}

/** Sets how a plan is delivered; the team is named by key (an unknown key is a 400 on `field`). */
export async function setFulfilmentPlan(tx: Tx, planId: string, doc: FulfilmentPlanDocument, field: string) {
  const team = await teamByKey(tx, doc.team).catch(() => {
    throw invalid(`${field}.team`, `no team ${doc.team}`);
  });
  await repo.upsertPlan(tx, {
    planId,
    teamId: team.id,
    title: doc.title,
    instructions: doc.instructions,
    outputFields: doc.outputs,
  });
}

export async function fulfilmentDocument(ex: Executor, planId: string): Promise<FulfilmentPlanDocument> {
  const plan = await repo.findPlanFor(ex, planId);
  if (!plan) throw new AppError('Internal', `Plan ${planId} has no fulfilment plan`);
  const teams = await teamRefs(ex, [plan.teamId]);
  return {
    team: teams.get(plan.teamId)!.key,
    title: plan.title,
    instructions: plan.instructions,
    outputs: plan.outputFields,
  };
}
