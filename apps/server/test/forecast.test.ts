// Tracking like a parcel: when a line should arrive, predicted from how long the same steps took
// in their recent runs (median and 85th percentile; manual steps in working hours, automated ones
// around the clock), falling back to the plan's lead time while there is too little history.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { FulfilmentDocument, type ServiceDocument } from '@portico/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/platform/actor.ts';
import { rowsOf } from '../src/platform/db.ts';
import { aServiceDocument } from '../src/modules/catalog/catalog.factory.ts';
import { aPerson } from '../src/modules/identity/identity.factory.ts';
import { loadCalendar, saveCalendar, type Calendar } from '../src/modules/sla/index.ts';
import { saveServiceDocument } from '../src/workflows/catalog.workflow.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let as: Record<'requester' | 'manager' | 'fulfiller' | 'admin', Client>;
let calendar: Calendar;

// The automation endpoint: done at once, or "accepted" (the result comes later by callback).
const secret = `whsec_${randomBytes(24).toString('base64')}`;
let receiver: Server;
let later = false;
const callbacks: string[] = [];

async function receive(req: IncomingMessage, res: ServerResponse) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const body = new Webhook(secret).verify(raw, req.headers as Record<string, string>) as {
    data: { callbackUrl?: string };
  };
  res.writeHead(later ? 202 : 200, { 'content-type': 'application/json' });
  if (later) callbacks.push(body.data.callbackUrl!);
  res.end(JSON.stringify(later ? { status: 'accepted' } : { status: 'done' }));
}

let doc: ServiceDocument;
const handOver = {
  type: 'manual',
  name: 'Hand over',
  team: '',
  instructions: 'Check the server answers and hand it over.',
  outputs: [{ key: 'hostname', label: 'Hostname', required: true }],
};

const saveService = (instructions: string) => {
  doc.plans[0]!.fulfilment = FulfilmentDocument.parse({
    steps: [
      { type: 'webhook', name: 'Register the name', stage: 'provisioning', adapter: 'dns' },
      { ...handOver, team: w.team.key, instructions },
    ],
  });
  return t.database.transaction((tx) => saveServiceDocument(tx, systemActor('test'), doc));
};

beforeAll(async () => {
  receiver = createServer((req, res) => void receive(req, res));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t = await testApp({ PUBLIC_URL: 'http://portal.test' });
  w = await aWorld(t.database);
  const admin = await t.database.transaction((tx) =>
    aPerson(tx, { name: 'Ada Admin', roles: ['requester', 'admin'] }),
  );
  as = {
    requester: await signIn(t.app, w.requester.email, w.password),
    manager: await signIn(t.app, w.manager.email, w.password),
    fulfiller: await signIn(t.app, w.fulfiller.email, w.password),
    admin: await signIn(t.app, admin.email, w.password),
  };
  // Berlin hours: working time is counted in the calendar's zone, across clock changes.
  await t.database.transaction((tx) =>
    saveCalendar(tx, systemActor('test'), {
      timezone: 'Europe/Berlin',
      workdays: [1, 2, 3, 4, 5],
      dayStart: '09:00',
      dayEnd: '17:00',
      holidays: [],
    }),
  );
  calendar = await loadCalendar(t.database.db);
  expect(
    (
      await as.admin.put('/api/fulfilment/adapters/dns', {
        name: 'DNS automation',
        type: 'webhook',
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
        secret,
        team: w.team.key,
      })
    ).status,
  ).toBe(200);
  doc = aServiceDocument({ name: 'Web server', category: w.vm.category.slug, team: w.team.key });
  await saveService(handOver.instructions);
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => receiver.close(resolve));
});

/** Orders `count` web servers in one order; the manager approves each; the jobs run. */
async function approvedOrder(count: number) {
  const placed = await as.requester.post(
    '/api/orders',
    {
      costCentre: w.org.costCentre.code,
      justification: 'Web servers',
      slaAccepted: true,
      lines: Array.from({ length: count }, () => ({ service: doc.slug, plan: 'small' })),
    },
    { 'idempotency-key': randomUUID() },
  );
  expect(placed.status).toBe(201);
  const pending = (await as.manager.get('/api/approvals')).body.items.filter(
    (a: { order: { id: string } }) => a.order.id === placed.body.id,
  );
  for (const a of pending)
    expect((await as.manager.post(`/api/approvals/${a.id}/decision`, { decision: 'approve' })).status).toBe(
      200,
    );
  await t.jobs.drain();
  return placed.body.id as string;
}

/** The fulfiller hands over every server of the order that waits for it. */
async function handOverAll(orderId: string) {
  const tasks = (await as.fulfiller.get('/api/tasks?limit=100')).body.items.filter(
    (x: { order: { id: string } }) => x.order.id === orderId,
  );
  for (const task of tasks) {
    const done = await as.fulfiller.post(`/api/tasks/${task.id}/complete`, {
      outputs: { hostname: `web-${task.id.slice(0, 4)}` },
    });
    expect(done.status).toBe(200);
  }
}

const lineOf = async (orderId: string) => (await as.requester.get(`/api/orders/${orderId}`)).body.lines[0];

const stepsOfOrder = async (orderId: string) =>
  rowsOf<{ id: string; type: string }>(
    await t.database.db.execute(
      sql`select id, definition->>'type' as type from line_steps where order_id = ${orderId} order by order_line_id, position`,
    ),
  );

const setTimes = (id: string, startedAt: Date, finishedAt: Date) =>
  t.database.db.execute(
    sql`update line_steps set started_at = ${startedAt.toISOString()}::timestamptz,
      finished_at = ${finishedAt.toISOString()}::timestamptz where id = ${id}`,
  );

const min = 60_000;
const hour = 60 * min;

