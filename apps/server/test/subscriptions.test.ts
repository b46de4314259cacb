// Subscriptions people own: a VM delivered by a real (simulated) Open Service Broker without a
// human, its credentials sealed and shown only on request (audited), its billing events, a lease
// extended through approval, a transfer, and a decommission that deprovisions at the broker.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { FulfilmentDocument } from '@portico/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@portico/cloud-broker';
import { systemActor } from '../src/platform/actor.ts';
import { rowsOf } from '../src/platform/db.ts';
import { aServiceDocument } from '../src/modules/catalog/catalog.factory.ts';
import { aPerson } from '../src/modules/identity/identity.factory.ts';
import { saveServiceDocument } from '../src/workflows/catalog.workflow.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let broker: RunningBroker;
let as: Record<'requester' | 'manager' | 'other' | 'admin', Client>;
let service: string;
let document: ReturnType<typeof aServiceDocument>;

beforeAll(async () => {
  broker = await startBroker({ username: 'portal', password: 'broker-secret', timeScale: 0.001 });
  t = await testApp();
  w = await aWorld(t.database);
  const admin = await t.database.transaction((tx) =>
    aPerson(tx, { name: 'Ada Admin', roles: ['requester', 'admin'] }),
  );
  as = {
    requester: await signIn(t.app, w.requester.email, w.password),
    manager: await signIn(t.app, w.manager.email, w.password),
    other: await signIn(t.app, w.other.email, w.password),
    admin: await signIn(t.app, admin.email, w.password),
  };
  const saved = await as.admin.put('/api/fulfilment/adapters/cloud', {
    name: 'Private cloud',
    type: 'osb',
    url: broker.url,
    username: 'portal',
    secret: 'broker-secret',
    team: w.team.key,
  });
  expect(saved.status).toBe(200);
  const doc = aServiceDocument({ name: 'Test VM', category: w.vm.category.slug, team: w.team.key });
  document = doc;
  const plan = doc.plans[0]!;
  plan.lease = { days: 30, graceDays: 3 };
  plan.fulfilment = FulfilmentDocument.parse({
    steps: [
      { type: 'osb', name: 'Create the VM', adapter: 'cloud', service: 'virtual-machine', plan: 'small' },
    ],
  });
  doc.plans.push({
    ...plan,
    slug: 'large',
    name: 'Large',
    monthlyPrice: '80.00',
    lease: undefined,
    fulfilment: FulfilmentDocument.parse({
      steps: [
        { type: 'osb', name: 'Resize the VM', adapter: 'cloud', service: 'virtual-machine', plan: 'medium' },
      ],
    }),
  });
  service = (await t.database.transaction((tx) => saveServiceDocument(tx, systemActor('test'), doc))).service
    .slug;
});
afterAll(async () => {
  await t.close();
  await broker.close();
});

