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

  it('provisions a VM through the private cloud’s broker, then hands it to the cloud team', async () => {
    const max = await signIn(t.app, 'manager@example.com', DEMO_PASSWORD);
    const fiona = await signIn(t.app, 'fulfiller@example.com', DEMO_PASSWORD);
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
    const steps = async () => (await rita.get(`/api/orders/${placed.body.id}`)).body.lines[0].steps;
    for (let i = 0; i < 20 && (await steps())[0]?.status !== 'done'; i++) {
      await t.database.db.execute(
        sql`update pgboss.job set start_after = now() where state in ('created', 'retry')`,
      );
      await t.jobs.drain();
    }
    expect(
      (await steps()).map((s: { name: string; status: string; by: string }) => [s.name, s.status, s.by]),
    ).toEqual([
      ['Create the VM', 'done', 'Private cloud'],
      ['Hand over the VM', 'waiting', 'Cloud Platform Operations'],
    ]);
    const task = (await fiona.get('/api/tasks')).body.items.find(
      (x: { order: { id: string } }) => x.order.id === placed.body.id,
    );
    expect(task.title).toMatch(/^Hand over the VM: Virtual Machine · Small/);
  });
});
