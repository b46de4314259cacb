// The order journey across modules: checkout → approval → fulfilment → subscription.
// Each step runs inside the caller's transaction, so a step that fails undoes every earlier
// step of the same transaction (the rollback is the compensation); the hand-over from an
// approval to fulfilment is a job enqueued in that transaction, so it happens exactly when
// the approval commits.
import type { CompleteTaskBody, DecisionBody, PlaceOrderBody } from '@portico/shared';
import type { z } from 'zod';
import Decimal from 'decimal.js';
import type { Actor } from '../platform/actor.ts';
import type { Executor, Tx } from '../platform/db.ts';
import type { Jobs } from '../platform/jobs.ts';
import { decide, isApproverOf, routeLine } from '../modules/approvals/index.ts';
import { recordOrdered } from '../modules/discovery/index.ts';
import { completeTask, isWorkingOn, startLine } from '../modules/fulfilment/index.ts';
import { startSubscription } from '../modules/inventory/index.ts';
import { advanceLine, linesWithOrders, submitOrder } from '../modules/ordering/index.ts';
import { costCentreOwnerId } from '../modules/org/index.ts';

export const START_FULFILMENT = 'fulfilment.start';

export function orderJourney(jobs: Jobs) {
  async function approveLine(tx: Tx, actor: Actor, lineId: string, note: string | null) {
    await advanceLine(tx, actor, lineId, 'approved', { note });
    await jobs.enqueue(tx, START_FULFILMENT, { lineId });
  }

  return {
    /** Checkout: the order is recorded, then each line goes to its approver (or straight on). */
    async placeOrder(tx: Tx, actor: Actor, body: z.output<typeof PlaceOrderBody>, key: string) {
      const placed = await submitOrder(tx, actor, body, key);
      if (placed.created) {
        await recordOrdered(tx, [...new Set(placed.lines.map((l) => l.serviceId))]);
        const ownerId = await costCentreOwnerId(tx, placed.order.costCentreId);
        for (const line of placed.lines) {
          const routing = await routeLine(tx, actor, {
            lineId: line.id,
            orderId: placed.order.id,
            requesterId: placed.order.requesterId,
            costCentreOwnerId: ownerId,
          });
          if (routing.outcome === 'auto_approved') {
            await approveLine(tx, actor, line.id, `Approved automatically: ${routing.reason}`);
          }
        }
      }
      return { orderId: placed.order.id, created: placed.created };
    },

    /** An approver's decision moves the line on, or stops it for good. */
    async decideApproval(tx: Tx, actor: Actor, id: string, body: DecisionBody) {
      const decided = await decide(tx, actor, id, body);
      if (decided.status === 'approved') await approveLine(tx, actor, decided.orderLineId, decided.comment);
      else await advanceLine(tx, actor, decided.orderLineId, 'rejected', { note: decided.comment });
      return decided;
    },

    /** Job: an approved line gets its fulfilment task. A line that is no longer approved is left alone. */
    async startFulfilment(tx: Tx, actor: Actor, lineId: string) {
      const found = (await linesWithOrders(tx, [lineId])).get(lineId);
      if (!found || found.line.status !== 'approved') return;
      await startLine(tx, actor, {
        lineId,
        orderId: found.order.id,
        planId: found.line.planId,
        title: `${found.line.serviceName} · ${found.line.planName}`,
      });
      await advanceLine(tx, actor, lineId, 'in_fulfilment');
    },

    /** The fulfiller's last step delivers: the subscription starts and the line is delivered. */
    async completeTask(tx: Tx, actor: Actor, taskId: string, body: z.output<typeof CompleteTaskBody>) {
      const task = await completeTask(tx, actor, taskId, body);
      const { line, order } = (await linesWithOrders(tx, [task.orderLineId])).get(task.orderLineId)!;
      const subscription = await startSubscription(tx, actor, {
        orderId: order.id,
        orderLineId: line.id,
        ownerId: order.requesterId,
        costCentreId: order.costCentreId,
        serviceId: line.serviceId,
        planId: line.planId,
        name: task.outputs.hostname ?? task.outputs.name ?? `${line.serviceName} (${line.planName})`,
        quantity: line.quantity,
        currency: line.currency,
        monthlyPrice: new Decimal(line.monthlyPrice).times(line.quantity).toFixed(9),
        sla: line.sla,
        outputs: task.outputs,
      });
      await advanceLine(tx, actor, line.id, 'delivered', {
        note: task.note,
        subscriptionId: subscription.id,
      });
      return task;
    },

    /** Whether someone works on part of an order: approves a line or fulfils one. */
    async involved(ex: Executor, userId: string, orderId: string) {
      return (await isApproverOf(ex, userId, orderId)) || (await isWorkingOn(ex, userId, orderId));
    },
  };
}