/** Time passes until fulfilment has nothing left to do: its held-back jobs (polls, undo) are due now. */
async function settle() {
  for (let i = 0; i < 30; i++) {
    await t.jobs.drain();
    const [due] = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`select count(*)::int as n from pgboss.job where state in ('created', 'retry') and name like 'fulfilment%'`,
      ),
    );
    if (!due!.n) return;
    await t.database.db.execute(
      sql`update pgboss.job set start_after = now() where state in ('created', 'retry') and name like 'fulfilment%'`,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function approveAll() {
  for (const a of (await as.manager.get('/api/approvals')).body.items as { id: string }[]) {
    expect((await as.manager.post(`/api/approvals/${a.id}/decision`, { decision: 'approve' })).status).toBe(
      200,
    );
  }
}

const instanceIds = async (lineId: string) =>
  rowsOf<{ instance: string | null; status: string }>(
    await t.database.db.execute(
      sql`select state->>'instanceId' as instance, status from line_steps where order_line_id = ${lineId}`,
    ),
  );

const brokerHas = async (instanceId: string) =>
  (
    await fetch(`${broker.url}/v2/service_instances/${instanceId}`, {
      headers: {
        authorization: `Basic ${Buffer.from('portal:broker-secret').toString('base64')}`,
        'x-broker-api-version': '2.17',
      },
    })
  ).status;

let subscriptionId: string;
let lineId: string;

describe('a subscription', () => {
  it('is delivered by the broker without a human, with sealed credentials and a start event', async () => {
    const placed = await as.requester.post(
      '/api/orders',
      {
        costCentre: w.org.costCentre.code,
        justification: 'A test VM',
        slaAccepted: true,
        lines: [{ service, plan: 'small', quantity: 1 }],
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(placed.status).toBe(201);
    lineId = placed.body.lines[0].id;
    await approveAll();
    await settle();
    const order = (await as.requester.get(`/api/orders/${placed.body.id}`)).body;
    expect(order.lines[0].status).toBe('delivered');
    const mine = (await as.requester.get('/api/subscriptions')).body.items;
    expect(mine).toHaveLength(1);
    const s = mine[0];
    subscriptionId = s.id;
    expect(s).toMatchObject({ status: 'active', hasCredentials: true, plan: { slug: 'small' } });
    expect(JSON.stringify(s)).not.toMatch(/password/i);
    expect(s.lease.state).toBe('running');
    expect(Date.parse(s.lease.endsAt) - Date.parse(s.startedAt)).toBe(30 * 86_400_000);
    // Cost so far: the monthly fee prorated from the start (moved three days back) until now.
    await t.database.db.execute(
      sql`update subscription_events set at = at - interval '3 days' where subscription_id = ${s.id}`,
    );
    const asked = Date.now();
    const cost = Number((await as.requester.get(`/api/subscriptions/${s.id}`)).body.costThisMonth);
    const now = new Date();
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const monthMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - monthStart;
    const from = Math.max(monthStart, Date.parse(s.startedAt) - 3 * 86_400_000);
    const expected = (Number(s.monthlyPrice) * (asked - from)) / monthMs;
    expect(Math.abs(cost - expected)).toBeLessThanOrEqual(0.01);
    const [instance] = await instanceIds(lineId);
    expect(await brokerHas(instance!.instance!)).toBe(200);
    // Found by the service's name, or by anything it delivered (its address).
    const search = async (q: string) =>
      (await as.requester.get(`/api/subscriptions?q=${encodeURIComponent(q)}`)).body.items.length;
    expect(await search('test v'), 'by service').toBe(1);
    expect(await search(s.outputs.ip ?? Object.values(s.outputs as Record<string, string>)[0]!)).toBe(1);
    expect(await search('nothing-like-this')).toBe(0);

    const detail = (await as.requester.get(`/api/subscriptions/${s.id}`)).body;
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['start']);
    const [sealed] = rowsOf<{ credentials: string }>(
      await t.database.db.execute(sql`select credentials from subscriptions where id = ${s.id}`),
    );
    expect(sealed!.credentials).not.toMatch(/password|username/i);
  });

  it('shows its credentials to the owner only, and every look is audited', async () => {
    const shown = await as.requester.post(`/api/subscriptions/${subscriptionId}/credentials`, {});
    expect(shown.status).toBe(200);
    expect(Object.keys(shown.body.credentials).length).toBeGreaterThan(0);
    expect((await as.other.post(`/api/subscriptions/${subscriptionId}/credentials`, {})).status).toBe(404);
    const [audit] = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`select count(*)::int as n from audit_events where action = 'subscription.credentials_revealed' and entity_id = ${subscriptionId}`,
      ),
    );
    expect(audit!.n).toBe(1);
  });

  it('is seen by the manager in the team view, not by a colleague', async () => {
    const team = (await as.manager.get('/api/subscriptions?scope=team')).body.items;
    expect(team.map((s: { id: string }) => s.id)).toContain(subscriptionId);
    expect((await as.other.get('/api/subscriptions?scope=team')).body.items).toHaveLength(0);
    expect((await as.other.get(`/api/subscriptions/${subscriptionId}`)).status).toBe(404);
    const seen = (await as.manager.get(`/api/subscriptions/${subscriptionId}`)).body;
    expect(seen.actions).toMatchObject({ decommission: false, revealCredentials: false });
  });

  it('extends its lease through approval, by the plan’s lease from its current end', async () => {
    const before = (await as.requester.get(`/api/subscriptions/${subscriptionId}`)).body;
    const placed = await as.requester.post(
      `/api/subscriptions/${subscriptionId}/extend`,
      {},
      { 'idempotency-key': randomUUID() },
    );
    expect(placed.status).toBe(200);
    expect(placed.body.done).toBe(false);
    const waiting = (await as.requester.get(`/api/subscriptions/${subscriptionId}`)).body;
    expect(waiting.pending).toMatchObject({ purpose: 'extend', orderId: placed.body.orderId });
    expect(waiting.actions.extend).toBe(false);
    await approveAll();
    const after = (await as.requester.get(`/api/subscriptions/${subscriptionId}`)).body;
    expect(Date.parse(after.lease.endsAt) - Date.parse(before.lease.endsAt)).toBe(30 * 86_400_000);
    expect(after.pending).toBeNull();
    expect(after.events.map((e: { kind: string }) => e.kind)).toEqual(['start', 'extend']);
  });

  it('is resized through approval: the broker updates the same instance, the plan switches at delivery', async () => {
    const before = (await as.requester.get(`/api/subscriptions/${subscriptionId}`)).body;
    expect(before.plans.map((p: { slug: string; current: boolean }) => [p.slug, p.current])).toEqual([
      ['small', true],
      ['large', false],
    ]);
    const same = await as.requester.post(
      `/api/subscriptions/${subscriptionId}/change`,
      { plan: 'small' },
      { 'idempotency-key': randomUUID() },
    );
    expect(same.status).toBe(400);
    expect(same.body.errors[0].path).toBe('plan');
    const placed = await as.requester.post(
      `/api/subscriptions/${subscriptionId}/change`,
      { plan: 'large', justification: 'More memory for the test suite' },
      { 'idempotency-key': randomUUID() },
    );
    expect(placed.status).toBe(200);
    const again = await as.requester.post(
      `/api/subscriptions/${subscriptionId}/change`,
      { plan: 'large' },
      { 'idempotency-key': randomUUID() },
    );
    expect(again.status).toBe(409);
    await approveAll();
    await settle();
    const order = (await as.requester.get(`/api/orders/${placed.body.orderId}`)).body;
    expect(order.lines[0]).toMatchObject({ status: 'delivered', subscriptionId });
    const after = (await as.requester.get(`/api/subscriptions/${subscriptionId}`)).body;
    expect(after).toMatchObject({ plan: { slug: 'large' }, monthlyPrice: '80.000000000', pending: null });
    expect(after.events.map((e: { kind: string }) => e.kind)).toEqual(['start', 'extend', 'resize']);
    // One instance, now on the broker's medium plan: updated, not provisioned again.
    const [original] = await instanceIds(lineId);
    const [resized] = await instanceIds(order.lines[0].id);
    expect(resized!.instance).toBe(original!.instance);
    expect(await brokerHas(original!.instance!)).toBe(200);
    expect((await as.requester.get('/api/subscriptions')).body.items).toHaveLength(1);
  });

  it('is transferred only to someone who may charge the cost centre, and says who was wrong', async () => {
    const unknown = await as.requester.post(`/api/subscriptions/${subscriptionId}/transfer`, {
      owner: 'nobody@example.com',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('owner');
    const moved = await as.requester.post(`/api/subscriptions/${subscriptionId}/transfer`, {
      owner: w.other.email,
      note: 'Otto runs the tests now',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.owner.email).toBe(w.other.email);
    expect((await as.requester.get(`/api/subscriptions/${subscriptionId}`)).status).toBe(404);
    const events = (await as.other.get(`/api/subscriptions/${subscriptionId}`)).body.events;
    expect(events.at(-1)).toMatchObject({ kind: 'transfer', owner: { email: w.other.email } });
  });

  it('is decommissioned through the broker: deprovisioned, then ended with an end event', async () => {
    expect((await as.requester.post(`/api/subscriptions/${subscriptionId}/decommission`, {})).status).toBe(
      404,
    );
    // An extension still waiting for approval is withdrawn: it would change nothing.
    const extension = await as.other.post(
      `/api/subscriptions/${subscriptionId}/extend`,
      {},
      { 'idempotency-key': randomUUID() },
    );
    expect(extension.status).toBe(200);
    const ending = await as.other.post(`/api/subscriptions/${subscriptionId}/decommission`, {
      reason: 'Tests done',
    });
    expect(ending.status).toBe(200);
    expect(ending.body.status).toBe('ending');
    await settle();
    const ended = (await as.other.get(`/api/subscriptions/${subscriptionId}`)).body;
    expect(ended.status).toBe('ended');
    expect(ended.endedAt).not.toBeNull();
    expect(ended.events.at(-1).kind).toBe('end');
    expect(ended.actions.revealCredentials).toBe(false);
    expect(ended.pending).toBeNull();
    const withdrawn = (await as.other.get(`/api/orders/${extension.body.orderId}`)).body;
    expect(withdrawn.lines[0].status).toBe('cancelled');
    expect((await as.manager.get('/api/approvals')).body.items).toHaveLength(0);
    const [instance] = await instanceIds(lineId);
    expect(instance!.status).toBe('undone');
    expect([404, 410]).toContain(await brokerHas(instance!.instance!));
    expect((await as.other.post(`/api/subscriptions/${subscriptionId}/decommission`, {})).status).toBe(409);
  });
});

describe('a lease', () => {
  it('reminds its owner, runs into its grace period, then is decommissioned at the broker', async () => {
    const placed = await as.requester.post(
      '/api/orders',
      {
        costCentre: w.org.costCentre.code,
        justification: 'A VM for a week of tests',
        slaAccepted: true,
        lines: [{ service, plan: 'small', quantity: 1 }],
      },
      { 'idempotency-key': randomUUID() },
    );
    await approveAll();
    await settle();
    const line = placed.body.lines[0].id as string;
    const s = (await as.requester.get('/api/subscriptions')).body.items.find(
      (x: { orderId: string }) => x.orderId === placed.body.id,
    );
    expect(s.lease.state).toBe('running');
    // The lease's moments come: every lease job is due now, in the order they were planned.
    const moments = rowsOf<{ id: string; moment: string }>(
      await t.database.db.execute(
        sql`select id, data->>'moment' as moment from pgboss.job where name = 'inventory.lease' and data->>'subscriptionId' = ${s.id} order by start_after`,
      ),
    );
    expect(moments.map((m) => m.moment)).toEqual(['remind', 'remind', 'expired', 'end']);
    for (const m of moments) {
      await t.database.db.execute(sql`update pgboss.job set start_after = now() where id = ${m.id}`);
      await t.jobs.drain();
    }
    const told = (await as.requester.get('/api/notifications?limit=50')).body.items
      .filter((n: { link: string | null }) => n.link === `/services/${s.id}`)
      .map((n: { kind: string }) => n.kind);
    expect(told.sort()).toEqual([
      'subscription.lease_ended',
      'subscription.lease_ending',
      'subscription.lease_ending',
    ]);
    expect((await as.requester.get(`/api/subscriptions/${s.id}`)).body.status).toBe('ending');
    await settle();
    expect((await as.requester.get(`/api/subscriptions/${s.id}`)).body.status).toBe('ended');
    const [instance] = await instanceIds(line);
    expect([404, 410]).toContain(await brokerHas(instance!.instance!));
  });
});

describe('an upgrade', () => {
  it('is offered when the service publishes a new version of the plan, with what changed, and moves with one order', async () => {
    const placed = await as.requester.post(
      '/api/orders',
      {
        costCentre: w.org.costCentre.code,
        justification: 'A VM to upgrade later',
        slaAccepted: true,
        lines: [{ service, plan: 'large', quantity: 1 }],
      },
      { 'idempotency-key': randomUUID() },
    );
    await approveAll();
    await settle();
    const id = (await as.requester.get(`/api/orders/${placed.body.id}`)).body.lines[0]
      .subscriptionId as string;
    expect((await as.requester.get(`/api/subscriptions/${id}`)).body.upgrade).toBeNull();

    const large = document.plans.find((p) => p.slug === 'large')!;
    const next = {
      ...document,
      plans: document.plans.map((p) =>
        p === large ? { ...large, monthlyPrice: '72.00', features: [...large.features, 'Daily backups'] } : p,
      ),
    };
    await t.database.transaction((tx) => saveServiceDocument(tx, systemActor('test'), next));
    const offered = (await as.requester.get(`/api/subscriptions/${id}`)).body;
    expect(offered.upgrade).toMatchObject({ version: offered.service.version + 1, plan: { slug: 'large' } });
    expect(offered.upgrade.changes).toEqual(['Monthly price €80.00 → €72.00', 'New: Daily backups']);
    expect(offered.actions.change).toBe(true);

    const moved = await as.requester.post(
      `/api/subscriptions/${id}/change`,
      { plan: 'large' },
      { 'idempotency-key': randomUUID() },
    );
    expect(moved.status).toBe(200);
    await approveAll();
    await settle();
    const after = (await as.requester.get(`/api/subscriptions/${id}`)).body;
    expect(after).toMatchObject({ upgrade: null, monthlyPrice: '72.000000000', pending: null });
    expect(after.service.version).toBe(offered.upgrade.version);
    expect(after.events.map((e: { kind: string }) => e.kind)).toEqual(['start', 'resize']);
  });
});
