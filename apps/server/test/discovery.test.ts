// Search (typo tolerant, prefix as you type, ranked by relevance then popularity), facets,
// the storefront, comparison, and option forms checked at checkout.
import { randomUUID } from 'node:crypto';
import type { ServiceDocumentInput } from '@portico/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/platform/actor.ts';
import { positional, rowsOf } from '../src/platform/db.ts';
import { aCategory, aServiceDocument } from '../src/modules/catalog/catalog.factory.ts';
import { linkAlternatives } from '../src/modules/catalog/index.ts';
import { moveService, saveServiceDocument } from '../src/workflows/catalog.workflow.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let requester: Client;
const tag = randomUUID().slice(0, 4);
const slug = (s: string) => `${s}-${tag}`;

const sla = (availability: string, responseHours: number) => ({
  name: 'SLA',
  availability,
  supportHours: '24×7',
  responseHours,
  resolutionHours: 8,
});

beforeAll(async () => {
  t = await testApp();
  w = await aWorld(t.database);
  requester = await signIn(t.app, w.requester.email, w.password);
  await t.database.transaction(async (tx) => {
    const databases = await aCategory(tx, slug('databases'));
    const sql = await aCategory(tx, slug('sql'), databases.slug);
    const containers = await aCategory(tx, slug('containers'));
    const team = w.team.key;
    const save = (doc: Parameters<typeof aServiceDocument>[0]) =>
      saveServiceDocument(tx, systemActor('test'), aServiceDocument(doc), true);
    const fulfilment = {
      steps: [{ type: 'manual' as const, name: 't', team, instructions: 'i', outputs: [] }],
    };
    await save({
      name: 'Managed PostgreSQL',
      slug: slug('managed-postgresql'),
      category: sql.slug,
      team,
      tags: ['postgres', 'database', 'sql'],
      tagline: 'A database with backups done for you',
      featured: true,
      alternatives: [slug('dba-database')],
      plans: [
        {
          slug: 'dev',
          name: 'Dev',
          monthlyPrice: '45.00',
          leadTimeDays: 1,
          sla: sla('99.5%', 4),
          features: ['20 GB'],
          fulfilment,
        },
        {
          slug: 'prod',
          name: 'Prod',
          monthlyPrice: '290.00',
          leadTimeDays: 2,
          sla: sla('99.9%', 1),
          features: ['HA'],
          fulfilment,
        },
      ],
    });
    await save({
      name: 'Database on a dedicated server',
      slug: slug('dba-database'),
      kind: 'legacy',
      category: sql.slug,
      team,
      tags: ['oracle', 'database', 'postgres'],
      alternatives: [slug('managed-postgresql')],
      plans: [
        {
          slug: 'standard',
          name: 'Standard',
          oneTimePrice: '3500.00',
          monthlyPrice: '480.00',
          leadTimeDays: 25,
          sla: sla('99.5%', 4),
          fulfilment,
        },
      ],
    });
    await linkAlternatives(tx, slug('managed-postgresql'), [slug('dba-database')]);
    await save({
      name: 'Kubernetes Namespace',
      slug: slug('kubernetes-namespace'),
      category: containers.slug,
      team,
      tags: ['k8s'],
    });
    await save({
      name: 'Virtual Desktop',
      slug: slug('virtual-desktop'),
      category: containers.slug,
      team,
      description: 'Comes with a postgres client preinstalled.',
    });
    await save({
      name: 'Kubernetes Cluster Preview',
      slug: slug('kubernetes-preview'),
      category: sql.slug,
      team,
      tags: ['postgres', 'k8s'],
      status: 'draft',
    });
  });
});
afterAll(() => t.close());

const search = async (query: string) => (await requester.get(`/api/services?${query}`)).body;
const slugs = (r: { items: { slug: string }[] }) => r.items.map((i) => i.slug);

