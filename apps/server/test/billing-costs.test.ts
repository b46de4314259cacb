// What owners and finance see of the bill. One VM on the world's cost centre (owned by the
// manager) from 10 Sep 2026 at 38.00 a month, moving 100 GB in September, 50 GB in October and
// 30 GB in November at 0.10 a GB; September is closed, October has ended but is open, and the
// running month is looked at on 15 Nov 00:00 UTC. A budget of 600 a year (50.00 a month).
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costCentreCosts, listCostCentreCosts } from '../src/modules/billing/billing.costs.ts';
import { closeMonth, draftStatement, usageCostSoFar } from '../src/modules/billing/billing.service.ts';
import { rowsOf } from '../src/platform/db.ts';
import { aPerson } from '../src/modules/identity/identity.factory.ts';
import { aDepartmentWithCostCentre } from '../src/modules/org/org.factory.ts';
import { aSubscriptionDelivered, rewriteHistory } from './deliveries.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { reportUsage } from './usage.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let as: Record<'requester' | 'manager' | 'fulfiller' | 'finance' | 'admin' | 'reporter', Client>;
let vm: string;
let other: { id: string; code: string };
const NOV_15 = new Date('2026-11-15T00:00:00Z');

const report = (token: string, time: string, gb: string) =>
  reportUsage(t, token, { type: 'com.example.transfer', subscriptionId: vm, time, data: { gb } });

beforeAll(async () => {
  t = await testApp();
  w = await aWorld(t.database);
  const [finance, admin, reporter, org2] = await t.database.transaction(async (tx) => [
    await aPerson(tx, { name: 'Fin Finance', roles: ['requester', 'finance'] }),
    await aPerson(tx, { name: 'Ada Admin', roles: ['requester', 'admin'] }),
    await aPerson(tx, { name: 'Cloud Broker', roles: ['usage_reporter'] }),
    await aDepartmentWithCostCentre(tx, null),
  ]);
  other = org2.costCentre;
  as = {
    requester: await signIn(t.app, w.requester.email, w.password),
    manager: await signIn(t.app, w.manager.email, w.password),
    fulfiller: await signIn(t.app, w.fulfiller.email, w.password),
    finance: await signIn(t.app, finance.email, w.password),
    admin: await signIn(t.app, admin.email, w.password),
    reporter: await signIn(t.app, reporter.email, w.password),
  };
  vm = await aSubscriptionDelivered(t, w, as, { justification: 'Costs', outputs: { hostname: 'vm-01' } });
  await rewriteHistory(t, w, vm, [{ kind: 'start', at: '2026-09-10T00:00:00Z', monthlyPrice: '38.00' }]);
  expect(
    (
      await as.finance.put(`/api/cost-centres/${w.org.costCentre.code}/budgets/2026`, {
        currency: 'EUR',
        annualAmount: '600',
        onOverrun: 'warn',
      })
    ).status,
  ).toBeLessThan(300);
  const meter = await as.admin.put('/api/meters/transfer', {
    name: 'Data transfer',
    unit: 'GB',
    aggregation: 'sum',
    valueProperty: 'gb',
    eventType: 'com.example.transfer',
  });
  expect(meter.status, JSON.stringify(meter.body)).toBe(201);
  const card = await as.finance.put('/api/rate-cards', {
    service: w.vm.service.slug,
    plan: 'small',
    meter: 'transfer',
    effectiveFrom: '2026-09-01',
    model: { model: 'per_unit', unitPrice: '0.10' },
  });
  expect(card.status).toBe(201);
  const token = (await as.reporter.post('/api/me/tokens', { name: 'usage' })).body.token as string;
  await report(token, '2026-09-12T08:00:00Z', '60');
  await report(token, '2026-09-20T08:00:00Z', '40');
  await report(token, '2026-10-05T08:00:00Z', '50');
  await report(token, '2026-11-03T08:00:00Z', '30');
  // The close tells how far it got (the CLI's progress bar): one cost centre to close.
  const progress: [number, number][] = [];
  const closed = await closeMonth(t.database, '2026-09', new Date(), (done, total) =>
    progress.push([done, total]),
  );
  expect(closed.status).toBe('closed');
  expect(progress).toEqual([
    [0, 1],
    [1, 1],
  ]);
});
afterAll(async () => {
  await t.close();
});

const manager = () => ({
  userId: w.manager.id,
  roles: ['requester' as const, 'approver' as const],
  requestId: 'test',
});

