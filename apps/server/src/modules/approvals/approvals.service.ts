import type { Approval, ApprovalChain, ChainStage } from '@portico/shared';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { managerOf, people } from '../identity/index.ts';
import { notify } from '../notify/index.ts';
import {
  committed,
  describeLine,
  firstYearCost,
  lineAmounts,
  linesWithOrders,
  orderNumber,
} from '../ordering/index.ts';
import { budgetImpact, budgetOf, costCentreRefs, departmentOf } from '../org/index.ts';
import * as repo from './approvals.repo.ts';
import type { PlannedRoute } from './approvals.routing.ts';
import type { PlannedStage } from './approvals.tables.ts';

const today = () => new Date().toISOString().slice(0, 10);

/** Approvals that just started waiting; the caller schedules their reminders. */
export interface Waiting {
  rows: repo.ApprovalRow[];
  stage: PlannedStage;
}

async function openStage(tx: Tx, actor: Actor, chain: repo.ChainRow, stage: PlannedStage): Promise<Waiting> {
  const rows = await repo.insertApprovals(
    tx,
    stage.approverIds.map((approverId, i) => ({
      orderId: chain.orderId,
      orderLineId: chain.orderLineId,
      stage: stage.position,
      slot: stage.mode === 'all' ? i : 0,
      approverId,
      reason: stage.why,
    })),
  );
  for (const row of rows) {
    await recordAudit(tx, actor, {
      action: 'approval.requested',
      entityType: 'approval',
      entityId: row.id,
      after: {
        status: 'pending',
        approverId: row.approverId,
        orderLineId: row.orderLineId,
        stage: row.stage,
      },
    });
  }
  const [line] = (await linesWithOrders(tx, [chain.orderLineId])).values();
  // Each approver is led straight to their own decision screen.
  for (const r of rows) {
    await notify(tx, [r.approverId], {
      kind: 'approval.requested',
      title: `Approval needed: ${orderNumber(line!.order.seq)}`,
      body: `${line!.line.serviceName} · ${line!.line.planName} — ${stage.name}.`,
      link: `/approvals/${r.id}`,
    });
  }
  return { rows, stage };
}

/**
 * Starts a line's chain: its first stage waits for decisions, or, with no stage, the line is
 * approved automatically and the chain records why.
 */
export async function openChain(
  tx: Tx,
  actor: Actor,
  line: { lineId: string; orderId: string; requesterId: string },
  route: PlannedRoute,
): Promise<{ autoApproved: boolean; waiting: Waiting | null }> {
  const auto = route.stages.length === 0;
  const chain = await repo.insertChain(tx, {
    orderLineId: line.lineId,
    orderId: line.orderId,
    requesterId: line.requesterId,
    status: auto ? 'approved' : 'pending',
    currentStage: auto ? 0 : 1,
    stages: route.stages,
    matched: route.matched,
    summary: route.summary,
    settledAt: auto ? new Date() : null,
  });
  if (auto) {
    await recordAudit(tx, actor, {
      action: 'approval.auto_approved',
      entityType: 'order_line',
      entityId: line.lineId,
      after: { reason: route.summary, matched: route.matched },
    });
    return { autoApproved: true, waiting: null };
  }
  return { autoApproved: false, waiting: await openStage(tx, actor, chain, route.stages[0]!) };
}

export type Decided =
  | { result: 'recorded' | 'rejected' | 'approved'; approval: repo.ApprovalRow; waiting: null }
  | { result: 'stage_approved'; approval: repo.ApprovalRow; waiting: Waiting };

/** Whether `userId` may decide `row`: it is theirs, or theirs by delegation today. */
async function decidesFor(ex: Executor, userId: string, row: repo.ApprovalRow) {
  return row.approverId === userId || (await repo.delegatorsOf(ex, userId, today())).includes(row.approverId);
}

/**
 * Takes a decision once. The line's chain is locked first, so decisions on one line queue: of
 * two approvers of the same stage deciding at once, the second finds the stage decided (409).
 */
