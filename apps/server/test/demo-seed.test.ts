// The demo portal a new user meets: seeded once, with a catalogue big enough to browse, in
// which a Postgres database is found by typing "postgress" and cloud is compared with legacy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoOnce } from '../src/seed/demo.seed.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';

let t: TestApp;
let rita: Client;
let seeded: boolean;

beforeAll(async () => {
  t = await testApp();
  seeded = await seedDemoOnce(t.database);
  rita = await signIn(t.app, 'requester@example.com', DEMO_PASSWORD);
});
afterAll(() => t.close());

describe('the demo seed', () => {
  it('seeds once: a restart changes nothing', async () => {
    expect(seeded).toBe(true);
    expect(await seedDemoOnce(t.database)).toBe(false);
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
});
