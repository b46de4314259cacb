// The demo portal a new user meets: seeded once, with a catalogue big enough to browse, in
// which a Postgres database is found by typing "postgress" and cloud is compared with legacy;
// the private cloud delivers a VM and then reports its usage.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@portico/cloud-broker';
import { rowsOf } from '../src/platform/db.ts';
import {
  configureDemoUsage,
  DEMO_BROKER,
  DEMO_PASSWORD,
  demoUsageToken,
  seedDemoOnce,
} from '../src/seed/demo.seed.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';

let t: TestApp;
let rita: Client;
let seeded: boolean;
let broker: RunningBroker;
let vmSubscriptionId: string;

beforeAll(async () => {
  t = await testApp();
  // The portal listens, as `portico serve` does, so that the broker can post usage to it: as
  // there, the broker starts before the seed stores its token's hash (the first reports are
  // refused and sent again). An interval of a second at timeScale 0.001.
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  broker = await startBroker({
    ...DEMO_BROKER,
    timeScale: 0.001,
    usage: {
      url: `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`,
      token: demoUsageToken(t.deps.secrets),
      intervalMs: 1_000_000,
    },
  });
  seeded = await seedDemoOnce(t.database, { url: broker.url, secrets: t.deps.secrets });
  rita = await signIn(t.app, 'requester@example.com', DEMO_PASSWORD);
});
afterAll(async () => {
  await t.close();
  await broker.close();
});

