// Catalogue management and catalogue as code: drafts, lifecycle, versions, YAML import and
// export with errors located in the file, and who may do it.
import { randomUUID } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPerson, TEST_PASSWORD } from '../src/modules/identity/identity.factory.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let manager: Client;
let requester: Client;

beforeAll(async () => {
  t = await testApp();
  w = await aWorld(t.database);
  const cm = await t.database.transaction((tx) =>
    aPerson(tx, { name: 'Cat Manager', roles: ['requester', 'catalog_manager'] }),
  );
  manager = await signIn(t.app, cm.email, TEST_PASSWORD);
  requester = await signIn(t.app, w.requester.email, w.password);
});
afterAll(() => t.close());

const plan = (slug: string, monthly: string, team: string, extra: object = {}) => ({
  slug,
  name: slug,
  monthlyPrice: monthly,
  leadTimeDays: 1,
  sla: { name: 'Gold', availability: '99.9%', supportHours: '24×7', responseHours: 1, resolutionHours: 8 },
  fulfilment: { steps: [{ type: 'manual', name: 'Do it', team, instructions: 'Do it well.', outputs: [] }] },
  ...extra,
});

const doc = (slug: string, extra: object = {}) => ({
  slug,
  name: `Service ${slug}`,
  kind: 'cloud',
  category: w.vm.category.slug,
  ownerTeam: w.team.key,
  plans: [plan('standard', '10.00', w.team.key)],
  ...extra,
});