describe('search', () => {
  it('forgives typos: "postgress" finds Managed PostgreSQL first', async () => {
    expect(slugs(await search('q=postgress'))[0]).toBe(slug('managed-postgresql'));
    expect(slugs(await search('q=kubernets'))).toEqual([slug('kubernetes-namespace')]);
    expect(slugs(await search('q=kubrnetes'))).toEqual([slug('kubernetes-namespace')]);
    // A short word must be closer than a long one to count as a typo.
    expect(slugs(await search('q=cold'))).toEqual([]);
  });

  it('corrects each misspelt word of a longer query, keeping the words found as typed', async () => {
    expect(slugs(await search('q=managed%20postgress'))[0]).toBe(slug('managed-postgresql'));
    expect(slugs(await search('q=managd%20postgress'))[0]).toBe(slug('managed-postgresql'));
    expect(slugs(await search('q=virtul%20desktp'))).toEqual([slug('virtual-desktop')]);
    expect(slugs(await search('q=kubernets%20namespa'))).toEqual([slug('kubernetes-namespace')]);
    // Every word must match: a correct word with nothing to go with it finds nothing.
    expect(slugs(await search('q=kubernets%20desktop'))).toEqual([]);
  });

  it('forgives a typo in a word only the description has', async () => {
    expect(slugs(await search('q=preinstaled'))).toEqual([slug('virtual-desktop')]);
  });

  it('forgets the words of services that are no longer published or no longer have them', async () => {
    const word = `zeppelin${tag}`;
    const typo = `zepelin${tag}`;
    const words = async () =>
      rowsOf<{ word: string }>(
        await t.database.db.execute(positional('select word from search_words where word = $1', [word])),
      );
    const save = (name: string, description: string, status: 'published' | 'retired' = 'published') =>
      t.database.transaction((tx) =>
        saveServiceDocument(
          tx,
          systemActor('test'),
          aServiceDocument({
            name,
            slug: slug(name.toLowerCase()),
            category: w.vm.category.slug,
            team: w.team.key,
            description,
            status,
          }),
        ),
      );
    await save('Airship', `Flies a ${word} over the campus.`);
    await save('Blimp', `Also a ${word}.`);
    expect(slugs(await search(`q=${typo}`)).sort()).toEqual([slug('airship'), slug('blimp')]);

    // Another published service still has the word: it stays.
    await t.database.transaction((tx) => moveService(tx, systemActor('test'), slug('airship'), 'retired'));
    expect(slugs(await search(`q=${typo}`))).toEqual([slug('blimp')]);
    expect(await words()).toHaveLength(1);

    // The last one loses it: it goes, and the typo finds nothing.
    await save('Blimp', 'A balloon with an engine.');
    expect(await words()).toEqual([]);
    expect(slugs(await search(`q=${typo}`))).toEqual([]);
    expect(slugs(await search('q=baloon'))).toEqual([slug('blimp')]);
  });

  it('matches prefixes as you type', async () => {
    expect(slugs(await search('q=kube'))).toEqual([slug('kubernetes-namespace')]);
    expect(slugs(await search('q=manag%20postg'))[0]).toBe(slug('managed-postgresql'));
  });

  it('ranks a name match over a tag match over a description match', async () => {
    const found = slugs(await search(`q=postgres&category=${slug('databases')}`));
    expect(found).toEqual([slug('managed-postgresql'), slug('dba-database')]);
    const anywhere = slugs(await search('q=postgres'));
    expect(anywhere.indexOf(slug('virtual-desktop'))).toBeGreaterThan(anywhere.indexOf(slug('dba-database')));
  });

  it('breaks ties by popularity', async () => {
    const order = (service: string) =>
      requester.post(
        '/api/orders',
        {
          costCentre: w.org.costCentre.code,
          justification: 'x',
          slaAccepted: true,
          lines: [{ service, plan: 'standard' }],
        },
        { 'idempotency-key': randomUUID() },
      );
    expect((await order(slug('dba-database'))).status).toBe(201);
    await t.jobs.drain(); // orders are counted by a job
    const byPopularity = slugs(await search(`category=${slug('sql')}`));
    expect(byPopularity).toEqual([slug('dba-database'), slug('managed-postgresql')]);
    expect((await search(`category=${slug('sql')}`)).items[0].popularity).toBe(1);
  });

  it('lists a parent category’s sub-categories’ services and counts them', async () => {
    expect(slugs(await search(`category=${slug('databases')}`)).sort()).toEqual(
      [slug('dba-database'), slug('managed-postgresql')].sort(),
    );
    const categories = (await requester.get('/api/categories')).body.items;
    expect(categories.find((c: { slug: string }) => c.slug === slug('databases'))).toMatchObject({
      serviceCount: 2,
      parent: null,
    });
    expect(categories.find((c: { slug: string }) => c.slug === slug('sql'))).toMatchObject({
      parent: slug('databases'),
    });
  });

  it('filters by facets and counts each facet as if its own filter were off', async () => {
    const result = await search(`q=database&kind=cloud`);
    expect(slugs(result)).toEqual([slug('managed-postgresql')]);
    expect(result.facets.kind).toEqual([
      { value: 'cloud', label: 'Cloud', count: 1 },
      { value: 'legacy', label: 'Legacy', count: 1 },
    ]);
    expect(result.facets.price).toEqual([{ value: 'under-50', label: 'Under 50 a month', count: 1 }]);
    expect(result.facets.category).toEqual([
      { value: slug('databases'), label: `Category ${slug('databases')}`, count: 1 },
      { value: slug('sql'), label: `Category ${slug('sql')}`, count: 1 },
    ]);
    expect(result.facets.leadTime).toEqual([{ value: '1-day', label: 'Next business day', count: 1 }]);
    const slow = await search('q=database&leadTime=longer');
    expect(slugs(slow)).toEqual([slug('dba-database')]);
    expect((await search('q=database&price=over-500')).total).toBe(0);
  });

  it('counts a category listing’s category facet as if no category were chosen', async () => {
    const listing = await search(`category=${slug('sql')}`);
    expect(slugs(listing).sort()).toEqual([slug('dba-database'), slug('managed-postgresql')].sort());
    const counts = (r: { facets: { category: { value: string; count: number }[] } }) =>
      Object.fromEntries(
        r.facets.category
          .filter((c) => [slug('databases'), slug('sql'), slug('containers')].includes(c.value))
          .map((c) => [c.value, c.count]),
      );
    expect(counts(listing)).toEqual({ [slug('databases')]: 2, [slug('sql')]: 2, [slug('containers')]: 2 });
    // The other filters still apply to it, and the category filter to the other facets.
    const legacy = await search(`category=${slug('databases')}&kind=legacy`);
    expect(slugs(legacy)).toEqual([slug('dba-database')]);
    expect(counts(legacy)).toEqual({ [slug('databases')]: 1, [slug('sql')]: 1 });
    expect(legacy.facets.kind).toEqual([
      { value: 'cloud', label: 'Cloud', count: 1 },
      { value: 'legacy', label: 'Legacy', count: 1 },
    ]);
    expect(legacy.total).toBe(1);
  });

  it('never shows drafts to requesters: not in results, totals or facets', async () => {
    expect(slugs(await search('q=kubernetes'))).toEqual([slug('kubernetes-namespace')]);
    expect(slugs(await search('q=kubernets'))).toEqual([slug('kubernetes-namespace')]);
    expect(slugs(await search('q=preview'))).toEqual([]);
    const listing = await search(`category=${slug('sql')}`);
    expect(listing.total).toBe(2);
    expect(listing.facets.category.find((c: { value: string }) => c.value === slug('sql')).count).toBe(2);
    expect(slugs(await search(`q=postgres&category=${slug('sql')}`))).not.toContain(
      slug('kubernetes-preview'),
    );
  });

  it('pages through results with a cursor', async () => {
    const first = await search('limit=2');
    const second = await search(`limit=2&cursor=${first.nextCursor}`);
    expect(first.items).toHaveLength(2);
    expect(slugs(second).some((s) => slugs(first).includes(s))).toBe(false);
    expect((await requester.get('/api/services?cursor=bm90LWEtbnVtYmVy')).status).toBe(400);
  });

  it('answers nonsense with nothing, not an error', async () => {
    const none = await search('q=%3A%2A%26%7C!');
    expect(none).toMatchObject({ items: [], total: 0 });
  });
});

