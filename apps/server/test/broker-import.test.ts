// Import from broker: the simulated cloud broker's catalogue (over real HTTP) becomes catalogue
// drafts through the catalogue's own import: checked first, a dry run that changes nothing,
// upsert by slug, all or nothing, never over a published service; and a broker that cannot be
// read is a 502 that names the adapter.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBroker, type RunningBroker } from '@portico/cloud-broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCategory } from '../src/modules/catalog/catalog.factory.ts';
import { aPerson, aTeam } from '../src/modules/identity/identity.factory.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

const USER = 'portico';
const PASSWORD = 'broker-secret';

let t: TestApp;
let w: World;
let broker: RunningBroker;
let as: Record<'requester' | 'catalog' | 'admin', Client>;
let category: string;
let otherTeam: string;

/** A broker whose catalogue has what an order form cannot ask for (and a usage-based price). */
let odd: Server;
const oddCatalog = {
  services: [
    {
      id: 'dns-zone-id',
      name: 'dns-zone',
      description: 'A DNS zone',
      bindable: false,
      plans: [
        {
          id: 'dns-basic-id',
          name: 'basic',
          description: 'One zone',
          free: false,
          metadata: {
            costs: [
              { amount: { eur: 3 }, unit: 'MONTHLY' },
              { amount: { eur: 0.4 }, unit: 'PER_MILLION_QUERIES' },
            ],
          },
          schemas: {
            service_instance: {
              create: {
                parameters: {
                  type: 'object',
                  properties: {
                    zone: { type: 'string', title: 'Zone name', pattern: '^[a-z.]+$' },
                    records: { anyOf: [{ type: 'string' }, { type: 'array' }] },
                  },
                  required: ['zone'],
                },
              },
            },
          },
        },
      ],
    },
  ],
};

beforeAll(async () => {
  broker = await startBroker({ username: USER, password: PASSWORD, timeScale: 0.001 });
  odd = createServer((req, res) => {
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"description":"bad credentials"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(oddCatalog));
  });
  await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));

  t = await testApp();
  w = await aWorld(t.database);
  const people = await t.database.transaction(async (tx) => {
    const admin = await aPerson(tx, { name: 'Ada Admin', roles: ['requester', 'admin'] });
    const catalog = await aPerson(tx, { name: 'Cato Catalogue', roles: ['requester', 'catalog_manager'] });
    const databases = await aCategory(tx, 'databases');
    const team = await aTeam(tx, []);
    return { admin, catalog, databases, team };
  });
  category = people.databases.slug;
  otherTeam = people.team.key;
  as = {
    requester: await signIn(t.app, w.requester.email, w.password),
    catalog: await signIn(t.app, people.catalog.email, w.password),
    admin: await signIn(t.app, people.admin.email, w.password),
  };
  const adapter = (url: string, password = PASSWORD) => ({
    name: 'Private cloud',
    type: 'osb',
    url,
    username: USER,
    secret: password,
    team: w.team.key,
    timeoutMs: 2_000,
  });
  const closedPort = await freePort();
  for (const [key, body] of [
    ['private-cloud', adapter(broker.url)],
    ['wrong-password', adapter(broker.url, 'not-the-password')],
    ['nobody-home', adapter(`http://127.0.0.1:${closedPort}`)],
    ['odd-broker', adapter(`http://127.0.0.1:${(odd.address() as AddressInfo).port}`)],
    [
      'dns',
      { name: 'DNS', type: 'webhook', url: 'http://127.0.0.1:9/hooks', secret: 'whsec_x', team: w.team.key },
    ],
  ] as const) {
    expect((await as.admin.put(`/api/fulfilment/adapters/${key}`, body)).status).toBe(200);
  }
});
afterAll(async () => {
  await t.close();
  await broker.close();
  await new Promise((resolve) => odd.close(resolve));
});