describe('drafts, publishing and versions', () => {
  const slug = `draft-${randomUUID().slice(0, 6)}`;

  it('a new service is a draft that requesters cannot see, not even by slug', async () => {
    const created = await manager.put(`/api/catalog/services/${slug}`, doc(slug));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 'draft', version: 1, versions: [] });
    expect((await requester.get(`/api/services/${slug}`)).status).toBe(404);
    expect((await manager.get(`/api/services/${slug}`)).body.status).toBe('draft');
    const listed = await requester.get(`/api/services?q=${slug}`);
    expect(listed.body.items).toEqual([]);
    const order = await requester.post(
      '/api/orders',
      {
        costCentre: w.org.costCentre.code,
        justification: 'x',
        slaAccepted: true,
        lines: [{ service: slug, plan: 'standard' }],
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(order.body.errors[0]).toEqual({ path: 'lines.0.service', message: `no service ${slug}` });
  });

  it('publishing makes it visible; editing a published service makes a new version', async () => {
    const published = await manager.post(`/api/catalog/services/${slug}/publish`);
    expect(published.body).toMatchObject({ status: 'published', version: 1 });
    expect(published.body.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    expect((await requester.get(`/api/services/${slug}`)).body.version).toBe(1);

    const edited = await manager.put(`/api/catalog/services/${slug}`, {
      ...doc(slug),
      status: 'published',
      tagline: 'Now faster',
    });
    expect(edited.body).toMatchObject({ status: 'published', version: 2 });
    expect(edited.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const same = await manager.put(`/api/catalog/services/${slug}`, {
      ...doc(slug),
      status: 'published',
      tagline: 'Now faster',
    });
    expect(same.body.version).toBe(2);
  });

  it('an order keeps the version it bought', async () => {
    const order = await requester.post(
      '/api/orders',
      {
        costCentre: w.org.costCentre.code,
        justification: 'x',
        slaAccepted: true,
        lines: [{ service: slug, plan: 'standard' }],
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(order.body.lines[0].service.version).toBe(2);
    await manager.put(`/api/catalog/services/${slug}`, {
      ...doc(slug),
      status: 'published',
      plans: [plan('standard', '12.00', w.team.key)],
    });
    const again = await requester.get(`/api/orders/${order.body.id}`);
    expect(again.body.lines[0]).toMatchObject({ service: { version: 2 }, monthlyPrice: '10.000000000' });
    expect((await requester.get(`/api/services/${slug}`)).body.version).toBe(3);
  });

  it('retired: not orderable, gone from search, its page still there for owners, and can come back', async () => {
    await manager.post(`/api/catalog/services/${slug}/retire`);
    expect((await requester.get(`/api/services/${slug}`)).body.status).toBe('retired');
    expect((await requester.get(`/api/services?q=${slug}`)).body.items).toEqual([]);
    const order = await requester.post(
      '/api/orders',
      {
        costCentre: w.org.costCentre.code,
        justification: 'x',
        slaAccepted: true,
        lines: [{ service: slug, plan: 'standard' }],
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(order.body.errors[0].message).toContain('is retired');
    expect((await manager.post(`/api/catalog/services/${slug}/retire`)).status).toBe(409);
    expect((await manager.post(`/api/catalog/services/${slug}/publish`)).body.status).toBe('published');
  });

  it('names the bad field of a service document', async () => {
    const res = await manager.put('/api/catalog/services/bad-one', {
      ...doc('bad-one'),
      plans: [
        plan('standard', 'ten euros', w.team.key, {
          sla: { name: 'x', availability: 'high', supportHours: 'x', responseHours: 1, resolutionHours: 1 },
        }),
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'plans.0.monthlyPrice',
      'plans.0.sla.availability',
    ]);
    const team = await manager.put('/api/catalog/services/bad-two', {
      ...doc('bad-two'),
      ownerTeam: 'nobody',
    });
    expect(team.body.errors).toEqual([{ path: 'ownerTeam', message: 'no team nobody' }]);
  });

  it('only catalogue managers may write or see drafts', async () => {
    expect((await requester.put(`/api/catalog/services/${slug}`, doc(slug))).status).toBe(403);
    expect((await requester.get('/api/catalog/services')).status).toBe(403);
    expect((await requester.get('/api/catalog/export')).status).toBe(403);
  });
});

describe('catalogue as code', () => {
  const yamlPost = (client: Client, text: string, dryRun: boolean) =>
    client.post(`/api/catalog/import?dryRun=${dryRun}`, text, { 'content-type': 'application/yaml' });

  it('reports every problem with its line and column, and changes nothing', async () => {
    const text = [
      'categories:',
      '  - slug: fresh-cat',
      '    name: Fresh',
      '    parent: no-such-parent',
      'services:',
      `  - slug: broken-${randomUUID().slice(0, 4)}`,
      '    name: Broken',
      '    kind: cloud',
      '    category: fresh-cat',
      `    ownerTeam: ${w.team.key}`,
      '    alternatives: [ghost-service]',
      '    plans:',
      '      - slug: one',
      '        name: One',
      '        leadTimeDays: 1',
      '        monthlyPrice: "9.99"',
      '        sla: { name: S, availability: "99%", supportHours: x, responseHours: 1, resolutionHours: 2 }',
      '        fulfilment: { steps: [{ type: manual, name: t, team: no-team, instructions: i }] }',
      '',
    ].join('\n');
    const res = await yamlPost(manager, text, false);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      code: 'Invalid',
      detail: '3 problem(s) in the catalogue file; nothing was changed',
    });
    expect(res.body.errors).toEqual([
      { path: 'categories.0.parent', line: 4, column: 13, message: 'no category no-such-parent' },
      { path: 'services.0.alternatives.0', line: 11, column: 20, message: 'no service ghost-service' },
      {
        path: 'services.0.plans.0.fulfilment.steps.0.team',
        line: 18,
        column: 62,
        message: 'no team no-team',
      },
    ]);
    expect(res.body.changes).toEqual([]);
    const cats = await requester.get('/api/categories');
    expect(cats.body.items.map((c: { slug: string }) => c.slug)).not.toContain('fresh-cat');
  });

  it('reports schema and syntax errors where they are', async () => {
    const schema = await yamlPost(manager, 'services:\n  - slug: Not A Slug\n    name: x\n', true);
    expect(schema.body.errors[0]).toMatchObject({ path: 'services.0.slug', line: 2, column: 11 });
    const unknown = await yamlPost(manager, 'categories:\n  - slug: a\n    name: A\n    colour: red\n', true);
    expect(unknown.body.errors[0]).toMatchObject({ path: 'categories.0.colour', line: 4, column: 13 });
    const syntax = await yamlPost(manager, 'services: [\n  - a: b\n', true);
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0]).toMatchObject({
      path: '',
      line: expect.any(Number),
      column: expect.any(Number),
    });
  });

  it('round-trips: export, import is a no-op, export again is the same text', async () => {
    const exported = await manager.get('/api/catalog/export');
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('application/yaml');
    const dry = await yamlPost(manager, exported.body, true);
    expect(dry.body.errors).toEqual([]);
    expect(dry.body.changes.every((c: { action: string }) => c.action === 'unchanged')).toBe(true);
    const applied = await yamlPost(manager, exported.body, false);
    expect(applied.status).toBe(200);
    expect((await manager.get('/api/catalog/export')).body).toBe(exported.body);
  });

  it('dry run shows a diff and changes nothing; the real run upserts by slug', async () => {
    const exported = parse((await manager.get('/api/catalog/export')).body);
    const target = exported.services.find((s: { slug: string }) => s.slug === w.vm.service.slug);
    target.tagline = 'Ready tomorrow morning';
    const newSlug = `new-${randomUUID().slice(0, 6)}`;
    exported.services.push({ ...doc(newSlug), status: 'published', alternatives: [w.vm.service.slug] });
    target.alternatives = [newSlug];
    const text = stringify(exported);

    const dry = await yamlPost(manager, text, true);
    const change = (slug: string) => dry.body.changes.find((c: { slug: string }) => c.slug === slug);
    expect(change(w.vm.service.slug)).toMatchObject({
      action: 'update',
      diff: expect.stringContaining('+tagline: Ready tomorrow morning'),
    });
    expect(change(newSlug)).toMatchObject({ action: 'create' });
    expect((await requester.get(`/api/services/${newSlug}`)).status).toBe(404);

    expect((await yamlPost(manager, text, false)).status).toBe(200);
    const vm = await requester.get(`/api/services/${w.vm.service.slug}`);
    expect(vm.body.tagline).toBe('Ready tomorrow morning');
    expect(vm.body.alternatives.map((a: { slug: string }) => a.slug)).toEqual([newSlug]);
    const fresh = await requester.get(`/api/services/${newSlug}`);
    expect(fresh.body.alternatives.map((a: { slug: string }) => a.slug)).toEqual([w.vm.service.slug]);
  });
});
