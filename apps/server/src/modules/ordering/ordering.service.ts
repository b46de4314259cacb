import {
  describeOptions,
  unitPrice,
  validateOptions,
  type ApprovalChain,
  type DeliveryForecast,
  type LineStatus,
  type LineStep,
  type Order,
  type OrderLine,
  type OrderStatus,
  type OrderSummary,
  type PendingChange,
  type PlaceOrderBody,
  type QuotaCheck,
  type TimelineEvent,
} from '@portico/shared';
import Decimal from 'decimal.js';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import { sha256 } from '../../platform/crypto.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import {
  conflict,
  forbidden,
  invalid,
  invalidFields,
  notFound,
  type FieldError,
} from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { orderablePlan } from '../catalog/index.ts';
import { people } from '../identity/index.ts';
import { chargeableCostCentre, costCentreRefs, type Amounts } from '../org/index.ts';
import { loadCalendar, type Calendar } from '../sla/index.ts';
import { canSeeOrder } from './ordering.policy.ts';
import * as repo from './ordering.repo.ts';

type PlaceOrderInput = z.output<typeof PlaceOrderBody>;

export const orderNumber = (seq: number) => `ORD-${String(seq).padStart(6, '0')}`;

/** A line priced from the catalogue as it is now: what it buys, its options checked, its unit price. */
export interface PricedLine {
  service: Awaited<ReturnType<typeof orderablePlan>>['service'];
  plan: Awaited<ReturnType<typeof orderablePlan>>['plan'];
  sla: Awaited<ReturnType<typeof orderablePlan>>['sla'];
  categoryPath: string[];
  options: Record<string, unknown>;
  quantity: number;
  unit: { oneTime: string; monthly: string };
  /** Option errors, paths relative to the line (`options.diskGb`). */
  errors: FieldError[];
}

export async function priceLine(
  ex: Executor,
  line: { service: string; plan: string; options: Record<string, unknown>; quantity: number },
  field: string,
): Promise<PricedLine> {
  const found = await orderablePlan(ex, line.service, line.plan, field);
  const options = validateOptions(found.service.options ?? null, line.options);
  const unit = unitPrice(
    { oneTime: found.plan.oneTimePrice, monthly: found.plan.monthlyPrice },
    found.service.options ?? null,
    options.values,
  );
  return {
    ...found,
    options: options.values,
    quantity: line.quantity,
    unit,
    errors: options.errors.map((e) => ({ path: `options.${e.path}`, message: e.message })),
  };
}

/** One-time plus twelve months, for the whole quantity. */
export const firstYearCost = (l: { unit: { oneTime: string; monthly: string }; quantity: number }) =>
  new Decimal(l.unit.oneTime).plus(new Decimal(l.unit.monthly).times(12)).times(l.quantity);

/**
 * What a line ordered at `orderedAt` commits to the month and year of `at` (the rule of
 * `committedAmounts`: one-time prices count in the period they were ordered in, monthly fees
 * in every month from the order's on).
 */
export function lineAmounts(
  l: { oneTimePrice: string; monthlyPrice: string; quantity: number },
  orderedAt: Date,
  at: Date,
): Amounts {
  const sameYear = orderedAt.getUTCFullYear() === at.getUTCFullYear();
  const sameMonth = sameYear && orderedAt.getUTCMonth() === at.getUTCMonth();
  const once = new Decimal(l.oneTimePrice).times(l.quantity);
  const monthly = new Decimal(l.monthlyPrice).times(l.quantity);
  const months = sameYear ? 12 - orderedAt.getUTCMonth() : 12;
  return {
    month: (sameMonth ? once : new Decimal(0)).plus(orderedAt < at || sameMonth ? monthly : 0),
    year: (sameYear ? once : new Decimal(0)).plus(monthly.times(months)),
  };
}

