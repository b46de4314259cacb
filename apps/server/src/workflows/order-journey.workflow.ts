// The order journey across modules: checkout → approval → fulfilment → subscription.
// Each step runs inside the caller's transaction, so a step that fails undoes every earlier
// step of the same transaction (the rollback is the compensation); hand-overs to later work
// (fulfilment, approval reminders and escalations) are jobs enqueued in that transaction, so
// they exist exactly when the step commits.
import type {
  CompleteTaskBody,
  DecisionBody,
  PlaceOrderBody,
  PolicyTestBody,
  PolicyTestResult,
} from '@portico/shared';
import type { z } from 'zod';
import Decimal from 'decimal.js';
import type { Actor } from '../platform/actor.ts';
import type { Executor, Tx } from '../platform/db.ts';
import { invalid } from '../platform/errors.ts';
import type { Deps } from '../platform/deps.ts';
import {
  cancelChain,
  chainsOfLines,
  decide,
  escalate,
  isApproverOf,
  openChain,
  planRoute,
  presentRoute,
  remind,
  type LineFacts,
  type Waiting,
} from '../modules/approvals/index.ts';
import { recordOrdered } from '../modules/discovery/index.ts';
import {
  completeTask,
  defaultAdapterFor,
  fulfilmentEngine,
  isWorkingOn,
  recordForecast,
  STEP_JOB,
  stepsOfLines,
  type Delivery,
} from '../modules/fulfilment/index.ts';
import { people, personByEmail } from '../modules/identity/index.ts';
import {
  endSubscription,
  extendLease,
  findSubscription,
  LEASE_SOON_DAYS,
  startSubscription,
  switchPlan,
} from '../modules/inventory/index.ts';
import { leaseOfPlan } from '../modules/catalog/index.ts';
import { notify } from '../modules/notify/index.ts';
import {
  addLineEvent,
  advanceLine,
  cancelLine,
  committed,
  firstYearCost,
  linesWithOrders,
  orderNumber,
  priceLine,
  requestAmounts,
  submitOrder,
  type ChargedTo,
  type PricedLine,
} from '../modules/ordering/index.ts';
import {
  budgetImpact,
  budgetOf,
  costCentreByCode,
  costCentreRefs,
  departmentOf,
  holdBudget,
} from '../modules/org/index.ts';
import { loadCalendar } from '../modules/sla/index.ts';

export const START_FULFILMENT = 'fulfilment.start';
export const REMIND_APPROVER = 'approvals.remind';
export const ESCALATE_APPROVAL = 'approvals.escalate';
export const COUNT_ORDERS = 'discovery.count-orders';
export const LEASE_JOB = 'inventory.lease';

/** remind: before the end; expired: the grace period starts; end: decommission. */
export type LeaseMoment = 'remind' | 'expired' | 'end';

/** The budget impact of lines on a cost centre, and each line's facts for the approval rules. */
async function assess(ex: Executor, requesterId: string, costCentre: ChargedTo, lines: PricedLine[]) {
  const now = new Date();
  const budget = budgetImpact({
    costCentre: { code: costCentre.code, name: costCentre.name },
    budget: await budgetOf(ex, costCentre.id, now.getUTCFullYear()),
    committed: await committed(ex, costCentre.id, now),
    request: requestAmounts(lines, now),
    at: now,
  });
  const department = await departmentOf(ex, requesterId);
  const overBudget = budget.month.over || budget.year.over;
  const facts: LineFacts[] = lines.map((l) => ({
    requesterId,
    department,
    costCentre: { id: costCentre.id, code: costCentre.code, ownerId: costCentre.ownerId },
    service: { slug: l.service.slug, kind: l.service.kind, categoryPath: l.categoryPath },
    firstYearCost: firstYearCost(l),
    overBudget,
    budgetStage: overBudget && budget.outcome === 'approval',
  }));
  return { budget, facts };
}

export { STEP_JOB };