describe('storefront and product page', () => {
  it('shows featured, new, most requested and categories', async () => {
    const home = (await requester.get('/api/storefront')).body;
    expect(slugs({ items: home.featured })).toContain(slug('managed-postgresql'));
    expect(home.newest.length).toBeGreaterThan(0);
    expect(home.popular[0].popularity).toBeGreaterThanOrEqual(home.popular.at(-1).popularity);
    expect(home.categories.length).toBeGreaterThan(0);
  });

  it('renders the description safely and links the alternatives', async () => {
    const page = (await requester.get(`/api/services/${slug('virtual-desktop')}`)).body;
    expect(page.descriptionHtml).toBe('<p>Comes with a postgres client preinstalled.</p>\n');
    const pg = (await requester.get(`/api/services/${slug('managed-postgresql')}`)).body;
    expect(pg.alternatives.map((a: { slug: string }) => a.slug)).toEqual([slug('dba-database')]);
    expect(pg.plans[0]).toMatchObject({ firstYearCost: '540.000000000', quota: { perPerson: null } });
  });
});

describe('compare', () => {
  it('puts cloud and legacy side by side with the differences and a verdict', async () => {
    const res = await requester.get(
      `/api/compare?services=${slug('managed-postgresql')},${slug('dba-database')}`,
    );
    expect(res.status).toBe(200);
    const row = (key: string) => res.body.rows.find((r: { key: string }) => r.key === key);
    expect(row('firstYear')).toMatchObject({ values: ['€540.00', '€9,260.00'], differs: true, best: 0 });
    expect(row('leadTime')).toMatchObject({ values: ['1 business day', '25 business days'], best: 0 });
    expect(row('supportHours')).toMatchObject({ differs: false, best: null });
    // (9260 - 540) / 9260 = 94.2% → 94%
    expect(res.body.verdict).toBe(
      'Managed PostgreSQL: ready the next business day, 94% cheaper over a year than Database on a dedicated server.',
    );
  });

  it('compares chosen plans and says when the cheapest is not the fastest', async () => {
    const res = await requester.get(
      `/api/compare?services=${slug('managed-postgresql')}:prod,${slug('kubernetes-namespace')}:small`,
    );
    expect(res.body.items.map((i: { plan: { slug: string } }) => i.plan.slug)).toEqual(['prod', 'small']);
    expect(res.body.verdict).toBe(
      'Kubernetes Namespace: ready the next business day, 87% cheaper over a year than Managed PostgreSQL.',
    );
  });

  it('names what is wrong with the request', async () => {
    const one = await requester.get(`/api/compare?services=${slug('kubernetes-namespace')}`);
    expect(one.body.errors[0]).toEqual({ path: 'query.services', message: 'name 2 to 4 services' });
    const ghost = await requester.get(`/api/compare?services=${slug('kubernetes-namespace')},ghost`);
    expect(ghost.body.errors[0]).toEqual({ path: 'query.services.1', message: 'no published service ghost' });
  });
});