/** A port nothing listens on: one the system gave out and took back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const importFrom = (
  client: Client,
  key: string,
  body: {
    dryRun?: boolean;
    category?: string;
    ownerTeam?: string;
    services: { name: string; slug?: string }[];
  },
) => client.post(`/api/fulfilment/adapters/${key}/catalog`, { category, ownerTeam: w.team.key, ...body });

describe('a broker’s catalogue, shown before importing', () => {
  it('lists the services with their plans, prices and the order form they would get', async () => {
    const res = await as.catalog.get('/api/fulfilment/adapters/private-cloud/catalog');
    expect(res.status).toBe(200);
    expect(res.body.adapter).toEqual({ key: 'private-cloud', name: 'Private cloud', url: broker.url });
    expect(res.body.services.map((s: { name: string }) => s.name)).toEqual([
      'virtual-machine',
      'managed-postgresql',
      'object-storage',
    ]);
    const vm = res.body.services[0];
    expect(vm.plans[0]).toMatchObject({ name: 'small', currency: 'EUR', monthlyPrice: '38.00' });
    expect(vm.options.properties.hostname).toMatchObject({ type: 'string', title: 'Hostname' });
    expect(res.body.skipped).toEqual([]);
  });

  it('is for admins and catalogue managers only', async () => {
    const res = await as.requester.get('/api/fulfilment/adapters/private-cloud/catalog');
    expect(res.status).toBe(403);
    expect(
      (
        await as.requester.post('/api/fulfilment/adapters/private-cloud/catalog', {
          category,
          ownerTeam: w.team.key,
          services: [{ name: 'object-storage' }],
        })
      ).status,
    ).toBe(403);
  });

  it('names the adapter when the broker refuses the credentials or does not answer', async () => {
    const refused = await as.admin.get('/api/fulfilment/adapters/wrong-password/catalog');
    expect(refused.status).toBe(502);
    expect(refused.body.detail).toMatch(/Private cloud \(wrong-password\).*401.*username and password/);
    const away = await as.admin.get('/api/fulfilment/adapters/nobody-home/catalog');
    expect(away.status).toBe(502);
    expect(away.body.detail).toMatch(/nobody-home.*could not reach the broker/);
    const webhook = await as.admin.get('/api/fulfilment/adapters/dns/catalog');
    expect(webhook.status).toBe(400);
    expect(webhook.body.errors).toEqual([{ path: 'key', message: expect.stringMatching(/webhook adapter/) }]);
    expect((await as.admin.get('/api/fulfilment/adapters/nothing-here/catalog')).status).toBe(404);
    // An import against a broker that cannot be read stops there too.
    const imported = await importFrom(as.catalog, 'nobody-home', { services: [{ name: 'object-storage' }] });
    expect(imported.status).toBe(502);
  });

  it('reports what the order form leaves out', async () => {
    const res = await as.catalog.get('/api/fulfilment/adapters/odd-broker/catalog');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.services[0].options.properties)).toEqual(['zone']);
    expect(res.body.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          service: 'dns-zone',
          field: 'records',
          reason: expect.stringMatching(/anyOf/),
        }),
        expect.objectContaining({ service: 'dns-zone', plan: 'basic', field: 'costs' }),
      ]),
    );
  });
});

describe('importing a broker’s services as drafts', () => {
  it('shows the changes on a dry run and writes nothing', async () => {
    const res = await importFrom(as.catalog, 'private-cloud', {
      dryRun: true,
      services: [{ name: 'managed-postgresql' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      errors: [],
      services: [{ broker: 'managed-postgresql', slug: 'managed-postgresql' }],
      changes: [{ kind: 'service', slug: 'managed-postgresql', action: 'create' }],
    });
    expect((await as.catalog.get('/api/catalog/services/managed-postgresql')).status).toBe(404);
  });

  it('creates drafts delivered by the broker, which requesters do not see, and is idempotent', async () => {
    const res = await importFrom(as.catalog, 'private-cloud', {
      services: [{ name: 'managed-postgresql' }, { name: 'object-storage' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.changes.map((c: { slug: string; action: string }) => [c.slug, c.action])).toEqual([
      ['managed-postgresql', 'create'],
      ['object-storage', 'create'],
    ]);

    const draft = await as.catalog.get('/api/catalog/services/managed-postgresql');
    expect(draft.status).toBe(200);
    expect(draft.body.status).toBe('draft');
    expect(draft.body.document).toMatchObject({ category, ownerTeam: w.team.key, kind: 'cloud' });
    expect(draft.body.document.options.required).toEqual(['databaseName']);
    expect(draft.body.document.plans[0].fulfilment.steps).toEqual([
      expect.objectContaining({ type: 'osb', adapter: 'private-cloud', service: 'managed-postgresql' }),
    ]);
    expect((await as.requester.get('/api/services/managed-postgresql')).status).toBe(404);

    const again = await importFrom(as.catalog, 'private-cloud', {
      services: [{ name: 'managed-postgresql' }, { name: 'object-storage' }],
    });
    expect(again.status).toBe(200);
    expect(again.body.changes.map((c: { action: string }) => c.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('updates a draft with a diff of what changes', async () => {
    const res = await importFrom(as.catalog, 'private-cloud', {
      dryRun: true,
      ownerTeam: otherTeam,
      services: [{ name: 'object-storage' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.changes[0]).toMatchObject({ slug: 'object-storage', action: 'update' });
    expect(res.body.changes[0].diff).toContain(`-ownerTeam: ${w.team.key}`);
    expect(res.body.changes[0].diff).toContain(`+ownerTeam: ${otherTeam}`);
  });

  it('never writes over a published service, and nothing at all while anything is wrong', async () => {
    expect((await as.catalog.post('/api/catalog/services/managed-postgresql/publish')).status).toBe(200);
    const res = await importFrom(as.catalog, 'private-cloud', {
      services: [{ name: 'virtual-machine' }, { name: 'managed-postgresql' }],
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.errors).toEqual([
      { path: 'services.1.slug', message: expect.stringMatching(/published service .*another slug/) },
    ]);
    expect(res.body.changes).toEqual([]);
    expect((await as.catalog.get('/api/catalog/services/virtual-machine')).status).toBe(404);
    expect((await as.catalog.get('/api/catalog/services/managed-postgresql')).body.status).toBe('published');

    const renamed = await importFrom(as.catalog, 'private-cloud', {
      services: [{ name: 'managed-postgresql', slug: 'managed-postgresql-next' }],
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.changes).toEqual([
      expect.objectContaining({ slug: 'managed-postgresql-next', action: 'create' }),
    ]);
  });

  it('names the field of every problem once', async () => {
    const res = await importFrom(as.catalog, 'private-cloud', {
      category: 'no-such-category',
      ownerTeam: 'no-such-team',
      services: [{ name: 'virtual-machine' }, { name: 'mainframe' }, { name: 'virtual-machine' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'category', message: 'no category no-such-category' },
      { path: 'ownerTeam', message: 'no team no-such-team' },
      { path: 'services.1.name', message: 'Private cloud offers no service mainframe' },
      { path: 'services.2.name', message: 'virtual-machine is chosen twice' },
    ]);
    expect((await as.catalog.get('/api/catalog/services/virtual-machine')).status).toBe(404);

    const badSlug = await importFrom(as.catalog, 'private-cloud', {
      services: [{ name: 'object-storage', slug: 'Bad Slug' }],
    });
    expect(badSlug.status).toBe(400);
    expect(badSlug.body.errors).toEqual([
      { path: 'services.0.slug', message: expect.stringMatching(/lower-case words/) },
    ]);
    const none = await importFrom(as.catalog, 'private-cloud', { services: [] });
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([{ path: 'services', message: 'choose at least one service' }]);
  });

  it('reports with the import what the drafts leave out', async () => {
    const res = await importFrom(as.catalog, 'odd-broker', { services: [{ name: 'dns-zone' }] });
    expect(res.status).toBe(200);
    expect(res.body.changes).toEqual([expect.objectContaining({ slug: 'dns-zone', action: 'create' })]);
    expect(res.body.skipped.map((s: { field: string }) => s.field)).toEqual(
      expect.arrayContaining(['records', 'costs']),
    );
    const draft = await as.catalog.get('/api/catalog/services/dns-zone');
    expect(draft.body.document.plans[0]).toMatchObject({ monthlyPrice: '3.00', currency: 'EUR' });
  });
});
