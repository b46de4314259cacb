// Fulfilment as steps: an automated step (a signed webhook to a real local endpoint) and a
// manual one, run in order as jobs; retries with backoff, a circuit that opens, failures that
// need the team's attention, late results through one-time callbacks, and a crash between a
// call and its record that repeats the call with the same idempotency key.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { FulfilmentDocument } from '@portico/shared';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../src/platform/actor.ts';
import { rowsOf } from '../src/platform/db.ts';
import { aServiceDocument } from '../src/modules/catalog/catalog.factory.ts';
import { aPerson } from '../src/modules/identity/identity.factory.ts';
import { saveServiceDocument } from '../src/workflows/catalog.workflow.ts';
import { orderJourney } from '../src/workflows/order-journey.workflow.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let as: Record<'requester' | 'manager' | 'fulfiller' | 'admin', Client>;

// ---- the automation endpoint: verifies every signature, answers as the test says -----------

interface Delivery {
  id: string;
  type: string;
  data: {
    step: string;
    callbackUrl?: string;
    outputs: Record<string, string>;
    config: Record<string, unknown>;
  };
}
const secret = `whsec_${randomBytes(24).toString('base64')}`;
let receiver: Server;
let deliveries: Delivery[] = [];
let answer: (d: Delivery, res: ServerResponse) => void;

function json(res: ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function receive(req: IncomingMessage, res: ServerResponse) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  try {
    new Webhook(secret).verify(raw, req.headers as Record<string, string>);
  } catch {
    return json(res, 401, { detail: 'bad signature' });
  }
  const d = { id: String(req.headers['webhook-id']), ...(JSON.parse(raw) as Omit<Delivery, 'id'>) };
  deliveries.push(d);
  answer(d, res);
}

// ---- a service whose plan runs a webhook step, then a manual one ---------------------------

let service: string;

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
  const saved = await as.admin.put('/api/fulfilment/adapters/dns', {
    name: 'DNS automation',
    type: 'webhook',
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
    secret,
    team: w.team.key,
    timeoutMs: 2_000,
    maxAttempts: 3,
  });
  expect(saved.status).toBe(200);
  const doc = aServiceDocument({ name: 'Web server', category: w.vm.category.slug, team: w.team.key });
  doc.plans[0]!.fulfilment = FulfilmentDocument.parse({
    steps: [
      { type: 'webhook', name: 'Register the name', adapter: 'dns', config: { zone: 'corp' } },
      {
        type: 'manual',
        name: 'Hand over',
        team: w.team.key,
        instructions: 'Check the server answers and hand it over.',
        checklist: ['Answers on its name'],
        outputs: [{ key: 'hostname', label: 'Hostname', required: true }],
      },
    ],
  });
  service = (await t.database.transaction((tx) => saveServiceDocument(tx, systemActor('test'), doc))).service
    .slug;
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
  deliveries = [];
  answer = (_, res) => json(res, 200, { status: 'done', outputs: { ip: '10.0.0.7' } });
  await t.database.db.execute(sql`update fulfilment_adapters set failures = 0, open_until = null`);
});

/** Orders the service; the manager approves; the jobs run until nothing is due. */
async function approvedLine(): Promise<{ orderId: string; lineId: string }> {
  const placed = await as.requester.post(
    '/api/orders',
    {
      costCentre: w.org.costCentre.code,
      justification: 'A web server',
      slaAccepted: true,
      lines: [{ service, plan: 'small', quantity: 1 }],
    },
    { 'idempotency-key': randomUUID() },
  );
  expect(placed.status).toBe(201);
  const pending = (await as.manager.get('/api/approvals')).body.items.find(
    (a: { order: { id: string } }) => a.order.id === placed.body.id,
  );
  expect(
    (await as.manager.post(`/api/approvals/${pending.id}/decision`, { decision: 'approve' })).status,
  ).toBe(200);
  await t.jobs.drain();
  return { orderId: placed.body.id, lineId: placed.body.lines[0].id };
}

/** Time passes: every held-back job is due now. */
async function later() {
  await t.database.db.execute(
    sql`update pgboss.job set start_after = now() where state in ('created', 'retry')`,
  );
  await t.jobs.drain();
}

const stepsOf = async (lineId: string) =>
  rowsOf<{ id: string; position: number; status: string; attempts: number; error: string | null }>(
    await t.database.db.execute(
      sql`select id, position, status, attempts, error from line_steps where order_line_id = ${lineId} order by position`,
    ),
  );

const taskFor = async (orderId: string) =>
  (await as.fulfiller.get('/api/tasks')).body.items.find(
    (x: { order: { id: string } }) => x.order.id === orderId,
  );

