// A subscription as tests of what comes after delivery need one: ordered by the world's
// requester, approved by the manager, its hand-over task completed by the fulfiller; and its
// history rewritten to the moments a billing test needs.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Client, TestApp } from './harness.ts';
import type { World } from './world.ts';

export async function aSubscriptionDelivered(
  t: TestApp,
  w: World,
  as: { requester: Client; manager: Client; fulfiller: Client },
  line: { service?: string; justification: string; outputs: Record<string, string> },
): Promise<string> {
  const placed = await as.requester.post(
    '/api/orders',
    {
      costCentre: w.org.costCentre.code,
      justification: line.justification,
      slaAccepted: true,
      lines: [{ service: line.service ?? w.vm.service.slug, plan: 'small', quantity: 1 }],
    },
    { 'idempotency-key': randomUUID() },
  );
  expect(placed.status).toBe(201);
  for (const a of (await as.manager.get('/api/approvals')).body.items as { id: string }[]) {
    await as.manager.post(`/api/approvals/${a.id}/decision`, { decision: 'approve' });
  }
  await t.jobs.drain();
  const task = (await as.fulfiller.get('/api/tasks')).body.items.find(
    (x: { order: { id: string } }) => x.order.id === placed.body.id,
  );
  expect((await as.fulfiller.post(`/api/tasks/${task.id}/complete`, { outputs: line.outputs })).status).toBe(
    200,
  );
  await t.jobs.drain();
  const id = (await as.requester.get(`/api/orders/${placed.body.id}`)).body.lines[0].subscriptionId;
  expect(id).toEqual(expect.any(String));
  return id;
}

/** A subscription event as billing reads it; quantity 1 and the world's cost centre by default. */
export interface HistoryEvent {
  kind: string;
  at: string;
  monthlyPrice: string;
  quantity?: number;
  costCentreId?: string;
}

/**
 * Replaces a delivered subscription's history with the story a test needs (its moments, prices
 * and cost centres), as the inventory writes it: the requester's, on the world's VM plan, in EUR.
 */
export async function rewriteHistory(t: TestApp, w: World, subscriptionId: string, events: HistoryEvent[]) {
  await t.database.db.execute(sql`delete from subscription_events where subscription_id = ${subscriptionId}`);
  for (const e of events) {
    await t.database.db.execute(sql`
      insert into subscription_events
        (subscription_id, kind, at, owner_id, cost_centre_id, plan_id, quantity, currency, monthly_price)
      values (${subscriptionId}, ${e.kind}, ${e.at}, ${w.requester.id}, ${e.costCentreId ?? w.org.costCentre.id},
              ${w.vm.plan.id}, ${e.quantity ?? 1}, 'EUR', ${e.monthlyPrice})`);
  }
}
