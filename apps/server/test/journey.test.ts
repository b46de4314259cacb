// The thin slice, end to end through the HTTP API: browse, order, approve, fulfil, own,
// track, ticket — and who may not do what along the way.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let requester: Client, manager: Client, fulfiller: Client, other: Client, outsider: Client;

beforeAll(async () => {
  t = await testApp();
  w = await aWorld(t.database);
  const people = [w.requester, w.manager, w.fulfiller, w.other, w.outsider];
  [requester, manager, fulfiller, other, outsider] = (await Promise.all(
    people.map((p) => signIn(t.app, p.email, w.password)),
  )) as [Client, Client, Client, Client, Client];
});
afterAll(() => t.close());

const checkout = (client: Client, key = randomUUID(), overrides: Record<string, unknown> = {}) =>
  client.post(
    '/api/orders',
    {
      costCentre: w.org.costCentre.code,
      justification: 'Build server for the payments team',
      neededBy: '2026-12-31',
      slaAccepted: true,
      lines: [{ service: w.vm.service.slug, plan: 'small', quantity: 1 }],
      ...overrides,
    },
    { 'idempotency-key': key },
  );

describe('the order journey', () => {
  let orderId: string;
  let approvalId: string;
  let taskId: string;
  let subscriptionId: string;

  it('1. browse: categories and published services with plans and monthly price', async () => {
    const categories = await requester.get('/api/categories');
    expect(categories.status).toBe(200);
    expect(categories.body.items).toContainEqual(
      expect.objectContaining({ slug: w.vm.category.slug, serviceCount: 1 }),
    );
    const list = await requester.get(`/api/services?category=${w.vm.category.slug}`);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        slug: w.vm.service.slug,
        fromMonthlyPrice: '38.000000000',
        minLeadTimeDays: 1,
      }),
    ]);
    const detail = await requester.get(`/api/services/${w.vm.service.slug}`);
    expect(detail.body.plans[0]).toMatchObject({
      slug: 'small',
      monthlyPrice: '38.000000000',
      leadTimeDays: 1,
    });
    expect(detail.body.plans[0].sla.summary).toContain('99.9%');
  });

  it('2. order: checkout creates an order awaiting the manager, and the same key twice is one order', async () => {
    const key = randomUUID();
    const first = await checkout(requester, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'pending_approval',
      number: expect.stringMatching(/^ORD-\d{6}$/),
    });
    expect(first.body.lines[0]).toMatchObject({ leadTimeDays: 1, expectedDeliveryDate: expect.any(String) });
    expect(first.body.expectedDeliveryDate).toBe(first.body.lines[0].expectedDeliveryDate);
    const again = await checkout(requester, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const mine = await requester.get('/api/orders');
    expect(mine.body.items.filter((o: { id: string }) => o.id === first.body.id)).toHaveLength(1);
    orderId = first.body.id;
  });

  it('3. approve: the manager sees it in the inbox with the reason, and approves', async () => {
    const inbox = await manager.get('/api/approvals');
    const item = inbox.body.items.find((a: { order: { id: string } }) => a.order.id === orderId);
    expect(item).toMatchObject({ status: 'pending', reason: expect.stringContaining('line manager') });
    approvalId = item.id;
    const decided = await manager.post(`/api/approvals/${approvalId}/decision`, {
      decision: 'approve',
      comment: 'Go',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('approved');
    const again = await manager.post(`/api/approvals/${approvalId}/decision`, { decision: 'reject' });
    expect(again.status).toBe(409);
  });

  it('4. fulfil: the job queues a task for the team; a fulfiller completes it with outputs', async () => {
    expect(await t.jobs.drain()).toBeGreaterThan(0);
    const queue = await fulfiller.get('/api/tasks');
    const task = queue.body.items.find((x: { order: { id: string } }) => x.order.id === orderId);
    expect(task).toMatchObject({ status: 'open', team: { key: w.team.key } });
    taskId = task.id;
    const missing = await fulfiller.post(`/api/tasks/${taskId}/complete`, { outputs: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual({ path: 'outputs.hostname', message: 'Hostname is required' });
    const done = await fulfiller.post(`/api/tasks/${taskId}/complete`, {
      outputs: { ip: '10.1.2.3', hostname: 'vm-pay-01' },
      note: 'Joined to the domain',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', completedBy: 'Fay Fulfiller' });
  });

  it('5. own: the subscription appears under my services', async () => {
    const mine = await requester.get('/api/subscriptions');
    const sub = mine.body.items.find((s: { orderId: string }) => s.orderId === orderId);
    expect(sub).toMatchObject({ status: 'active', name: 'vm-pay-01', outputs: { hostname: 'vm-pay-01' } });
    expect(Object.keys(sub.outputs)).toEqual(['hostname', 'ip']);
    subscriptionId = sub.id;
    expect((await requester.get(`/api/subscriptions/${subscriptionId}`)).status).toBe(200);
  });

  it('6. track: the order timeline has every step with timestamps', async () => {
    const order = await requester.get(`/api/orders/${orderId}`);
    expect(order.body).toMatchObject({ status: 'delivered', expectedDeliveryDate: null });
    expect(order.body.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'submitted',
      'approved',
      'in_fulfilment',
      'step_started',
      'step_done',
      'delivered',
    ]);
    expect(order.body.timeline.every((e: { at: string }) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
    expect(order.body.timeline[3]).toMatchObject({ note: 'Provision: with the team' });
    expect(order.body.timeline[5]).toMatchObject({ actor: 'Fay Fulfiller', note: 'Joined to the domain' });
    expect(order.body.lines[0].subscriptionId).toBe(subscriptionId);
  });

  it('7. ticket: raising one from the subscription puts it in the fulfilling team’s queue', async () => {
    const raised = await requester.post('/api/tickets', {
      subscription: subscriptionId,
      summary: 'Cannot SSH in',
      description: 'Connection refused since this morning',
    });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ number: expect.stringMatching(/^TCK-/), team: { key: w.team.key } });
    const teamQueue = await fulfiller.get('/api/tickets?scope=team');
    expect(teamQueue.body.items.map((x: { id: string }) => x.id)).toContain(raised.body.id);
    const elsewhere = await outsider.get('/api/tickets?scope=team');
    expect(elsewhere.body.items.map((x: { id: string }) => x.id)).not.toContain(raised.body.id);
  });

  it('keeps each person to their own things', async () => {
    expect((await other.get(`/api/orders/${orderId}`)).status).toBe(404);
    expect((await other.get(`/api/subscriptions/${subscriptionId}`)).status).toBe(404);
    expect((await other.get('/api/subscriptions')).body.items).toEqual([]);
    const ticketOnOthers = await other.post('/api/tickets', {
      subscription: subscriptionId,
      summary: 'Mine now',
    });
    expect(ticketOnOthers.status).toBe(400);
    expect(ticketOnOthers.body.errors[0].path).toBe('subscription');
    expect((await outsider.get(`/api/orders/${orderId}`)).status).toBe(404);
    // The people who worked on it may see it.
    expect((await manager.get(`/api/orders/${orderId}`)).status).toBe(200);
    expect((await fulfiller.get(`/api/orders/${orderId}`)).status).toBe(200);
  });
});

describe('quantity', () => {
  it('a subscription for several units is priced for all of them', async () => {
    const order = await checkout(requester, randomUUID(), {
      lines: [{ service: w.vm.service.slug, plan: 'small', quantity: 3 }],
    });
    const item = (await manager.get('/api/approvals')).body.items.find(
      (a: { order: { id: string } }) => a.order.id === order.body.id,
    );
    await manager.post(`/api/approvals/${item.id}/decision`, { decision: 'approve' });
    await t.jobs.drain();
    const task = (await fulfiller.get('/api/tasks')).body.items.find(
      (x: { order: { id: string } }) => x.order.id === order.body.id,
    );
    await fulfiller.post(`/api/tasks/${task.id}/complete`, { outputs: { hostname: 'vm-batch' } });
    const sub = (await requester.get('/api/subscriptions')).body.items.find(
      (s: { orderId: string }) => s.orderId === order.body.id,
    );
    expect(sub).toMatchObject({ quantity: 3, monthlyPrice: '114.000000000' });
  });
});

describe('rejection', () => {
  it('stops the line for good: no task is ever created', async () => {
    const order = await checkout(requester);
    const inbox = await manager.get('/api/approvals');
    const item = inbox.body.items.find((a: { order: { id: string } }) => a.order.id === order.body.id);
    const rejected = await manager.post(`/api/approvals/${item.id}/decision`, {
      decision: 'reject',
      comment: 'Use the shared VM',
    });
    expect(rejected.body.status).toBe('rejected');
    await t.jobs.drain();
    const tasks = await fulfiller.get('/api/tasks');
    expect(tasks.body.items.map((x: { order: { id: string } }) => x.order.id)).not.toContain(order.body.id);
    const after = await requester.get(`/api/orders/${order.body.id}`);
    expect(after.body.status).toBe('rejected');
    expect(after.body.timeline.at(-1)).toMatchObject({ kind: 'rejected', note: 'Use the shared VM' });
  });
});

describe('authorization of each role', () => {
  it('a requester cannot approve, cannot fulfil, cannot see team queues', async () => {
    const order = await checkout(other);
    const inbox = await manager.get('/api/approvals');
    const item = inbox.body.items.find((a: { order: { id: string } }) => a.order.id === order.body.id);
    expect((await requester.post(`/api/approvals/${item.id}/decision`, { decision: 'approve' })).status).toBe(
      404,
    );
    expect((await requester.get('/api/tasks')).status).toBe(403);
    expect((await requester.get('/api/tickets?scope=team')).status).toBe(403);
    expect((await requester.get('/api/approvals')).body.items).toEqual([]);
  });

  it('a fulfiller of another team cannot complete the task', async () => {
    const order = await checkout(requester);
    const item = (await manager.get('/api/approvals')).body.items.find(
      (a: { order: { id: string } }) => a.order.id === order.body.id,
    );
    await manager.post(`/api/approvals/${item.id}/decision`, { decision: 'approve' });
    await t.jobs.drain();
    const task = (await fulfiller.get('/api/tasks')).body.items.find(
      (x: { order: { id: string } }) => x.order.id === order.body.id,
    );
    const res = await outsider.post(`/api/tasks/${task.id}/complete`, { outputs: { hostname: 'x' } });
    expect(res.status).toBe(404);
  });

  it('anonymous callers get 401 problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/orders' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 401, code: 'Unauthorized' });
  });
});