describe('a cost centre’s month', () => {
  it('running: month to date, forecast, budget shares, trend, breakdowns and named lines', async () => {
    const costs = await costCentreCosts(t.database.db, manager(), w.org.costCentre.code, {}, NOV_15);
    expect(costs).toMatchObject({
      costCentre: { code: w.org.costCentre.code },
      chargeMode: 'chargeback',
      currency: 'EUR',
      otherCurrencies: [],
      month: '2026-11',
      state: 'running',
      // 38.00 × 14/30 = 17.733… → 17.73, plus 30 GB × 0.10 = 3.00.
      total: '20.73',
      // The whole month's fee 38.00, plus 30 GB scaled to the month (30 × 30/14 = 64.29 GB) = 6.43.
      forecast: '44.43',
      budget: { amount: '50.00', used: '0.4146', forecastUsed: '0.8886', alerts: [] },
    });
    expect(costs.forecastMethod).toMatch(/scaled linearly/);
    expect(costs.trend).toHaveLength(12);
    expect(costs.trend[0]).toEqual({ month: '2025-12', amount: '0.00', state: 'open' });
    expect(costs.trend.slice(-3)).toEqual([
      // 38.00 × 21/30 = 26.60, plus 100 GB = 10.00.
      { month: '2026-09', amount: '36.60', state: 'closed' },
      { month: '2026-10', amount: '43.00', state: 'open' },
      { month: '2026-11', amount: '20.73', state: 'running' },
    ]);
    expect(costs.byService).toEqual([
      { service: { slug: w.vm.service.slug, name: w.vm.service.name }, amount: '20.73', share: '1' },
    ]);
    expect(costs.bySubscription).toEqual([
      {
        subscription: { id: vm, name: expect.any(String) },
        service: { slug: w.vm.service.slug, name: w.vm.service.name },
        amount: '20.73',
      },
    ]);
    const usage = costs.lines.find((l) => l.kind === 'usage');
    expect(usage).toMatchObject({
      subscriptionId: vm,
      meter: 'transfer',
      meterName: 'Data transfer',
      unit: 'GB',
      quantity: '30',
      amount: '3.00',
      service: { slug: w.vm.service.slug },
    });
    expect(costs.lines.find((l) => l.kind === 'fee')).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-15T00:00:00.000Z',
      amount: '17.73',
      meterName: null,
    });
  });

  it("the requester's subscription counts its metered use so far, rated as the bill rates it", async () => {
    expect(await usageCostSoFar(t.database.db, [vm], NOV_15)).toEqual(new Map([[vm, '3']]));
    const sub = await as.requester.get(`/api/subscriptions/${vm}`);
    expect(sub.status).toBe(200);
    // This month's, whichever month the test runs in: fees plus the use, both as decimal strings.
    expect(Number(sub.body.costThisMonth)).toBeGreaterThanOrEqual(Number(sub.body.usageThisMonth));
    expect(sub.body.usageThisMonth).toMatch(/^\d+\.\d\d$/);
  });

  it('closed: the statement as written; ended but open: as the close would write it', async () => {
    const sep = await costCentreCosts(
      t.database.db,
      manager(),
      w.org.costCentre.code,
      { month: '2026-09' },
      NOV_15,
    );
    expect(sep).toMatchObject({ state: 'closed', total: '36.60', forecast: null, forecastMethod: null });
    expect(sep.lines.map((l) => [l.kind, l.amount]).sort()).toEqual([
      ['fee', '26.60'],
      ['usage', '10.00'],
    ]);
    expect(sep.lines.find((l) => l.kind === 'usage')!.rateCard).toEqual({
      id: expect.any(String),
      version: 1,
    });
    const oct = await costCentreCosts(
      t.database.db,
      manager(),
      w.org.costCentre.code,
      { month: '2026-10' },
      NOV_15,
    );
    expect(oct).toMatchObject({ state: 'open', total: '43.00', forecast: null });
    expect(oct.trend.at(-1)).toEqual({ month: '2026-10', amount: '43.00', state: 'open' });
    expect(oct.budget).toMatchObject({ amount: '50.00', used: '0.86', forecastUsed: null });
  });

  it('over HTTP: for its owner and finance; a month to come, a stranger and an unknown code refused', async () => {
    const url = `/api/billing/cost-centres/${w.org.costCentre.code}/costs`;
    const mine = await as.manager.get(`${url}?month=2026-09`);
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(mine.body.total).toBe('36.60');
    expect((await as.finance.get(`${url}?month=2026-09`)).body.total).toBe('36.60');
    expect((await as.requester.get(url)).status).toBe(403);
    const future = await as.manager.get(`${url}?month=2099-01`);
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([
      { path: 'month', message: expect.stringContaining('has not started') },
    ]);
    const bad = await as.manager.get(`${url}?month=2026-13`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toMatch(/month/);
    expect((await as.finance.get('/api/billing/cost-centres/CC-NOPE/costs')).status).toBe(404);
  });
});

