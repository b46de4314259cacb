// The demo portal a new user meets: seeded once, with a catalogue big enough to browse, in
// which a Postgres database is found by typing "postgress" and cloud is compared with legacy.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@portico/cloud-broker';
import { DEMO_BROKER, DEMO_PASSWORD, seedDemoOnce } from '../src/seed/demo.seed.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';

let t: TestApp;
let rita: Client;
let seeded: boolean;
let broker: RunningBroker;

beforeAll(async () => {
  t = await testApp();
  broker = await startBroker({ ...DEMO_BROKER, timeScale: 0.001 });
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