export async function decide(
  tx: Tx,
  actor: Actor,
  id: string,
  input: { decision: 'approve' | 'reject'; comment?: string },
): Promise<Decided> {
  if (!actor.userId) throw forbidden();
  const found = await repo.findApproval(tx, id);
  if (!found || !(await decidesFor(tx, actor.userId, found))) throw notFound('Approval');
  const chain = (await repo.lockChain(tx, found.orderLineId))!;
  const status = input.decision === 'approve' ? 'approved' : 'rejected';
  const approval = await repo.setApproval(tx, id, {
    status,
    decidedById: actor.userId,
    comment: input.comment ?? null,
  });
  if (!approval) {
    const now = (await repo.findApproval(tx, id))!;
    const by = now.decidedById ? (await people(tx, [now.decidedById])).get(now.decidedById)?.name : null;
    throw conflict(
      now.status === 'skipped'
        ? 'Someone else already approved this stage'
        : `This request was already ${now.status}${by ? ` by ${by}` : ''}`,
    );
  }
  await recordAudit(tx, actor, {
    action: `approval.${status}`,
    entityType: 'approval',
    entityId: id,
    before: { status: 'pending' },
    after: {
      status,
      comment: approval.comment,
      onBehalfOf: approval.approverId === actor.userId ? null : approval.approverId,
    },
  });

  if (status === 'rejected') {
    await repo.closePending(tx, chain.orderLineId, 'cancelled');
    await repo.updateChain(tx, chain.orderLineId, { status: 'rejected', settledAt: new Date() });
    return { result: 'rejected', approval, waiting: null };
  }
  await repo.closePending(tx, chain.orderLineId, 'skipped', { stage: approval.stage, slot: approval.slot });
  const stageRows = (await repo.approvalsOfLines(tx, [chain.orderLineId])).filter(
    (r) => r.stage === approval.stage,
  );
  const slots = new Set(stageRows.map((r) => r.slot));
  const done = [...slots].every((slot) => stageRows.some((r) => r.slot === slot && r.status === 'approved'));
  if (!done) return { result: 'recorded', approval, waiting: null };
  const next = chain.stages[approval.stage];
  if (!next) {
    await repo.updateChain(tx, chain.orderLineId, { status: 'approved', settledAt: new Date() });
    return { result: 'approved', approval, waiting: null };
  }
  await repo.updateChain(tx, chain.orderLineId, { currentStage: next.position });
  return { result: 'stage_approved', approval, waiting: await openStage(tx, actor, chain, next) };
}

/** A cancelled line's approvals stop waiting. */
export async function cancelChain(tx: Tx, lineId: string): Promise<void> {
  const chain = await repo.lockChain(tx, lineId);
  if (!chain || chain.status !== 'pending') return;
  await repo.closePending(tx, lineId, 'cancelled');
  await repo.updateChain(tx, lineId, { status: 'cancelled', settledAt: new Date() });
}

/** Job: an approval still waiting reminds its approver (and whoever decides for them today). */
export async function remind(tx: Tx, approvalId: string, hours: number): Promise<void> {
  const row = await repo.findApproval(tx, approvalId);
  if (row?.status !== 'pending') return;
  const [found] = (await linesWithOrders(tx, [row.orderLineId])).values();
  await notify(tx, [row.approverId, ...(await repo.delegatesOf(tx, row.approverId, today()))], {
    kind: 'approval.reminder',
    title: `Reminder: ${orderNumber(found!.order.seq)} is waiting for you`,
    body: `${found!.line.serviceName} · ${found!.line.planName} has waited ${hours} business hours for your decision.`,
    link: `/approvals/${row.id}`,
  });
}

/**
 * Job: an approval still waiting also goes to its approver's manager, who can decide in the
 * approver's place (same stage and slot). Returns the new approval, if any.
 */