/** A Friday two to three weeks back, at 16:00 in Berlin: an hour before the weekend. */
function fridayAfternoon(): Date {
  const day = new Date(Date.now() - 14 * 86_400_000);
  while (day.getUTCDay() !== 5) day.setUTCDate(day.getUTCDate() - 1);
  day.setUTCHours(0, 0, 0, 0);
  return calendar.addBusinessHours(day, 7);
}

describe('the expected delivery', () => {
  let historyOrder: string;

  it('comes from the lead time while the steps have too little history', async () => {
    historyOrder = await approvedOrder(5);
    await handOverAll(historyOrder);
    // Five runs of each step, one of them finished too long ago to count: four are not enough.
    const friday = fridayAfternoon();
    const steps = await stepsOfOrder(historyOrder);
    const hooks = steps.filter((s) => s.type === 'webhook');
    const manual = steps.filter((s) => s.type === 'manual');
    for (const [i, s] of hooks.entries()) {
      // 10, 20, 30, 40, 50 minutes, around the clock (on Saturday, for the first).
      const start = new Date(friday.getTime() + 20 * hour + i * hour);
      await setTimes(s.id, start, new Date(start.getTime() + (i + 1) * 10 * min));
    }
    for (const [i, s] of manual.entries()) {
      // Friday 16:00 until 2, 3, 4, 5, 6 working hours later: each waits over the weekend.
      await setTimes(s.id, friday, calendar.addBusinessHours(friday, i + 2));
    }
    const old = new Date(Date.now() - 100 * 86_400_000);
    await setTimes(hooks[4]!.id, old, new Date(old.getTime() + 50 * min));

    // The endpoint answers later: this line adds nothing to the history the next test counts.
    later = true;
    const orderId = await approvedOrder(1);
    const line = await lineOf(orderId);
    expect(line.status).toBe('in_fulfilment');
    const promised = calendar.addBusinessDays(new Date(), line.leadTimeDays);
    expect(line.forecast).toEqual({
      basis: 'lead_time',
      expectedAt: calendar.closeOf(promised).toISOString(),
      latestAt: calendar.closeOf(promised).toISOString(),
      runs: null,
      steps: [],
    });
    expect(line.expectedDeliveryDate).toBe(promised);
    expect(line.predicted.basis).toBe('lead_time');
  });

  it('from enough history: median and 85th percentile of each step, added up for the steps ahead', async () => {
    const friday = fridayAfternoon();
    const hooks = (await stepsOfOrder(historyOrder)).filter((s) => s.type === 'webhook');
    const start = new Date(friday.getTime() + 30 * hour);
    await setTimes(hooks[4]!.id, start, new Date(start.getTime() + 50 * min));

    const orderId = await approvedOrder(1);
    const [hook] = await stepsOfOrder(orderId);
    // The endpoint has been at it for 10 minutes.
    const started = Date.now() - 10 * min;
    await setTimes(hook!.id, new Date(started), new Date(0));
    await t.database.db.execute(sql`update line_steps set finished_at = null where id = ${hook!.id}`);

    const line = await lineOf(orderId);
    const after = Date.now();
    expect(line.forecast).toMatchObject({ basis: 'history', runs: 5 });
    expect(line.forecast.steps).toEqual([
      // 10…50 min: median 30, 85th percentile 40 + 0.4 × 10.
      { position: 1, clock: 'wall', runs: 5, medianMs: 30 * min, p85Ms: 44 * min },
      // 2…6 working hours (not the 60-odd hours the weekend adds): median 4, p85 5 + 0.4.
      { position: 2, clock: 'business', runs: 5, medianMs: 4 * hour, p85Ms: 5.4 * hour },
    ]);
    // What is left of the endpoint's usual time (counted from when it started), then the hand-over.
    const path = (now: number, left: number, working: number) =>
      calendar.addBusinessHours(new Date(now + left), working).getTime();
    const expected = Date.parse(line.forecast.expectedAt);
    const latest = Date.parse(line.forecast.latestAt);
    expect(expected).toBeGreaterThanOrEqual(path(started, 30 * min, 4));
    expect(expected).toBeLessThanOrEqual(path(after, 20 * min, 4));
    expect(latest).toBeGreaterThanOrEqual(path(started, 44 * min, 5.4));
    expect(latest).toBeLessThanOrEqual(path(after, 34 * min, 5.4));
    expect(line.expectedDeliveryDate).toBe(calendar.dateOf(new Date(expected)));

    // As the work began, history had its say: kept to hold against the delivery.
    expect(line.predicted).toMatchObject({ basis: 'history', runs: 5 });
    const predicted = line.predicted;

    // The endpoint reports back: only the hand-over is ahead, and the forecast shrinks.
    const url = new URL(callbacks.at(-1)!);
    const res = await t.app.inject({
      method: 'POST',
      url: url.pathname,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ status: 'done' }),
    });
    expect(res.statusCode).toBe(204);
    await t.jobs.drain();
    const next = await lineOf(orderId);
    expect(next.forecast.steps.map((s: { position: number }) => s.position)).toEqual([2]);
    expect(Date.parse(next.forecast.latestAt)).toBeLessThanOrEqual(latest);

    // Delivered: no forecast any more, and the prediction stays to compare with.
    await handOverAll(orderId);
    const delivered = await lineOf(orderId);
    expect(delivered).toMatchObject({ status: 'delivered', forecast: null, expectedDeliveryDate: null });
    expect(delivered.predicted).toEqual(predicted);
  });

  it('a catalogue edit that changes a step starts its history afresh', async () => {
    await saveService('Check the server answers, then hand it over with its runbook.');
    later = false;
    const orderId = await approvedOrder(1);
    const line = await lineOf(orderId);
    expect(line.forecast.basis).toBe('lead_time');
    await handOverAll(orderId);
  });
});
