import {
  unitPrice,
  validateOptions,
  type LineStatus,
  type Order,
  type OrderLine,
  type OrderStatus,
  type OrderSummary,
  type PlaceOrderBody,
  type TimelineEvent,
} from '@portico/shared';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import { addBusinessDays } from '../../platform/business-days.ts';
import { sha256 } from '../../platform/crypto.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { AppError, conflict, forbidden, notFound, type FieldError } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { orderablePlan } from '../catalog/index.ts';
import { people } from '../identity/index.ts';
import { chargeableCostCentre, costCentreRefs } from '../org/index.ts';
import { canSeeOrder } from './ordering.policy.ts';
import * as repo from './ordering.repo.ts';

type PlaceOrderInput = z.output<typeof PlaceOrderBody>;

export const orderNumber = (seq: number) => `ORD-${String(seq).padStart(6, '0')}`;

export interface PlacedOrder {
  order: repo.OrderRow;
  lines: repo.LineRow[];
  /** False when the idempotency key had been used for this very request before. */
  created: boolean;
}

/** Records an order and its lines as submitted; routing them for approval is the caller's next step. */
export async function submitOrder(
  tx: Tx,
  actor: Actor,
  input: PlaceOrderInput,
  idempotencyKey: string,
): Promise<PlacedOrder> {
  const requesterId = actor.userId;
  if (!requesterId) throw forbidden('Only a person can place an order');
  const requestHash = sha256(JSON.stringify(input));
  const replay = await repo.findOrderByKey(tx, requesterId, idempotencyKey);
  if (replay) return reuse(tx, replay, requestHash);

  const costCentre = await chargeableCostCentre(tx, requesterId, input.costCentre, 'costCentre');
  const bought = [];
  const errors: FieldError[] = [];
  for (const [i, line] of input.lines.entries()) {
    const found = await orderablePlan(tx, line.service, line.plan, `lines.${i}`);
    const options = validateOptions(found.service.options ?? null, line.options);
    errors.push(...options.errors.map((e) => ({ path: `lines.${i}.options.${e.path}`, message: e.message })));
    const price = unitPrice(
      { oneTime: found.plan.oneTimePrice, monthly: found.plan.monthlyPrice },
      found.service.options ?? null,
      options.values,
    );
    bought.push({ line: { ...line, options: options.values }, price, ...found });
  }
  if (errors.length)
    throw new AppError('Invalid', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  const order = await repo.insertOrderOnce(tx, {
    requesterId,
    costCentreId: costCentre.id,
    justification: input.justification,
    neededBy: input.neededBy ?? null,
    status: 'pending_approval',
    slaAcceptedAt: new Date(),
    idempotencyKey,
    requestHash,
  });
  // Another request with the same key committed first: answer with its order.
  if (!order) return reuse(tx, (await repo.findOrderByKey(tx, requesterId, idempotencyKey))!, requestHash);

  const lines = await repo.insertLines(
    tx,
    bought.map(({ line, service, plan, sla, price }, position) => ({
      orderId: order.id,
      position,
      serviceId: service.id,
      planId: plan.id,
      serviceVersion: service.version,
      serviceSlug: service.slug,
      serviceName: service.name,
      planSlug: plan.slug,
      planName: plan.name,
      options: line.options,
      quantity: line.quantity,
      currency: plan.currency,
      oneTimePrice: price.oneTime,
      monthlyPrice: price.monthly,
      leadTimeDays: plan.leadTimeDays,
      sla: { ...sla, acceptedAt: order.slaAcceptedAt.toISOString(), acceptedBy: requesterId },
      status: 'pending_approval',
    })),
  );
  await repo.insertEvent(tx, { orderId: order.id, kind: 'submitted', actorId: requesterId });
  await recordAudit(tx, actor, {
    action: 'order.submitted',
    entityType: 'order',
    entityId: order.id,
    after: { status: order.status, costCentre: costCentre.code, lines: lines.length, slaAccepted: true },
  });
  return { order, lines, created: true };
}

async function reuse(ex: Executor, order: repo.OrderRow, requestHash: string): Promise<PlacedOrder> {
  if (order.requestHash !== requestHash) {
    throw conflict('Idempotency-Key was already used for a different request; use a new key');
  }
  return { order, lines: await repo.linesOf(ex, [order.id]), created: false };
}

export function deriveOrderStatus(statuses: LineStatus[]): OrderStatus {
  const live = statuses.filter((s) => s !== 'rejected');
  if (statuses.includes('pending_approval')) return 'pending_approval';
  if (live.length === 0) return 'rejected';
  if (live.every((s) => s === 'delivered'))
    return live.length < statuses.length ? 'partially_delivered' : 'delivered';
  if (live.some((s) => s === 'in_fulfilment' || s === 'delivered')) return 'in_fulfilment';
  return 'approved';
}

const nextStatus = {
  approved: { from: ['pending_approval'], event: 'approved' },
  rejected: { from: ['pending_approval'], event: 'rejected' },
  in_fulfilment: { from: ['approved'], event: 'in_fulfilment' },
  delivered: { from: ['in_fulfilment'], event: 'delivered' },
} as const satisfies Record<string, { from: LineStatus[]; event: TimelineEvent['kind'] }>;

/**
 * Moves a line to its next status and puts the step on the order's timeline. Throws Conflict
 * when the line is not in a status it can leave that way (a rejected line never moves on).
 */
export async function advanceLine(
  tx: Tx,
  actor: Actor,
  lineId: string,
  to: keyof typeof nextStatus,
  details: { note?: string | null; subscriptionId?: string } = {},
): Promise<repo.LineRow> {
  const step = nextStatus[to];
  const before = await repo.findLine(tx, lineId);
  if (!before) throw notFound('Order line');
  const line = await repo.transitionLine(tx, lineId, [...step.from], to, {
    subscriptionId: details.subscriptionId,
  });
  if (!line)
    throw conflict(
      `The line is ${before.status.replace('_', ' ')} and cannot become ${to.replace('_', ' ')}`,
    );
  await repo.insertEvent(tx, {
    orderId: line.orderId,
    lineId,
    kind: step.event,
    actorId: actor.userId,
    note: details.note ?? null,
  });
  await recordAudit(tx, actor, {
    action: `order_line.${to}`,
    entityType: 'order_line',
    entityId: lineId,
    before: { status: before.status },
    after: { status: to },
  });
  const siblings = await repo.linesOf(tx, [line.orderId]);
  const order = (await repo.findOrder(tx, line.orderId))!;
  const status = deriveOrderStatus(siblings.map((l) => l.status as LineStatus));
  if (status !== order.status) {
    await repo.setOrderStatus(tx, order.id, status);
    await recordAudit(tx, actor, {
      action: 'order.status_changed',
      entityType: 'order',
      entityId: order.id,
      before: { status: order.status },
      after: { status },
    });
  }
  return line;
}

// ---- reading -----------------------------------------------------------------------------

/** When a line should arrive: its plan's lead time, counted from approval (or from now, while pending). */
function expectedDelivery(l: repo.LineRow, approvedAt: Date | undefined): string | null {
  if (l.status === 'delivered' || l.status === 'rejected') return null;
  return addBusinessDays(approvedAt ?? new Date(), l.leadTimeDays)
    .toISOString()
    .slice(0, 10);
}

export const presentLine = (l: repo.LineRow, approvedAt?: Date): OrderLine => ({
  id: l.id,
  service: { slug: l.serviceSlug, name: l.serviceName, version: l.serviceVersion },
  plan: { slug: l.planSlug, name: l.planName },
  options: l.options,
  quantity: l.quantity,
  currency: l.currency,
  oneTimePrice: l.oneTimePrice,
  monthlyPrice: l.monthlyPrice,
  status: l.status as LineStatus,
  leadTimeDays: l.leadTimeDays,
  expectedDeliveryDate: expectedDelivery(l, approvedAt),
  subscriptionId: l.subscriptionId,
});

/**
 * The order with its lines and timeline. `involved` says whether the viewer works on it
 * (approves or fulfils a line); the requester and admins may always see it.
 */
export async function getOrder(
  ex: Executor,
  actor: Actor,
  id: string,
  involved: (ex: Executor, userId: string, orderId: string) => Promise<boolean>,
): Promise<Order> {
  const order = await repo.findOrder(ex, id);
  if (!order || !(await canSeeOrder(ex, actor, order, involved))) throw notFound('Order');
  const lines = await repo.linesOf(ex, [id]);
  const events = await repo.eventsOf(ex, id);
  const approvedAt = new Map(
    events.flatMap((e) => (e.kind === 'approved' && e.lineId ? [[e.lineId, e.at]] : [])),
  );
  const presented = lines.map((l) => presentLine(l, approvedAt.get(l.id)));
  const who = await people(ex, [order.requesterId, ...events.flatMap((e) => (e.actorId ? [e.actorId] : []))]);
  const centres = await costCentreRefs(ex, [order.costCentreId]);
  return {
    id: order.id,
    number: orderNumber(order.seq),
    requester: who.get(order.requesterId)!,
    costCentre: centres.get(order.costCentreId)!,
    justification: order.justification,
    neededBy: order.neededBy,
    status: order.status as OrderStatus,
    slaAcceptedAt: order.slaAcceptedAt.toISOString(),
    createdAt: order.createdAt.toISOString(),
    lines: presented,
    expectedDeliveryDate:
      presented
        .flatMap((l) => (l.expectedDeliveryDate ? [l.expectedDeliveryDate] : []))
        .sort()
        .at(-1) ?? null,
    timeline: events.map((e) => ({
      kind: e.kind as TimelineEvent['kind'],
      at: e.at.toISOString(),
      lineId: e.lineId,
      actor: e.actorId ? (who.get(e.actorId)?.name ?? null) : null,
      note: e.note,
    })),
  };
}

export async function listMyOrders(
  ex: Executor,
  actor: Actor,
  query: { limit: number; cursor?: string },
): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  if (!actor.userId) return { items: [], nextCursor: null };
  const page = trimPage(
    await repo.ordersOf(ex, actor.userId, query.limit, decodeCursor(query.cursor)),
    query.limit,
    (o) => ({ at: o.createdAt, id: o.id }),
  );
  const centres = await costCentreRefs(
    ex,
    page.rows.map((o) => o.costCentreId),
  );
  const lines = await repo.linesOf(
    ex,
    page.rows.map((o) => o.id),
  );
  return {
    nextCursor: page.nextCursor,
    items: page.rows.map((order) => {
      const own = lines.filter((l) => l.orderId === order.id);
      const title = `${own[0]!.serviceName} · ${own[0]!.planName}`;
      return {
        id: order.id,
        number: orderNumber(order.seq),
        status: order.status as OrderStatus,
        createdAt: order.createdAt.toISOString(),
        costCentre: centres.get(order.costCentreId)!,
        title: own.length > 1 ? `${title} and ${own.length - 1} more` : title,
        lineCount: own.length,
      };
    }),
  };
}

/** Lines with their orders, for other modules that show what is asked for (approvals, tasks). */
export async function linesWithOrders(ex: Executor, lineIds: string[]) {
  const lines = await repo.findLines(ex, [...new Set(lineIds)]);
  const orders = new Map<string, repo.OrderRow>();
  for (const l of lines) {
    if (!orders.has(l.orderId)) orders.set(l.orderId, (await repo.findOrder(ex, l.orderId))!);
  }
  return new Map(lines.map((l) => [l.id, { line: l, order: orders.get(l.orderId)! }]));
}