describe('the overview of cost centres', () => {
  it('finance sees every cost centre; an owner hers; anyone else none', async () => {
    const all = await as.finance.get('/api/billing/cost-centres');
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const codes = all.body.items.map((c: { costCentre: { code: string } }) => c.costCentre.code);
    expect(codes).toEqual(expect.arrayContaining([w.org.costCentre.code, other.code]));
    const mine = all.body.items.find(
      (c: { costCentre: { code: string } }) => c.costCentre.code === w.org.costCentre.code,
    );
    expect(mine).toMatchObject({
      owner: { id: w.manager.id, name: w.manager.name },
      chargeMode: 'chargeback',
      currency: 'EUR',
      budget: '50.00',
      monthToDate: expect.stringMatching(/^\d+\.\d\d$/),
      forecast: expect.stringMatching(/^\d+\.\d\d$/),
    });
    const owned = await as.manager.get('/api/billing/cost-centres');
    expect(owned.body.items.map((c: { costCentre: { code: string } }) => c.costCentre.code)).toEqual([
      w.org.costCentre.code,
    ]);
    expect((await as.requester.get('/api/billing/cost-centres')).body.items).toEqual([]);
    // What the web app shows "Costs" by: the cost centres a person owns.
    expect((await as.manager.get('/api/me')).body.ownedCostCentres).toEqual([
      { code: w.org.costCentre.code, name: w.org.costCentre.name },
    ]);
    expect((await as.requester.get('/api/me')).body.ownedCostCentres).toEqual([]);
  });
});

describe('the usage behind a line', () => {
  const url = () => `/api/billing/cost-centres/${w.org.costCentre.code}/usage`;

  it('lists the events of the month, newest first, a page at a time', async () => {
    const first = await as.manager.get(`${url()}?subscription=${vm}&meter=transfer&month=2026-09&limit=1`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items).toEqual([
      {
        time: '2026-09-20T08:00:00.000Z',
        receivedAt: expect.any(String),
        source: '/brokers/cloud',
        id: expect.any(String),
        type: 'com.example.transfer',
        value: '40',
      },
    ]);
    const next = await as.manager.get(
      `${url()}?subscription=${vm}&meter=transfer&month=2026-09&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(next.body.items.map((i: { value: string }) => i.value)).toEqual(['60']);
    expect(next.body.nextCursor).toBeNull();
  });

  it('only of a subscription the cost centre was charged for, and only for those who read its bill', async () => {
    const elsewhere = await as.finance.get(
      `/api/billing/cost-centres/${other.code}/usage?subscription=${vm}&meter=transfer&month=2026-09`,
    );
    expect(elsewhere.status).toBe(404);
    expect((await as.requester.get(`${url()}?subscription=${vm}&meter=transfer&month=2026-09`)).status).toBe(
      403,
    );
    const missing = await as.manager.get(`${url()}?meter=transfer&month=2026-09`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toMatch(/subscription/);
  });
});

describe('chargeback and showback', () => {
  it('finance switches a cost centre to showback; its next statements stay out of the journal', async () => {
    const code = w.org.costCentre.code;
    expect(
      (await as.manager.put(`/api/billing/cost-centres/${code}/charge-mode`, { chargeMode: 'showback' }))
        .status,
    ).toBe(403);
    const bad = await as.finance.put(`/api/billing/cost-centres/${code}/charge-mode`, {
      chargeMode: 'maybe',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('chargeMode');
    const set = await as.finance.put(`/api/billing/cost-centres/${code}/charge-mode`, {
      chargeMode: 'showback',
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ costCentre: { code }, chargeMode: 'showback' });
    const audit = await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'cost_centre.charge_mode_set'`,
    );
    expect(rowsOf<{ n: number }>(audit)[0]!.n).toBe(1);

    expect((await closeMonth(t.database, '2026-10')).status).toBe('closed');
    const journal = (month: string) =>
      as.finance
        .get(`/api/billing/periods/${month}/export/journal.csv`)
        .then((r) => parse(r.body as string, { columns: true }) as Record<string, string>[]);
    // October was closed in showback: shown on its statement, not booked.
    expect((await journal('2026-10')).map((r) => r.debit_account)).not.toContain(code);
    const oct = await as.manager.get(`/api/billing/cost-centres/${code}/costs?month=2026-10`);
    expect(oct.body).toMatchObject({ state: 'closed', total: '43.00', chargeMode: 'showback' });
    // September was closed in chargeback and stays booked.
    expect((await journal('2026-09')).find((r) => r.debit_account === code)?.amount).toBe('36.60');
  });
});