export function orderJourney(deps: Deps, adapterFor = defaultAdapterFor) {
  const { jobs } = deps;
  /** Reminders and escalations for approvals that just started waiting, in business hours. */
  async function schedule(tx: Tx, waiting: Waiting | null) {
    if (!waiting) return;
    const calendar = await loadCalendar(tx);
    const now = new Date();
    const { remindAfterHours, escalateAfterHours } = waiting.stage;
    for (const row of waiting.rows) {
      await jobs.enqueue(
        tx,
        REMIND_APPROVER,
        { approvalId: row.id, hours: remindAfterHours },
        { startAfter: calendar.addBusinessHours(now, remindAfterHours) },
      );
      await jobs.enqueue(
        tx,
        ESCALATE_APPROVAL,
        { approvalId: row.id, hours: escalateAfterHours },
        { startAfter: calendar.addBusinessHours(now, escalateAfterHours) },
      );
    }
  }

  async function tellRequester(tx: Tx, lineId: string, title: (order: string) => string, body: string) {
    const { line, order } = (await linesWithOrders(tx, [lineId])).get(lineId)!;
    await notify(tx, [order.requesterId], {
      kind: 'order.update',
      title: title(orderNumber(order.seq)),
      body: `${line.serviceName} · ${line.planName}: ${body}`,
      link: `/orders/${order.id}`,
    });
  }

  /**
   * The last step is done: the subscription starts (or, for a resize or upgrade, switches to the
   * new plan at this moment), the line is delivered, the requester told.
   */
  async function deliver(tx: Tx, actor: Actor, delivery: Delivery) {
    const { line, order } = (await linesWithOrders(tx, [delivery.lineId])).get(delivery.lineId)!;
    const monthlyPrice = new Decimal(line.monthlyPrice).times(line.quantity).toFixed(9);
    if (line.purpose === 'change' && line.subscriptionId) {
      await switchPlan(
        tx,
        actor,
        line.subscriptionId,
        {
          planId: line.planId,
          serviceVersion: line.serviceVersion,
          options: line.options,
          optionsShown: line.optionsShown,
          quantity: line.quantity,
          monthlyPrice,
          sla: line.sla,
          outputs: delivery.outputs,
        },
        `${line.serviceName} · ${line.planName} (order ${orderNumber(order.seq)})`,
      );
      await advanceLine(tx, actor, line.id, 'delivered', {
        note: delivery.note,
        subscriptionId: line.subscriptionId,
      });
      await tellRequester(tx, line.id, (n) => `${n} delivered`, `now on ${line.planName}.`);
      return;
    }
    const subscription = await startSubscription(tx, actor, {
      orderId: order.id,
      orderLineId: line.id,
      ownerId: order.requesterId,
      costCentreId: order.costCentreId,
      serviceId: line.serviceId,
      planId: line.planId,
      name: delivery.outputs.hostname ?? delivery.outputs.name ?? `${line.serviceName} (${line.planName})`,
      serviceVersion: line.serviceVersion,
      options: line.options,
      optionsShown: line.optionsShown,
      quantity: line.quantity,
      currency: line.currency,
      monthlyPrice,
      sla: line.sla,
      outputs: delivery.outputs,
      credentials: delivery.credentials,
      lease: await leaseOfPlan(tx, line.planId),
    });
    if (subscription.leaseEndsAt) await scheduleLease(tx, subscription);
    await advanceLine(tx, actor, line.id, 'delivered', {
      note: delivery.note,
      subscriptionId: subscription.id,
    });
    const note = delivery.note ? ` Note from the team: “${delivery.note}”` : '';
    await tellRequester(tx, line.id, (n) => `${n} delivered`, `delivered; find it under My services.${note}`);
  }

  /** Reminders before a lease ends, the notice when its grace period starts, and its decommission after. */
  async function scheduleLease(
    tx: Tx,
    s: { id: string; leaseEndsAt: Date | null; leaseGraceDays: number | null },
  ) {
    if (!s.leaseEndsAt) return;
    const endsAt = s.leaseEndsAt.getTime();
    const day = 86_400_000;
    const moments: [LeaseMoment, number][] = [
      ['remind', endsAt - LEASE_SOON_DAYS * day],
      ['remind', endsAt - day],
      ['expired', endsAt],
      ['end', endsAt + (s.leaseGraceDays ?? 0) * day],
    ];
    for (const [moment, at] of moments) {
      if (moment === 'remind' && at < Date.now()) continue;
      await jobs.enqueue(
        tx,
        LEASE_JOB,
        { subscriptionId: s.id, endsAt: s.leaseEndsAt.toISOString(), moment },
        { startAfter: new Date(at) },
      );
    }
  }

  const engine = fulfilmentEngine(
    {
      database: deps.database,
      jobs,
      secrets: deps.secrets,
      publicUrl: deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`,
      adapterFor,
    },
    {
      delivered: deliver,
      async tracked(tx, lineId, kind, note) {
        // A retry is news for the tracker, not for the bell: most hiccups pass by themselves.
        if (kind === 'step_retrying') {
          await addLineEvent(tx, lineId, { kind: 'note', actorId: null, note });
          return;
        }
        await addLineEvent(tx, lineId, { kind, actorId: null, note });
        // The last step done is the delivery, which tells the requester itself: once is enough.
        const steps = (await stepsOfLines(tx, [lineId])).get(lineId) ?? [];
        if (kind === 'step_done' && steps.every((s) => s.status === 'done')) return;
        await tellRequester(tx, lineId, (n) => `${n}: ${note}`, note);
      },
      async undone(tx, actor, lineId, purpose) {
        if (purpose === 'abandon') {
          await advanceLine(tx, actor, lineId, 'abandoned', {
            note: 'The team could not deliver it; everything done for it was undone.',
          });
          await tellRequester(
            tx,
            lineId,
            (n) => `${n}: could not be delivered`,
            'the team could not deliver it and undid what was done; nothing is charged.',
          );
          return;
        }
        const ended = await endSubscription(tx, actor, lineId);
        if (ended) {
          await notify(tx, [ended.ownerId], {
            kind: 'subscription.ended',
            title: `${ended.name} is decommissioned`,
            body: 'It was taken down and its billing ended.',
            link: `/services/${ended.id}`,
          });
        }
      },
      async facts(tx, lineId) {
        const { line, order } = (await linesWithOrders(tx, [lineId])).get(lineId)!;
        const requester = (await people(tx, [order.requesterId])).get(order.requesterId)!;
        const costCentre = (await costCentreRefs(tx, [order.costCentreId])).get(order.costCentreId)!;
        return {
          lineId,
          orderId: order.id,
          orderNumber: orderNumber(order.seq),
          service: { slug: line.serviceSlug, name: line.serviceName, version: line.serviceVersion },
          plan: { slug: line.planSlug, name: line.planName },
          options: line.options,
          quantity: line.quantity,
          requester,
          costCentre: costCentre.code,
        };
      },
    },
  );

  async function approveLine(tx: Tx, actor: Actor, lineId: string, note: string | null) {
    const line = await advanceLine(tx, actor, lineId, 'approved', { note });
    if (line.purpose === 'extend' && line.subscriptionId) {
      // Nothing to build: the lease runs longer from the moment it is approved.
      const lease = await leaseOfPlan(tx, line.planId);
      const extended = await extendLease(tx, actor, line.subscriptionId, lease?.days ?? 30);
      await scheduleLease(tx, extended);
      await advanceLine(tx, actor, lineId, 'in_fulfilment');
      await advanceLine(tx, actor, lineId, 'delivered', {
        note: `Lease until ${extended.leaseEndsAt!.toISOString().slice(0, 10)}`,
        subscriptionId: extended.id,
      });
      return;
    }
    await jobs.enqueue(tx, START_FULFILMENT, { lineId });
  }

  async function preview(ex: Executor, requesterId: string, costCentre: ChargedTo, lines: PricedLine[]) {
    const { budget, facts } = await assess(ex, requesterId, costCentre, lines);
    const routes = [];
    for (const f of facts) routes.push(await presentRoute(ex, await planRoute(ex, f)));
    return { budget, routes };
  }

  return {
    preview,

    /** Checkout: the budget policy is applied, the order recorded, each line routed by policy. */
    async placeOrder(
      tx: Tx,
      actor: Actor,
      body: z.output<typeof PlaceOrderBody>,
      key: string,
      requestIdentity?: unknown,
      changes?: { purpose: 'change' | 'extend'; subscriptionId: string },
    ) {
      let assessed: Awaited<ReturnType<typeof assess>> | null = null;
      const placed = await submitOrder(
        tx,
        actor,
        body,
        key,
        async (priced, charged) => {
          const costCentre = await costCentreByCode(tx, charged.code);
          await holdBudget(tx, costCentre.id, new Date().getUTCFullYear());
          assessed = await assess(tx, actor.userId!, costCentre, priced);
          if (assessed.budget.outcome === 'block') throw invalid('costCentre', assessed.budget.message);
        },
        requestIdentity,
        changes,
      );
      if (placed.created && assessed) {
        const { facts } = assessed as Awaited<ReturnType<typeof assess>>;
        // Counted by a job, not here: the counters are hot rows every checkout of a service would queue on.
        await jobs.enqueue(tx, COUNT_ORDERS, {
          serviceIds: [...new Set(placed.lines.map((l) => l.serviceId))],
        });
        for (const [i, line] of placed.lines.entries()) {
          const route = await planRoute(tx, facts[i]!);
          const opened = await openChain(
            tx,
            actor,
            { lineId: line.id, orderId: placed.order.id, requesterId: placed.order.requesterId },
            route,
          );
          if (opened.autoApproved) await approveLine(tx, actor, line.id, route.summary);
          await schedule(tx, opened.waiting);
        }
      }
      return { orderId: placed.order.id, created: placed.created, lineIds: placed.lines.map((l) => l.id) };
    },

    /** An approver's decision moves the line to its next stage or on to fulfilment, or stops it for good. */
    async decideApproval(tx: Tx, actor: Actor, id: string, body: DecisionBody) {
      const decided = await decide(tx, actor, id, body);
      const lineId = decided.approval.orderLineId;
      const note = decided.approval.comment;
      switch (decided.result) {
        case 'approved':
          await approveLine(tx, actor, lineId, note);
          await tellRequester(tx, lineId, (n) => `${n} approved`, 'approved; fulfilment starts now.');
          break;
        case 'rejected':
          await advanceLine(tx, actor, lineId, 'rejected', { note });
          await tellRequester(tx, lineId, (n) => `${n} rejected`, note ? `rejected: ${note}` : 'rejected.');
          break;
        case 'stage_approved':
          await addLineEvent(tx, lineId, {
            kind: 'stage_approved',
            actorId: actor.userId,
            note: `Approved; next: ${decided.waiting.stage.name}${note ? ` — ${note}` : ''}`,
          });
          await schedule(tx, decided.waiting);
          break;
        case 'recorded':
          break;
      }
      return decided.approval;
    },

    async cancelLine(tx: Tx, actor: Actor, orderId: string, lineId: string, reason: string | null) {
      await cancelLine(tx, actor, orderId, lineId, reason);
      await cancelChain(tx, lineId);
    },

    /** Job: the services just ordered become more popular ("most requested", search ranking). */
    countOrders: (tx: Tx, data: { serviceIds: string[] }) => recordOrdered(tx, data.serviceIds),

    /** Job: a reminder for an approval still waiting. */
    remindApprover: (tx: Tx, data: { approvalId: string; hours: number }) =>
      remind(tx, data.approvalId, data.hours),

    /** Job: an approval still waiting also goes to the approver's manager. */
    async escalateApproval(tx: Tx, actor: Actor, data: { approvalId: string; hours: number }) {
      const escalated = await escalate(tx, actor, data.approvalId, data.hours);
      if (!escalated) return;
      await addLineEvent(tx, escalated.approval.orderLineId, {
        kind: 'escalated',
        actorId: null,
        note: `${escalated.escalatedFrom} had not decided within ${data.hours} business hours; ${escalated.to} can decide too.`,
      });
    },

    /** "Who would approve this?" for a sample line, as checkout would route it now. */
    async testPolicies(ex: Executor, body: z.output<typeof PolicyTestBody>): Promise<PolicyTestResult> {
      const requester = await personByEmail(ex, body.requester);
      if (!requester) throw invalid('requester', `no active user ${body.requester}`);
      const costCentre = await costCentreByCode(ex, body.costCentre).catch(() => {
        throw invalid('costCentre', `no cost centre ${body.costCentre}`);
      });
      const line = await priceLine(ex, body, 'line');
      if (line.errors.length) throw invalid(`line.${line.errors[0]!.path}`, line.errors[0]!.message);
      const { budget, routes } = await preview(ex, requester.id, costCentre, [line]);
      return {
        firstYearCost: firstYearCost(line).toFixed(2),
        currency: line.plan.currency,
        budget,
        route: routes[0]!,
      };
    },

    /** Job: an approved line starts its plan's steps. A line that is no longer approved is left alone. */
    async startFulfilment(tx: Tx, actor: Actor, lineId: string) {
      const found = (await linesWithOrders(tx, [lineId])).get(lineId);
      if (!found || found.line.status !== 'approved') return;
      const changes =
        found.line.purpose === 'change' && found.line.subscriptionId
          ? (await findSubscription(tx, found.line.subscriptionId))?.orderLineId
          : undefined;
      await engine.start(tx, found.line.planId, {
        lineId,
        orderId: found.order.id,
        ...(changes ? { changes } : {}),
      });
      await advanceLine(tx, actor, lineId, 'in_fulfilment');
      // Kept to hold against the delivery: what history said as the work began.
      await recordForecast(tx, lineId, await loadCalendar(tx));
    },

    /** Ends what a delivered line provides (its subscription is being decommissioned). */
    decommissionLine: engine.decommission,

    /** The team tries a step that needs attention again. */
    retryStep: engine.retry,

    /** The team gives up on a line: what was done is undone, the line cancelled. */
    abandonLine: engine.abandon,

    /** Job: one step of a line's fulfilment (see the fulfilment engine). */
    runStep: engine.runStep,

    /** A webhook's late result, through its one-time callback URL. */
    callback: engine.callback,

    /** A fulfiller completes a manual step: the line moves on to its next step, or is delivered. */
    async completeTask(tx: Tx, actor: Actor, taskId: string, body: z.output<typeof CompleteTaskBody>) {
      const task = await completeTask(tx, actor, taskId, body);
      await engine.taskCompleted(tx, actor, task.lineStepId, task.outputs, task.note);
      return task;
    },

    /** Whether someone works on part of an order: approves a line or fulfils one. */
    async involved(ex: Executor, userId: string, orderId: string) {
      return (await isApproverOf(ex, userId, orderId)) || (await isWorkingOn(ex, userId, orderId));
    },

    approvalsOf: chainsOfLines,
  };
}
