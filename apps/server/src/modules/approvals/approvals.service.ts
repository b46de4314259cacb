import type { Approval } from '@portico/shared';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { managerOf, people } from '../identity/index.ts';
import { linesWithOrders, orderNumber, presentLine } from '../ordering/index.ts';
import { costCentreRefs } from '../org/index.ts';
import * as repo from './approvals.repo.ts';

export interface LineToRoute {
  lineId: string;
  orderId: string;
  requesterId: string;
  costCentreOwnerId: string | null;
}

export type Routing =
  { outcome: 'pending'; approverId: string } | { outcome: 'auto_approved'; reason: string };

/**
 * Decides who must approve a line: the requester's manager, else the cost centre's owner.
 * With neither on record the line is approved automatically, and the audit log says why.
 */
export async function routeLine(tx: Tx, actor: Actor, line: LineToRoute): Promise<Routing> {
  const manager = await managerOf(tx, line.requesterId);
  const [approverId, reason] = manager
    ? [manager.id, 'You are the requester’s line manager.']
    : line.costCentreOwnerId && line.costCentreOwnerId !== line.requesterId
      ? [
          line.costCentreOwnerId,
          'You own the cost centre it is charged to, and the requester has no manager on record.',
        ]
      : [null, 'No manager or cost-centre owner on record'];
  if (!approverId) {
    await recordAudit(tx, actor, {
      action: 'approval.auto_approved',
      entityType: 'order_line',
      entityId: line.lineId,
      after: { reason },
    });
    return { outcome: 'auto_approved', reason };
  }
  const approval = await repo.insertApproval(tx, {
    orderId: line.orderId,
    orderLineId: line.lineId,
    approverId,
    reason,
  });
  await recordAudit(tx, actor, {
    action: 'approval.requested',
    entityType: 'approval',
    entityId: approval.id,
    after: { status: 'pending', approverId, orderLineId: line.lineId },
  });
  return { outcome: 'pending', approverId };
}

/** Takes a decision once; a second decision, from anyone, is a Conflict. */
export async function decide(
  tx: Tx,
  actor: Actor,
  id: string,
  input: { decision: 'approve' | 'reject'; comment?: string },
): Promise<repo.ApprovalRow> {
  if (!actor.userId) throw forbidden();
  const status = input.decision === 'approve' ? 'approved' : 'rejected';
  const decided = await repo.decide(tx, id, actor.userId, status, input.comment ?? null);
  if (!decided) {
    const existing = await repo.findApproval(tx, id);
    if (!existing || existing.approverId !== actor.userId) throw notFound('Approval');
    throw conflict(`This request was already ${existing.status}`);
  }
  await recordAudit(tx, actor, {
    action: `approval.${status}`,
    entityType: 'approval',
    entityId: id,
    before: { status: 'pending' },
    after: { status, comment: decided.comment },
  });
  return decided;
}

export async function present(ex: Executor, rows: repo.ApprovalRow[]): Promise<Approval[]> {
  const lines = await linesWithOrders(
    ex,
    rows.map((r) => r.orderLineId),
  );
  const orders = [...lines.values()].map((l) => l.order);
  const who = await people(
    ex,
    orders.map((o) => o.requesterId),
  );
  const centres = await costCentreRefs(
    ex,
    orders.map((o) => o.costCentreId),
  );
  return rows.map((r) => {
    const { line, order } = lines.get(r.orderLineId)!;
    const { id, service, plan, quantity, currency, oneTimePrice, monthlyPrice } = presentLine(line);
    return {
      id: r.id,
      status: r.status,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      comment: r.comment,
      order: {
        id: order.id,
        number: orderNumber(order.seq),
        justification: order.justification,
        costCentre: centres.get(order.costCentreId)!,
        requester: who.get(order.requesterId)!,
      },
      line: { id, service, plan, quantity, currency, oneTimePrice, monthlyPrice },
    };
  });
}

export async function listMine(
  ex: Executor,
  actor: Actor,
  query: { status: 'pending' | 'decided'; limit: number; cursor?: string },
) {
  if (!actor.userId) return { items: [], nextCursor: null };
  const pending = query.status === 'pending';
  const page = trimPage(
    await repo.listFor(ex, actor.userId, pending, query.limit, decodeCursor(query.cursor)),
    query.limit,
    (r) => ({ at: (pending ? r.createdAt : r.decidedAt)!, id: r.id }),
  );
  return { items: await present(ex, page.rows), nextCursor: page.nextCursor };
}

export const isApproverOf = repo.isApproverOf;