describe("the requester's estimate", () => {
  it('rates expected use with the rate card in force, as the bill will', async () => {
    const card = await as.finance.put('/api/rate-cards', {
      service: w.vm.service.slug,
      plan: 'small',
      meter: 'transfer',
      effectiveFrom: '2026-11-01',
      model: {
        model: 'graduated',
        tiers: [
          { upTo: 100, unitPrice: '0.10' },
          { upTo: null, unitPrice: '0.05' },
        ],
      },
    });
    expect(card.status).toBe(201);
    const added = await as.requester.post('/api/cart/items', {
      service: w.vm.service.slug,
      plan: 'small',
      usage: { GB: 150 },
    });
    expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
    const cart = (await as.requester.get('/api/cart')).body;
    const item = cart.items.find((i: { service: { slug: string } }) => i.service.slug === w.vm.service.slug);
    // 100 GB × 0.10 + 50 GB × 0.05 = 12.50, as rate() makes a statement line of it.
    expect(item.metered).toEqual([
      {
        unit: 'GB',
        price: '0.10',
        priceSummary: '0.1 per GB up to 100, then 0.05 per GB (each tier prices the units inside it)',
        description: 'Data transfer',
        quantity: 150,
        amount: '12.50',
        rateCardVersion: 2,
      },
    ]);
    expect(item.estimate.meteredMonthly).toBe('12.50');
    expect(item.estimate.firstYear).toBe(
      (Number(item.estimate.oneTime) + 12 * (Number(item.estimate.monthly) + 12.5)).toFixed(2),
    );
  });
});

describe('usage no rate card prices', () => {
  it('is left out of the costs and named; the draft statement and the close refuse it', async () => {
    const meter = await as.admin.put('/api/meters/api-calls', {
      name: 'API calls',
      unit: 'call',
      aggregation: 'count',
      eventType: 'com.example.api-call',
    });
    expect(meter.status).toBe(201);
    const token = (await as.reporter.post('/api/me/tokens', { name: 'calls' })).body.token as string;
    await reportUsage(t, token, {
      type: 'com.example.api-call',
      subscriptionId: vm,
      time: '2026-11-04T08:00:00Z',
    });
    const costs = await costCentreCosts(t.database.db, manager(), w.org.costCentre.code, {}, NOV_15);
    expect(costs.unpriced).toEqual([`api-calls on plan ${w.vm.plan.id}`]);
    expect(costs.lines.some((l) => l.meter === 'api-calls')).toBe(false);
    expect(costs.total).toBe('20.73');
    const all = await listCostCentreCosts(
      t.database.db,
      { userId: null, roles: ['finance'], requestId: 'test' },
      NOV_15,
    );
    expect(all.find((c) => c.costCentre.code === w.org.costCentre.code)?.unpriced).toEqual([
      `api-calls on plan ${w.vm.plan.id}`,
    ]);
    expect(all.find((c) => c.costCentre.code === other.code)?.unpriced).toEqual([]);
    await expect(draftStatement(t.database.db, manager(), w.org.costCentre.code, NOV_15)).rejects.toThrow(
      /no rate card in force.*api-calls/,
    );
  });
});

describe('the months at a glance', () => {
  it('lists each month newest first with its state, statements, lines and totals', async () => {
    const res = await as.finance.get('/api/billing/periods?from=2026-08&to=2026-10');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items).toEqual([
      {
        month: '2026-10',
        status: 'closed',
        closedAt: expect.any(String),
        statements: 1,
        lines: 2,
        totals: [{ currency: 'EUR', total: '43.00' }],
      },
      {
        month: '2026-09',
        status: 'closed',
        closedAt: expect.any(String),
        statements: 1,
        lines: 2,
        totals: [{ currency: 'EUR', total: '36.60' }],
      },
      { month: '2026-08', status: 'open', closedAt: null, statements: 0, lines: 0, totals: [] },
    ]);
    const backwards = await as.finance.get('/api/billing/periods?from=2026-10&to=2026-08');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].path).toMatch(/from/);
    expect((await as.manager.get('/api/billing/periods?from=2026-08&to=2026-10')).status).toBe(403);
  });
});