describe('request options at checkout', () => {
  const options: ServiceDocumentInput['options'] = {
    type: 'object',
    required: ['hostname'],
    properties: {
      hostname: {
        type: 'string',
        title: 'Hostname',
        pattern: '^[a-z][a-z0-9-]{2,30}$',
        'x-patternHint': 'lower-case, 3–31 characters',
      },
      extraDiskGb: {
        type: 'integer',
        title: 'Extra disk',
        minimum: 0,
        maximum: 500,
        multipleOf: 10,
        unit: 'GB',
        default: 0,
        'x-price': { perUnit: { monthly: '0.10' } },
      },
      os: {
        type: 'string',
        title: 'OS',
        enum: ['linux', 'windows'],
        'x-enumLabels': ['Ubuntu Linux', 'Windows Server'],
        default: 'linux',
        'x-price': { byValue: { windows: { monthly: '15.00', oneTime: '5' } } },
      },
    },
  };
  let vm: string;
  beforeAll(async () => {
    vm = slug('vm-with-options');
    await t.database.transaction((tx) =>
      saveServiceDocument(
        tx,
        systemActor('test'),
        aServiceDocument({ name: 'VM', slug: vm, category: w.vm.category.slug, team: w.team.key, options }),
      ),
    );
  });
  const order = (opts: object) =>
    requester.post(
      '/api/orders',
      {
        costCentre: w.org.costCentre.code,
        justification: 'x',
        slaAccepted: true,
        lines: [{ service: vm, plan: 'small', options: opts, quantity: 2 }],
      },
      { 'idempotency-key': randomUUID() },
    );

  it('validates on the server, naming each field', async () => {
    const res = await order({ hostname: 'X', extraDiskGb: 15, colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'lines.0.options.colour', message: 'is not an option of this service' },
      { path: 'lines.0.options.hostname', message: 'lower-case, 3–31 characters' },
      { path: 'lines.0.options.extraDiskGb', message: 'must be in steps of 10' },
    ]);
  });

  it('prices the options into the line, per unit', async () => {
    const res = await order({ hostname: 'web-01', extraDiskGb: 50, os: 'windows' });
    expect(res.status).toBe(201);
    // 38.00 + 50 × 0.10 + 15.00 = 58.00 a month; 5.00 once
    expect(res.body.lines[0]).toMatchObject({
      options: { hostname: 'web-01', extraDiskGb: 50, os: 'windows' },
      // Named as the form named them in the version bought, kept with the line.
      optionsShown: [
        { key: 'hostname', label: 'Hostname', value: 'web-01' },
        { key: 'extraDiskGb', label: 'Extra disk', value: '50 GB' },
        { key: 'os', label: 'OS', value: 'Windows Server' },
      ],
      monthlyPrice: '58.000000000',
      oneTimePrice: '5.000000000',
      quantity: 2,
    });
  });
});