describe('checkout input', () => {
  it('names the field and the problem', async () => {
    const noSla = await checkout(requester, randomUUID(), { slaAccepted: false });
    expect(noSla.status).toBe(400);
    expect(noSla.body.errors).toContainEqual({ path: 'slaAccepted', message: 'the SLA must be accepted' });
    const badPlan = await checkout(requester, randomUUID(), {
      lines: [{ service: w.vm.service.slug, plan: 'galactic' }],
    });
    expect(badPlan.status).toBe(400);
    expect(badPlan.body.errors[0]).toEqual({
      path: 'lines.0.plan',
      message: 'Virtual Machine has no plan galactic',
    });
    const foreignCentre = await checkout(requester, randomUUID(), { costCentre: 'CC-NOPE' });
    expect(foreignCentre.body.errors[0]).toEqual({ path: 'costCentre', message: 'no cost centre CC-NOPE' });
    const noKey = await requester.post('/api/orders', {
      costCentre: w.org.costCentre.code,
      justification: 'x',
      slaAccepted: true,
      lines: [{ service: w.vm.service.slug, plan: 'small' }],
    });
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors.map((e: { path: string }) => e.path)).toContain('headers.idempotency-key');
  });

  it('writes nothing when a later line is bad', async () => {
    const before = (await requester.get('/api/orders?limit=200')).body.items.length;
    const res = await checkout(requester, randomUUID(), {
      lines: [
        { service: w.vm.service.slug, plan: 'small' },
        { service: 'no-such-service', plan: 'small' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('lines.1.service');
    expect((await requester.get('/api/orders?limit=200')).body.items.length).toBe(before);
  });

  it('refuses a reused idempotency key with a different body', async () => {
    const key = randomUUID();
    await checkout(requester, key);
    const res = await checkout(requester, key, { justification: 'Something else' });
    expect(res.status).toBe(409);
  });
});