export async function escalate(tx: Tx, actor: Actor, approvalId: string, hours: number) {
  const row = await repo.findApproval(tx, approvalId);
  if (row?.status !== 'pending') return null;
  const chain = (await repo.lockChain(tx, row.orderLineId))!;
  const manager = await managerOf(tx, row.approverId);
  const lineRows = await repo.approvalsOfLines(tx, [row.orderLineId]);
  if (
    !manager ||
    manager.id === chain.requesterId ||
    lineRows.some((r) => r.stage === row.stage && r.approverId === manager.id)
  ) {
    return null;
  }
  const who = (await people(tx, [row.approverId])).get(row.approverId)!;
  const [created] = await repo.insertApprovals(tx, [
    {
      orderId: row.orderId,
      orderLineId: row.orderLineId,
      stage: row.stage,
      slot: row.slot,
      approverId: manager.id,
      escalatedFromId: row.id,
      reason: `Escalated to you: ${who.name} has not decided within ${hours} business hours. ${row.reason}`,
    },
  ]);
  await recordAudit(tx, actor, {
    action: 'approval.escalated',
    entityType: 'approval',
    entityId: created!.id,
    after: { from: row.approverId, to: manager.id, stage: row.stage },
  });
  await notify(tx, [manager.id], {
    kind: 'approval.escalated',
    title: 'An approval was escalated to you',
    body: `${who.name} has not decided within ${hours} business hours; you can decide in their place.`,
    link: `/approvals/${created!.id}`,
  });
  return { approval: created!, escalatedFrom: who.name, to: manager.name };
}

// ---- reading ------------------------------------------------------------------------------

function stageStatus(chain: repo.ChainRow, position: number): ChainStage['status'] {
  if (position < chain.currentStage) return 'approved';
  if (position === chain.currentStage) return chain.status;
  return chain.status === 'pending' ? 'waiting' : 'cancelled';
}

/** A decision's time: approvals closed because someone else decided have none of their own. */
const decidedAt = (r: repo.ApprovalRow) =>
  r.status === 'approved' || r.status === 'rejected' ? (r.decidedAt?.toISOString() ?? null) : null;

/** Each line's chain as it stands, with the number of stages still to approve. */
export const chainsOfLines = async (ex: Executor, lineIds: string[]) =>
  presentChains(ex, await repo.chainsOf(ex, lineIds));

async function presentChains(ex: Executor, chains: repo.ChainRow[]) {
  const rows = await repo.approvalsOfLines(
    ex,
    chains.map((c) => c.orderLineId),
  );
  const who = await people(ex, [
    ...chains.flatMap((c) => c.stages.flatMap((s) => s.approverIds)),
    ...rows.map((r) => r.approverId),
    ...rows.flatMap((r) => (r.decidedById ? [r.decidedById] : [])),
  ]);
  return new Map(
    chains.map((chain) => {
      const own = rows.filter((r) => r.orderLineId === chain.orderLineId);
      const presented: ApprovalChain = {
        status: chain.status,
        summary: chain.summary,
        stages: chain.stages.map((s) => ({
          position: s.position,
          name: s.name,
          mode: s.mode,
          why: s.why,
          status: stageStatus(chain, s.position),
          planned: s.approverIds.map((id) => who.get(id)!),
          approvals: own
            .filter((r) => r.stage === s.position)
            .map((r) => ({
              approver: who.get(r.approverId)!,
              status: r.status,
              decidedBy: r.decidedById ? who.get(r.decidedById)! : null,
              decidedAt: decidedAt(r),
              comment: r.comment,
              escalated: r.escalatedFromId !== null,
            })),
        })),
      };
      const stagesLeft = chain.status === 'pending' ? chain.stages.length - chain.currentStage + 1 : 0;
      return [chain.orderLineId, { chain: presented, stagesLeft }];
    }),
  );
}