/** What new lines, ordered now, add to a cost centre's month and year. */
export function requestAmounts(lines: PricedLine[], at: Date): Amounts {
  return lines.reduce(
    (sum, l) => {
      const add = lineAmounts(
        { oneTimePrice: l.unit.oneTime, monthlyPrice: l.unit.monthly, quantity: l.quantity },
        at,
        at,
      );
      return { month: sum.month.plus(add.month), year: sum.year.plus(add.year) };
    },
    { month: new Decimal(0), year: new Decimal(0) },
  );
}

export async function committed(ex: Executor, costCentreId: string, at: Date): Promise<Amounts> {
  const row = await repo.committedAmounts(ex, costCentreId, at);
  return { month: new Decimal(row.month), year: new Decimal(row.year) };
}

/** The plan's quotas per person and per cost centre, with the units of the same plan in `lines`. */
export async function quotaChecks(
  ex: Executor,
  who: { requesterId: string; costCentreId: string; costCentreCode: string },
  lines: PricedLine[],
): Promise<QuotaCheck[][]> {
  const requested = new Map<string, number>();
  for (const l of lines) requested.set(l.plan.id, (requested.get(l.plan.id) ?? 0) + l.quantity);
  const out: QuotaCheck[][] = [];
  for (const l of lines) {
    const checks: QuotaCheck[] = [];
    const want = requested.get(l.plan.id)!;
    const what = `${l.service.name} ${l.plan.name}`;
    if (l.plan.quotaPerPerson !== null) {
      const held = await repo.heldUnits(ex, l.plan.id, { requesterId: who.requesterId });
      const ok = held + want <= l.plan.quotaPerPerson;
      checks.push({
        scope: 'person',
        limit: l.plan.quotaPerPerson,
        held,
        requested: want,
        ok,
        message: ok
          ? `${what}: ${held + want} of ${l.plan.quotaPerPerson} per person.`
          : `${what} allows ${l.plan.quotaPerPerson} per person; you already have or have ordered ${held}, and this asks for ${want}.`,
      });
    }
    if (l.plan.quotaPerCostCentre !== null) {
      const held = await repo.heldUnits(ex, l.plan.id, { costCentreId: who.costCentreId });
      const ok = held + want <= l.plan.quotaPerCostCentre;
      checks.push({
        scope: 'cost_centre',
        limit: l.plan.quotaPerCostCentre,
        held,
        requested: want,
        ok,
        message: ok
          ? `${what}: ${held + want} of ${l.plan.quotaPerCostCentre} for ${who.costCentreCode}.`
          : `${what} allows ${l.plan.quotaPerCostCentre} per cost centre; ${who.costCentreCode} already has or has ordered ${held}, and this asks for ${want}.`,
      });
    }
    out.push(checks);
  }
  return out;
}

export interface PlacedOrder {
  order: repo.OrderRow;
  lines: repo.LineRow[];
  /** The lines as priced at checkout, in the order of `lines` (empty on a replay). */
  priced: PricedLine[];
  /** False when the idempotency key had been used for this very request before. */
  created: boolean;
}

/**
 * Records an order and its lines as submitted; routing them for approval is the caller's next
 * step. `check` runs after the lines are priced and before anything is written (the budget
 * policy); quotas are enforced here.
 */