describe('fulfilment steps', () => {
  // A retry waits a random share of its backoff window (full jitter), which can be next to
  // nothing: then the drain that made it would also run it, and a test that counts attempts
  // between drains would depend on luck. The longest wait keeps each retry for the next later().
  beforeEach(() => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('run in order: the webhook answers, its outputs flow to the task and into the subscription', async () => {
    const { orderId, lineId } = await approvedLine();
    const [hook, manual] = await stepsOf(lineId);
    expect(hook).toMatchObject({ status: 'done', attempts: 0 });
    expect(manual).toMatchObject({ status: 'waiting' });
    // Signed (the receiver checked), keyed by the step, with the line and the step's config.
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      id: hook!.id,
      type: 'portico.fulfilment.step.requested',
      data: { step: hook!.id, config: { zone: 'corp' }, outputs: {} },
    });

    // The requester's tracker: who works on each step, how far it got.
    const tracking = (await as.requester.get(`/api/orders/${orderId}`)).body.lines[0].steps;
    expect(
      tracking.map((s: { name: string; status: string; by: string }) => [s.name, s.status, s.by]),
    ).toEqual([
      ['Register the name', 'done', 'DNS automation'],
      ['Hand over', 'waiting', w.team.name],
    ]);
    const task = await taskFor(orderId);
    expect(task).toMatchObject({
      title: expect.stringMatching(/^Hand over: Web server · /),
      checklist: ['Answers on its name'],
      earlierOutputs: { ip: '10.0.0.7' },
    });
    const done = await as.fulfiller.post(`/api/tasks/${task.id}/complete`, {
      outputs: { hostname: 'web-07' },
      note: 'Up and answering',
    });
    expect(done.status).toBe(200);
    const order = (await as.requester.get(`/api/orders/${orderId}`)).body;
    expect(order.lines[0].status).toBe('delivered');
    const sub = (await as.requester.get(`/api/subscriptions/${order.lines[0].subscriptionId}`)).body;
    expect(sub.outputs).toEqual({ ip: '10.0.0.7', hostname: 'web-07' });
    expect(order.timeline.map((e: { kind: string; note: string }) => `${e.kind}: ${e.note ?? ''}`)).toEqual(
      expect.arrayContaining([
        'step_started: Register the name: started',
        'step_done: Register the name: done',
        'step_started: Hand over: with the team',
        'step_done: Hand over: done — Up and answering',
      ]),
    );
    // The requester heard of every change once: the last step done is the delivery, told once,
    // with the fulfiller's note.
    const bell = (await as.requester.get('/api/notifications?limit=50')).body.items
      .filter((n: { link: string }) => n.link === `/orders/${orderId}`)
      .map((n: { body: string }) => n.body.replace(/^.*?: /, ''))
      .reverse();
    expect(bell).toEqual([
      'approved; fulfilment starts now.',
      'Register the name: started',
      'Register the name: done',
      'Hand over: with the team',
      'delivered; find it under My services. Note from the team: “Up and answering”',
    ]);
  });

  it('an endpoint that is busy is tried again with backoff, then the team is asked to look', async () => {
    answer = (_, res) => json(res, 429, { detail: 'slow down' });
    const { orderId, lineId } = await approvedLine();
    expect((await stepsOf(lineId))[0]).toMatchObject({ status: 'running', attempts: 1 });
    // The requester's tracker says it is tried again (not why), and the bell stays quiet.
    const order = (await as.requester.get(`/api/orders/${orderId}`)).body;
    expect(order.lines[0].steps[0]).toMatchObject({
      status: 'running',
      progress: 'Try 1 with DNS automation failed; trying again',
    });
    expect(order.timeline.filter((e: { kind: string }) => e.kind === 'note')).toEqual([
      expect.objectContaining({ note: 'Register the name: try 1 with DNS automation failed; trying again' }),
    ]);
    const bell = (await as.requester.get('/api/notifications')).body.items;
    expect(bell.map((n: { title: string }) => n.title).join()).not.toContain('trying again');
    await later();
    await later();
    const [hook, manual] = await stepsOf(lineId);
    expect(hook).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: expect.stringContaining('slow down'),
    });
    expect(manual!.status).toBe('queued');
    // Every attempt carried the same key, so the endpoint could tell a re-send from new work.
    expect(deliveries.map((d) => d.id)).toEqual([hook!.id, hook!.id, hook!.id]);
    const told = (await as.fulfiller.get('/api/notifications?unread=true')).body.items;
    expect(told.map((n: { title: string }) => n.title)).toContain('Needs attention: Register the name');
    expect(await taskFor(orderId)).toBeUndefined();
  });

  it('an ambiguous failure is cleaned up (undo) before the team is asked', async () => {
    answer = (d, res) => (d.type.endsWith('.undo') ? json(res, 200, {}) : json(res, 500, { detail: 'boom' }));
    const { lineId } = await approvedLine();
    await later();
    await later();
    await later();
    const [hook] = await stepsOf(lineId);
    expect(deliveries.map((d) => d.type.split('.').pop())).toEqual([
      'requested',
      'requested',
      'requested',
      'undo',
    ]);
    expect(hook).toMatchObject({ status: 'failed', error: expect.stringContaining('was removed') });
  });

  it('after five failures in a row the adapter’s circuit opens: calls stop until it closes', async () => {
    await t.database.db.execute(sql`update fulfilment_adapters set max_attempts = 10 where key = 'dns'`);
    answer = (_, res) => json(res, 429, {});
    const { lineId } = await approvedLine();
    for (let i = 0; i < 6; i++) await later();
    expect(deliveries).toHaveLength(5);
    const [adapter] = (await as.admin.get('/api/fulfilment/adapters')).body.items;
    expect(adapter).toMatchObject({ key: 'dns', failures: 5, openUntil: expect.any(String) });
    expect((await stepsOf(lineId))[0]!.status).toBe('running');
    // The team hears it once, when the circuit opens; not again for every held-back step.
    const told = (await as.fulfiller.get('/api/notifications')).body.items.filter(
      (n: { kind: string }) => n.kind === 'fulfilment.circuit_open',
    );
    expect(told).toHaveLength(1);
    expect(told[0].title).toBe('DNS automation paused after 5 failures in a row');
    await t.database.db.execute(sql`update fulfilment_adapters set max_attempts = 3 where key = 'dns'`);
  });

  it('a late result comes through the one-time callback URL', async () => {
    answer = (_, res) => json(res, 202, { status: 'accepted' });
    const { orderId, lineId } = await approvedLine();
    expect((await stepsOf(lineId))[0]!.status).toBe('waiting');
    const url = new URL(deliveries[0]!.data.callbackUrl!);
    expect(url.origin).toBe('http://portal.test');
    const anonymous = { 'content-type': 'application/json' };
    const post = (body: unknown) =>
      t.app.inject({ method: 'POST', url: url.pathname, headers: anonymous, payload: JSON.stringify(body) });
    expect((await post({ status: 'done', outputs: { ip: '10.0.0.9' } })).statusCode).toBe(204);
    expect((await post({ status: 'done', outputs: { ip: '10.0.0.9' } })).statusCode).toBe(404);
    expect((await post({ status: 'finished' })).statusCode).toBe(400);
    await t.jobs.drain();
    expect((await stepsOf(lineId)).map((s) => s.status)).toEqual(['done', 'waiting']);
    expect(await taskFor(orderId)).toBeDefined();
  });

  it('a crash between the call and its record repeats the call with the same key, and nothing twice', async () => {
    const journey = orderJourney(t.deps);
    const { lineId } = await approvedLine();
    // A second line of the same kind: take its step job before the queue runs it.
    const [step] = await stepsOf(lineId);
    await t.database.db.execute(
      sql`update line_steps set status = 'queued', attempts = 0 where id = ${step!.id}`,
    );
    deliveries = [];
    const crash = new Error('the process died');
    await expect(
      journey.runStep({ stepId: step!.id, undo: false }, () => Promise.reject(crash)),
    ).rejects.toBe(crash);
    await journey.runStep({ stepId: step!.id, undo: false }, (work) => t.database.transaction(work));
    expect(deliveries.map((d) => d.id)).toEqual([step!.id, step!.id]);
    expect((await stepsOf(lineId))[0]).toMatchObject({ status: 'done' });
  });

  it('only admins see or change adapters; the secret never comes back', async () => {
    expect((await as.fulfiller.get('/api/fulfilment/adapters')).status).toBe(403);
    const list = await as.admin.get('/api/fulfilment/adapters');
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(6));
    const bad = await as.admin.put('/api/fulfilment/adapters/broker', {
      name: 'Broker',
      type: 'osb',
      url: 'ftp://x',
      team: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['url']);
    const missing = await as.admin.put('/api/fulfilment/adapters/broker', {
      name: 'Broker',
      type: 'osb',
      url: 'http://broker.test',
      team: 'nope',
    });
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['team', 'secret', 'username']);
  });
});