describe('the demo seed', () => {
  it('seeds once: a restart changes nothing', async () => {
    expect(seeded).toBe(true);
    expect(await seedDemoOnce(t.database, { url: broker.url, secrets: t.deps.secrets })).toBe(false);
  });

  it('has every demo account, each able to sign in', async () => {
    for (const who of ['manager', 'fulfiller', 'catalog', 'finance', 'admin']) {
      await expect(signIn(t.app, `${who}@example.com`, DEMO_PASSWORD)).resolves.toBeDefined();
    }
  });

  it('offers at least 40 services in at least 8 categories, cloud and legacy', async () => {
    const all = (await rita.get('/api/services?limit=100')).body;
    expect(all.total).toBeGreaterThanOrEqual(40);
    const topLevel = (await rita.get('/api/categories')).body.items.filter(
      (c: { parent: string | null; serviceCount: number }) => !c.parent && c.serviceCount > 0,
    );
    expect(topLevel.length).toBeGreaterThanOrEqual(8);
    expect(all.facets.kind.map((k: { value: string }) => k.value)).toEqual(
      expect.arrayContaining(['cloud', 'legacy', 'saas', 'hardware', 'people']),
    );
  });

  it('finds "a Postgres database" by typing "postgress"', async () => {
    const found = (await rita.get('/api/services?q=postgress')).body.items;
    expect(found[0].slug).toBe('managed-postgresql');
  });

  it('explains cloud against legacy in one comparison', async () => {
    const vm = (await rita.get('/api/services/virtual-machine')).body;
    expect(vm.alternatives.map((a: { slug: string }) => a.slug)).toContain('dedicated-server');
    const compared = (await rita.get('/api/compare?services=virtual-machine,dedicated-server')).body;
    expect(compared.verdict).toMatch(
      /^Virtual Machine: ready .*\d+% cheaper over a year than Dedicated Physical Server\.$/,
    );
  });

  it('delivers a VM through the private cloud’s broker without a human, with its connection details', async () => {
    const max = await signIn(t.app, 'manager@example.com', DEMO_PASSWORD);
    const placed = await rita.post(
      '/api/orders',
      {
        costCentre: 'CC-ENG-100',
        justification: 'A build box',
        slaAccepted: true,
        lines: [{ service: 'virtual-machine', plan: 'small', options: { os: 'ubuntu-24-04' } }],
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(placed.status).toBe(201);
    const [approval] = (await max.get('/api/approvals')).body.items;
    expect((await max.post(`/api/approvals/${approval.id}/decision`, { decision: 'approve' })).status).toBe(
      200,
    );
    const order = async () => (await rita.get(`/api/orders/${placed.body.id}`)).body;
    for (let i = 0; i < 20 && (await order()).lines[0].status !== 'delivered'; i++) {
      await t.database.db.execute(
        sql`update pgboss.job set start_after = now() where state in ('created', 'retry') and name like 'fulfilment%'`,
      );
      await t.jobs.drain();
    }
    const line = (await order()).lines[0];
    expect(
      line.steps.map((s: { name: string; status: string; by: string }) => [s.name, s.status, s.by]),
    ).toEqual([['Create the VM', 'done', 'Private cloud']]);
    const vm = (await rita.get(`/api/subscriptions/${line.subscriptionId}`)).body;
    expect(vm).toMatchObject({ status: 'active', hasCredentials: true, plan: { slug: 'small' } });
    expect(Object.keys(vm.outputs).length).toBeGreaterThan(1);
    vmSubscriptionId = line.subscriptionId;
  });

  it('has the private cloud report the VM’s usage, counted for its subscription', async () => {
    expect(vmSubscriptionId).toBeDefined();
    const usage = async () => {
      await broker.reportUsage();
      return rowsOf<{ meter_key: string; status: string; subscription_id: string | null; value: string }>(
        await t.database.db.execute(
          sql`select meter_key, status, subscription_id, value from usage_events
              where subscription_id = ${vmSubscriptionId} or subject in (
                select outputs->>'osbInstanceId' from subscriptions where id = ${vmSubscriptionId})
              order by time, meter_key`,
        ),
      );
    };
    // The first interval that ends after the VM was provisioned: within a second.
    await expect
      .poll(async () => new Set((await usage()).map((u) => u.meter_key)), { timeout: 10_000, interval: 200 })
      .toEqual(new Set(['cloud-egress', 'cloud-snapshots']));
    for (const u of await usage()) {
      expect(u).toMatchObject({ status: 'accepted', subscription_id: vmSubscriptionId });
    }
    const egress = (await usage()).find((u) => u.meter_key === 'cloud-egress')!;
    expect(Number(egress.value)).toBeGreaterThan(0);
    // Nothing the broker sent was refused or quarantined.
    const [others] = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`select count(*)::int as n from usage_events where status <> 'accepted' and source = 'urn:portico:cloud-broker'`,
      ),
    );
    expect(others!.n).toBe(0);
  });

  it('keeps the usage account and meters as they are on a later start', async () => {
    const meters = async () =>
      rowsOf<{ key: string; unit: string }>(
        await t.database.db.execute(sql`select key, unit from meters order by key`),
      );
    const before = await meters();
    expect(before.map((m) => [m.key, m.unit])).toEqual([
      ['cloud-bucket-requests', 'request'],
      ['cloud-bucket-storage', 'GB-month'],
      ['cloud-database-storage', 'GB-month storage'],
      ['cloud-egress', 'GB egress'],
      ['cloud-snapshots', 'GB-month snapshot'],
    ]);
    // Every unit the private cloud's services price usage in has a meter.
    const priced = rowsOf<{ unit: string }>(
      await t.database.db.execute(
        sql`select distinct m->>'unit' as unit from plans p join services s on s.id = p.service_id,
            json_array_elements(p.metered_prices) m
            where s.slug in ('virtual-machine', 'managed-postgresql', 'object-storage')`,
      ),
    ).map((r) => r.unit);
    expect(priced.length).toBeGreaterThanOrEqual(4);
    expect(before.map((m) => m.unit)).toEqual(expect.arrayContaining(priced));
    expect(await t.database.transaction((tx) => configureDemoUsage(tx, t.deps.secrets))).toEqual({
      tokenLive: true,
    });
    expect(await meters()).toEqual(before);
    const [accounts] = rowsOf<{ n: number; tokens: number }>(
      await t.database.db.execute(
        sql`select count(distinct u.id)::int as n, count(k.id)::int as tokens
            from users u join api_tokens k on k.user_id = u.id where u.email = 'usage@portico.local'`,
      ),
    );
    expect(accounts).toEqual({ n: 1, tokens: 1 });
  });

  it('delivers a laptop through two manual steps of the workplace team', async () => {
    const fiona = await signIn(t.app, 'fulfiller@example.com', DEMO_PASSWORD);
    const placed = await rita.post(
      '/api/orders',
      {
        costCentre: 'CC-ENG-100',
        justification: 'My laptop is five years old',
        slaAccepted: true,
        lines: [{ service: 'laptop', plan: 'standard', options: { keyboardLayout: 'de' } }],
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(placed.status).toBe(201);
    for (const who of ['manager@example.com', 'owner@example.com']) {
      const approver = await signIn(t.app, who, DEMO_PASSWORD);
      for (const a of (await approver.get('/api/approvals')).body.items as { id: string }[])
        await approver.post(`/api/approvals/${a.id}/decision`, { decision: 'approve' });
    }
    const steps = async () => (await rita.get(`/api/orders/${placed.body.id}`)).body.lines[0].steps;
    const done: string[] = [];
    for (const outputs of [{ assetTag: 'IT-004711', serial: 'PF3X9K2L' }, {}]) {
      await t.jobs.drain();
      const task = (await fiona.get('/api/tasks')).body.items.find(
        (x: { order: { id: string } }) => x.order.id === placed.body.id,
      );
      done.push(task.title);
      expect((await fiona.post(`/api/tasks/${task.id}/complete`, { outputs })).status).toBe(200);
    }
    await t.jobs.drain();
    expect(done.map((title) => title.split(':')[0])).toEqual(['Prepare laptop', 'Hand over laptop']);
    expect((await steps()).map((s: { stage: string; status: string }) => [s.stage, s.status])).toEqual([
      ['provisioning', 'done'],
      ['configuring', 'done'],
    ]);
    const line = (await rita.get(`/api/orders/${placed.body.id}`)).body.lines[0];
    expect(line.status).toBe('delivered');
    expect((await rita.get(`/api/subscriptions/${line.subscriptionId}`)).body.outputs).toMatchObject({
      assetTag: 'IT-004711',
    });
  });
});