export async function present(ex: Executor, rows: repo.ApprovalRow[]): Promise<Approval[]> {
  const lines = await linesWithOrders(
    ex,
    rows.map((r) => r.orderLineId),
  );
  const chainRows = await repo.chainsOf(ex, [...lines.keys()]);
  const chains = await presentChains(ex, chainRows);
  const planned = new Map(chainRows.map((c) => [c.orderLineId, c]));
  const orders = [...lines.values()].map((l) => l.order);
  const who = await people(ex, [
    ...orders.map((o) => o.requesterId),
    ...rows.flatMap((r) => [r.approverId, ...(r.decidedById ? [r.decidedById] : [])]),
  ]);
  const centres = await costCentreRefs(
    ex,
    orders.map((o) => o.costCentreId),
  );
  const now = new Date();
  const out: Approval[] = [];
  for (const r of rows) {
    const { line, order } = lines.get(r.orderLineId)!;
    const chain = planned.get(r.orderLineId)!;
    const stage = chain.stages[r.stage - 1]!;
    const described = describeLine(line);
    const firstYear = firstYearCost({
      unit: { oneTime: line.oneTimePrice, monthly: line.monthlyPrice },
      quantity: line.quantity,
    });
    let budget = null;
    if (r.status === 'pending') {
      const own = lineAmounts(line, order.createdAt, now);
      const all = await committed(ex, order.costCentreId, now);
      budget = budgetImpact({
        costCentre: centres.get(order.costCentreId)!,
        budget: await budgetOf(ex, order.costCentreId, now.getUTCFullYear()),
        committed: { month: all.month.minus(own.month), year: all.year.minus(own.year) },
        request: own,
        at: now,
      });
    }
    out.push({
      id: r.id,
      status: r.status,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      decidedAt: decidedAt(r),
      decidedBy: r.decidedById ? who.get(r.decidedById)! : null,
      comment: r.comment,
      onBehalfOf: null,
      stage: { position: stage.position, of: chain.stages.length, name: stage.name, mode: stage.mode },
      order: {
        id: order.id,
        number: orderNumber(order.seq),
        justification: order.justification,
        neededBy: order.neededBy,
        costCentre: centres.get(order.costCentreId)!,
        requester: who.get(order.requesterId)!,
        department: await departmentOf(ex, order.requesterId),
      },
      line: { ...described, firstYearCost: firstYear.toFixed(2) },
      matched: chain.matched,
      chain: chains.get(r.orderLineId)!.chain,
      budget,
    });
  }
  return out;
}

/** `onBehalfOf` as the viewer sees it: set when the approval is someone else's. */
const asSeenBy =
  (viewerId: string, people_: Map<string, Approval['decidedBy']>) => (a: Approval, row: repo.ApprovalRow) =>
    row.approverId === viewerId ? a : { ...a, onBehalfOf: people_.get(row.approverId) ?? null };

export async function listMine(
  ex: Executor,
  actor: Actor,
  query: { status: 'pending' | 'decided'; limit: number; cursor?: string },
) {
  if (!actor.userId) return { items: [], nextCursor: null };
  const pending = query.status === 'pending';
  const forWhom = [actor.userId, ...(pending ? await repo.delegatorsOf(ex, actor.userId, today()) : [])];
  const page = trimPage(
    await repo.listFor(ex, forWhom, pending, query.limit, decodeCursor(query.cursor)),
    query.limit,
    (r) => ({ at: (pending ? r.createdAt : r.decidedAt)!, id: r.id }),
  );
  const presented = await present(ex, page.rows);
  const names = await people(
    ex,
    page.rows.map((r) => r.approverId),
  );
  const view = asSeenBy(actor.userId, names);
  return { items: presented.map((a, i) => view(a, page.rows[i]!)), nextCursor: page.nextCursor };
}

export async function getApproval(ex: Executor, actor: Actor, id: string): Promise<Approval> {
  const row = await repo.findApproval(ex, id);
  if (!row || !actor.userId) throw notFound('Approval');
  const mine = row.approverId === actor.userId || row.decidedById === actor.userId;
  if (!mine && !(await decidesFor(ex, actor.userId, row))) throw notFound('Approval');
  const [presented] = await present(ex, [row]);
  return asSeenBy(actor.userId, await people(ex, [row.approverId]))(presented!, row);
}

/** Whether someone approves (or decides by delegation) part of an order. */
export async function isApproverOf(ex: Executor, userId: string, orderId: string) {
  return repo.isApproverOf(ex, [userId, ...(await repo.delegatorsOf(ex, userId, today()))], orderId);
}