export async function submitOrder(
  tx: Tx,
  actor: Actor,
  input: PlaceOrderInput,
  idempotencyKey: string,
  check: (priced: PricedLine[], costCentre: { id: string; code: string; name: string }) => Promise<void>,
  /** What identifies the request for the idempotency key (a cart checkout: the form, not the cart). */
  requestIdentity: unknown = input,
  /** The lines change a subscription the requester holds instead of buying something new. */
  changes?: { purpose: 'change' | 'extend'; subscriptionId: string },
): Promise<PlacedOrder> {
  const requesterId = actor.userId;
  if (!requesterId) throw forbidden('Only a person can place an order');
  const requestHash = sha256(JSON.stringify(requestIdentity));
  const replay = await repo.findOrderByKey(tx, requesterId, idempotencyKey);
  if (replay) return reuse(tx, replay, requestHash);
  if (input.lines.length === 0) throw invalid('lines', 'there is nothing to order');

  const costCentre = await chargeableCostCentre(tx, requesterId, input.costCentre, 'costCentre');
  const priced: PricedLine[] = [];
  const errors: FieldError[] = [];
  for (const [i, line] of input.lines.entries()) {
    const p = await priceLine(tx, line, `lines.${i}`);
    errors.push(...p.errors.map((e) => ({ path: `lines.${i}.${e.path}`, message: e.message })));
    priced.push(p);
  }
  const quotas = await quotaChecks(
    tx,
    { requesterId, costCentreId: costCentre.id, costCentreCode: costCentre.code },
    priced,
  );
  quotas.forEach((checks, i) =>
    errors.push(
      ...checks.filter((c) => !c.ok).map((c) => ({ path: `lines.${i}.quantity`, message: c.message })),
    ),
  );
  if (errors.length) throw invalidFields(errors);
  await check(priced, costCentre);
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
    priced.map(({ service, plan, sla, options, quantity, unit }, position) => ({
      orderId: order.id,
      position,
      serviceId: service.id,
      planId: plan.id,
      serviceVersion: service.version,
      serviceSlug: service.slug,
      serviceName: service.name,
      planSlug: plan.slug,
      planName: plan.name,
      options,
      optionsShown: describeOptions(service.options ?? null, options),
      quantity,
      currency: plan.currency,
      // An extension commits nothing new: the subscription's monthly fee is already counted.
      oneTimePrice: changes?.purpose === 'extend' ? '0' : unit.oneTime,
      monthlyPrice: changes?.purpose === 'extend' ? '0' : unit.monthly,
      leadTimeDays: changes?.purpose === 'extend' ? 0 : plan.leadTimeDays,
      purpose: changes?.purpose ?? 'new',
      subscriptionId: changes?.subscriptionId ?? null,
      // Which SLA was accepted (the plan's tier as published in this service version), when and by whom.
      sla: {
        ...sla,
        serviceVersion: service.version,
        acceptedAt: order.slaAcceptedAt.toISOString(),
        acceptedBy: requesterId,
      },
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
  return { order, lines, priced, created: true };
}

async function reuse(ex: Executor, order: repo.OrderRow, requestHash: string): Promise<PlacedOrder> {
  if (order.requestHash !== requestHash) {
    throw conflict('Idempotency-Key was already used for a different request; use a new key');
  }
  return { order, lines: await repo.linesOf(ex, [order.id]), priced: [], created: false };
}

export function deriveOrderStatus(statuses: LineStatus[]): OrderStatus {
  const live = statuses.filter((s) => s !== 'rejected' && s !== 'cancelled');
  if (statuses.includes('pending_approval')) return 'pending_approval';
  if (live.length === 0) return statuses.every((s) => s === 'cancelled') ? 'cancelled' : 'rejected';
  if (live.every((s) => s === 'delivered'))
    return live.length < statuses.length ? 'partially_delivered' : 'delivered';
  if (live.some((s) => s === 'in_fulfilment' || s === 'delivered')) return 'in_fulfilment';
  return 'approved';
}

const nextStatus = {
  approved: { from: ['pending_approval'], event: 'approved' },
  rejected: { from: ['pending_approval'], event: 'rejected' },
  cancelled: { from: ['pending_approval', 'approved'], event: 'cancelled' },
  in_fulfilment: { from: ['approved'], event: 'in_fulfilment' },
  delivered: { from: ['in_fulfilment'], event: 'delivered' },
  // The fulfilment team gave up on the line and undid what was done: cancelled, on IT's side.
  abandoned: { from: ['in_fulfilment'], event: 'cancelled', status: 'cancelled' },
} as const satisfies Record<
  string,
  { from: LineStatus[]; event: TimelineEvent['kind']; status?: LineStatus }
>;

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
  const step: { from: readonly LineStatus[]; event: TimelineEvent['kind']; status?: LineStatus } =
    nextStatus[to];
  const lineStatus = step.status ?? (to as LineStatus);
  const before = await repo.findLine(tx, lineId);
  if (!before) throw notFound('Order line');
  const line = await repo.transitionLine(tx, lineId, [...step.from], lineStatus, {
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
    after: { status: lineStatus },
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

/** Puts a step that does not change the line's status on the order's timeline. */
export async function addLineEvent(
  tx: Tx,
  lineId: string,
  event: {
    kind: 'stage_approved' | 'escalated' | 'step_started' | 'step_done' | 'step_failed' | 'note';
    actorId: string | null;
    note: string | null;
  },
) {
  const line = await repo.findLine(tx, lineId);
  if (!line) throw notFound('Order line');
  await repo.insertEvent(tx, { orderId: line.orderId, lineId, ...event });
}

/** The requester cancels a line that is not yet being fulfilled. */
export async function cancelLine(
  tx: Tx,
  actor: Actor,
  orderId: string,
  lineId: string,
  reason: string | null,
) {
  const order = await repo.findOrder(tx, orderId);
  const line = await repo.findLine(tx, lineId);
  if (!order || !line || line.orderId !== orderId || order.requesterId !== actor.userId)
    throw notFound('Order line');
  if (!cancellable(line.status)) {
    throw conflict(`The line is ${line.status.replace('_', ' ')} and can no longer be cancelled`);
  }
  return advanceLine(tx, actor, lineId, 'cancelled', { note: reason });
}

const cancellable = (status: string) => (nextStatus.cancelled.from as readonly string[]).includes(status);

// ---- reading -----------------------------------------------------------------------------

/** What other modules add to an order line when it is shown: its approval chain. */
export interface LineApprovals {
  chain: ApprovalChain;
  /** Stages not yet approved (0 once the chain is settled). */
  stagesLeft: number;
}

/**
 * When a line should arrive, in the business calendar: while approvals are pending, a working
 * day per stage still to decide and then the plan's lead time; from approval, the lead time.
 */
function expectedDelivery(
  l: repo.LineRow,
  approvedAt: Date | undefined,
  stagesLeft: number,
  calendar: Calendar,
): string | null {
  if (l.status === 'delivered' || l.status === 'rejected' || l.status === 'cancelled') return null;
  const days = (l.status === 'pending_approval' ? stagesLeft : 0) + l.leadTimeDays;
  return calendar.addBusinessDays(approvedAt ?? new Date(), days);
}

/** A lead-time date as a forecast: the close of that working day. */
function fromLeadTime(date: string, calendar: Calendar): DeliveryForecast {
  const at = calendar.closeOf(date).toISOString();
  return { basis: 'lead_time', expectedAt: at, latestAt: at, runs: null, steps: [] };
}

/** What fulfilment can say about when a line arrives (see the fulfilment module's forecasts). */
export interface LineForecasts {
  /** From the history of its steps still ahead; null without steps or with too little history. */
  current: DeliveryForecast | null;
  /** The one made from history when its fulfilment started; null if history could not tell then. */
  predicted: DeliveryForecast | null;
}

/** What a line buys, as it was bought. */
export const describeLine = (l: repo.LineRow) => ({
  id: l.id,
  service: { slug: l.serviceSlug, name: l.serviceName, version: l.serviceVersion },
  plan: { slug: l.planSlug, name: l.planName },
  options: l.options,
  optionsShown: l.optionsShown,
  quantity: l.quantity,
  currency: l.currency,
  oneTimePrice: l.oneTimePrice,
  monthlyPrice: l.monthlyPrice,
  leadTimeDays: l.leadTimeDays,
});

export function presentLine(
  l: repo.LineRow,
  context: {
    approvedAt?: Date;
    approvals?: LineApprovals;
    steps?: LineStep[];
    forecasts?: LineForecasts;
    calendar: Calendar;
  },
): OrderLine {
  const { approvedAt, calendar } = context;
  const leadTimeDate = expectedDelivery(l, approvedAt, context.approvals?.stagesLeft ?? 0, calendar);
  // History only speaks for lines on their way; settled lines have no forecast at all.
  const forecast = leadTimeDate ? (context.forecasts?.current ?? fromLeadTime(leadTimeDate, calendar)) : null;
  const promised = approvedAt
    ? fromLeadTime(calendar.addBusinessDays(approvedAt, l.leadTimeDays), calendar)
    : null;
  return {
    ...describeLine(l),
    status: l.status as LineStatus,
    expectedDeliveryDate: forecast && calendar.dateOf(new Date(forecast.expectedAt)),
    forecast,
    predicted: context.forecasts?.predicted ?? promised,
    subscriptionId: l.subscriptionId,
    approval: context.approvals?.chain ?? null,
    cancellable: cancellable(l.status),
    steps: context.steps ?? [],
  };
}

/** How an order page finds out who works on it and how its lines' approvals stand. */
export interface OrderLookups {
  /** Whether a person approves or fulfils part of an order (and so may see it). */
  involved: (ex: Executor, userId: string, orderId: string) => Promise<boolean>;
  approvalsOf: (ex: Executor, lineIds: string[]) => Promise<Map<string, LineApprovals>>;
  /** Each line's delivery steps (fulfilment's to say). */
  stepsOf: (ex: Executor, lineIds: string[]) => Promise<Map<string, LineStep[]>>;
  /** When each line should arrive, from the history of its steps (fulfilment's to say). */
  forecastsOf: (ex: Executor, lineIds: string[], calendar: Calendar) => Promise<Map<string, LineForecasts>>;
}

/**
 * The order with its lines and timeline. `lookups.involved` says whether the viewer works on it
 * (approves or fulfils a line); the requester and admins may always see it.
 */
export async function getOrder(
  ex: Executor,
  actor: Actor,
  id: string,
  lookups: OrderLookups,
): Promise<Order> {
  const order = await repo.findOrder(ex, id);
  if (!order || !(await canSeeOrder(ex, actor, order, lookups.involved))) throw notFound('Order');
  const lines = await repo.linesOf(ex, [id]);
  const events = await repo.eventsOf(ex, id);
  const approvedAt = new Map(
    events.flatMap((e) => (e.kind === 'approved' && e.lineId ? [[e.lineId, e.at]] : [])),
  );
  const approvals = await lookups.approvalsOf(
    ex,
    lines.map((l) => l.id),
  );
  const steps = await lookups.stepsOf(
    ex,
    lines.map((l) => l.id),
  );
  const calendar = await loadCalendar(ex);
  const forecasts = await lookups.forecastsOf(
    ex,
    lines.map((l) => l.id),
    calendar,
  );
  const presented = lines.map((l) =>
    presentLine(l, {
      approvedAt: approvedAt.get(l.id),
      approvals: approvals.get(l.id),
      steps: steps.get(l.id),
      forecasts: forecasts.get(l.id),
      calendar,
    }),
  );
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

/** Orders still on their way that change these subscriptions (one per subscription: the newest). */
export async function openChanges(
  ex: Executor,
  subscriptionIds: string[],
): Promise<Map<string, PendingChange>> {
  const rows = await repo.openChangeLines(ex, subscriptionIds);
  const result = new Map<string, PendingChange>();
  for (const { line, order } of rows) {
    result.set(line.subscriptionId!, {
      purpose: line.purpose as 'change' | 'extend',
      orderId: order.id,
      orderNumber: orderNumber(order.seq),
      lineId: line.id,
      plan: { slug: line.planSlug, name: line.planName },
      status: line.status,
    });
  }
  return result;
}
