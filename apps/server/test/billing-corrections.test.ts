// Late usage and the draft statement. A VM held since September sends 80 GB of transfer in
// October (graduated: 8.00); October closes; 40 GB more for October arrive afterwards and
// November's close charges the difference as a correction for October (120 GB: 11.60, so 3.60),
// rated with October's rate card although a new version is in force in November. December's close
// charges only what arrived after that (5 GB: 0.40), never the same event twice. The running
// month's draft shows fees and usage so far, with a forecast to the month's end.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMonth } from '../src/modules/billing/index.ts';
import { draftStatement } from '../src/modules/billing/billing.service.ts';
import { aPerson } from '../src/modules/identity/identity.factory.ts';
import type { Actor } from '../src/platform/actor.ts';
import { aSubscriptionDelivered, rewriteHistory } from './deliveries.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { reportUsage } from './usage.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let as: Record<'requester' | 'manager' | 'finance' | 'admin' | 'reporter', Client>;
let token: string;
let held: string; // since September at 30.00
let fresh: string; // started 11 December at 31.00

beforeAll(async () => {
  t = await testApp();
  w = await aWorld(t.database);
  const [finance, admin, reporter] = await t.database.transaction(async (tx) => [
    await aPerson(tx, { name: 'Fin Finance', roles: ['requester', 'finance'] }),
    await aPerson(tx, { name: 'Ada Admin', roles: ['requester', 'admin'] }),
    await aPerson(tx, { name: 'Cloud Broker', roles: ['usage_reporter'] }),
  ]);
  as = {
    requester: await signIn(t.app, w.requester.email, w.password),
    manager: await signIn(t.app, w.manager.email, w.password),
    finance: await signIn(t.app, finance.email, w.password),
    admin: await signIn(t.app, admin.email, w.password),
    reporter: await signIn(t.app, reporter.email, w.password),
  };
  token = (await as.reporter.post('/api/me/tokens', { name: 'usage' })).body.token;
  const delivering = { ...as, fulfiller: await signIn(t.app, w.fulfiller.email, w.password) };
  held = await aSubscriptionDelivered(t, w, delivering, {
    justification: 'Billing',
    outputs: { hostname: 'vm' },
  });
  fresh = await aSubscriptionDelivered(t, w, delivering, {
    justification: 'Billing',
    outputs: { hostname: 'vm' },
  });
  await history(held, '2026-09-01T00:00:00Z', '30.00');
  await history(fresh, '2026-12-11T00:00:00Z', '31.00');
  expect(
    (
      await as.admin.put('/api/meters/transfer', {
        name: 'Data transfer',
        unit: 'GB',
        aggregation: 'sum',
        valueProperty: 'gb',
        eventType: 'com.example.transfer',
      })
    ).status,
  ).toBe(201);
  const card = (effectiveFrom: string, model: object) => ({
    service: w.vm.service.slug,
    plan: 'small',
    meter: 'transfer',
    effectiveFrom,
    model,
  });
  const graduated = {
    model: 'graduated',
    tiers: [
      { upTo: 100, unitPrice: '0.10' },
      { upTo: null, unitPrice: '0.08' },
    ],
  };
  expect((await as.finance.put('/api/rate-cards', card('2026-09-01', graduated))).status).toBe(201);
  expect(
    (await as.finance.put('/api/rate-cards', card('2026-11-01', { model: 'per_unit', unitPrice: '0.10' })))
      .status,
  ).toBe(201);
});
afterAll(async () => {
  await t.close();
});

/** A subscription started at `at`, as the inventory writes it. */
const history = (subscriptionId: string, at: string, monthlyPrice: string) =>
  rewriteHistory(t, w, subscriptionId, [{ kind: 'start', at, monthlyPrice }]);

/** Usage as the broker sends it (received now). */
const usage = (subscriptionId: string, time: string, gb: string) =>
  reportUsage(t, token, { type: 'com.example.transfer', subscriptionId, time, data: { gb } });

const linesOf = async (month: string) => {
  const res = await as.finance.get(`/api/billing/periods/${month}`);
  expect(res.status).toBe(200);
  const [statement] = res.body.statements;
  return { total: statement.total as string, lines: statement.lines as Record<string, unknown>[] };
};

describe('late usage', () => {
  it('becomes a correction in the next close, for the exact difference, with its own charge period', async () => {
    await usage(held, '2026-10-05T10:00:00Z', '80');
    await closeMonth(t.database, '2026-10', new Date('2026-11-02T00:00:00Z'));
    const october = await linesOf('2026-10');
    expect(october.lines.find((l) => l.kind === 'usage')).toMatchObject({ quantity: '80', amount: '8.00' });

    // Arrives after October closed; counted where it belongs, in October.
    await usage(held, '2026-10-28T12:00:00Z', '40');
    await usage(held, '2026-11-10T12:00:00Z', '10');
    const closed = await closeMonth(t.database, '2026-11', new Date('2026-12-02T00:00:00Z'));
    expect(closed.linesWritten).toBe(3);
    const november = await linesOf('2026-11');
    // 120 GB with October's graduated card: 100 × 0.10 + 20 × 0.08 = 11.60; 8.00 was charged.
    // (November's per-unit card would have made it 12.00.)
    expect(november.lines.filter((l) => l.kind === 'correction')).toEqual([
      expect.objectContaining({
        subscriptionId: held,
        meter: 'transfer',
        chargePeriod: '2026-10',
        quantity: '40',
        amount: '3.60',
        rateCard: expect.objectContaining({ version: 1 }),
      }),
    ]);
    expect(november.lines.find((l) => l.kind === 'usage')).toMatchObject({
      chargePeriod: '2026-11',
      quantity: '10',
      amount: '1.00',
      rateCard: expect.objectContaining({ version: 2 }),
    });
    expect(november.total).toBe('34.60'); // 30.00 fee + 1.00 usage + 3.60 correction

    // Closing November again adds nothing.
    expect((await closeMonth(t.database, '2026-11', new Date('2026-12-02T00:00:00Z'))).linesWritten).toBe(0);
    expect((await linesOf('2026-11')).total).toBe('34.60');
    // October itself is untouched.
    expect((await linesOf('2026-10')).total).toBe(october.total);
  });

  it('corrects each late event once: the next close charges only what came since', async () => {
    // 5 GB more for October, after November closed; the draft below shows it coming.
    await usage(held, '2026-10-30T08:00:00Z', '5');
    await draftTest();
    await closeMonth(t.database, '2026-12', new Date('2027-01-02T00:00:00Z'));
    const december = await linesOf('2026-12');
    // 125 GB: 100 × 0.10 + 25 × 0.08 = 12.00; 8.00 + 3.60 was charged.
    expect(december.lines.filter((l) => l.kind === 'correction')).toEqual([
      expect.objectContaining({ chargePeriod: '2026-10', quantity: '5', amount: '0.40' }),
    ]);
    // Once everything is charged, later closes correct nothing.
    await closeMonth(t.database, '2027-01', new Date('2027-02-02T00:00:00Z'));
    expect((await linesOf('2027-01')).lines.filter((l) => l.kind === 'correction')).toEqual([]);
  });
});

/**
 * December as of the 16th, 00:00 (15 of 31 days gone). The held VM: 30 × 15/31 = 14.516… → 14.52
 * so far, 30.00 for the month. The fresh one (from the 11th): 31 × 5/31 = 5.00 so far, 21 days:
 * 21.00 for the month; its 30 GB so far at November's per-unit 0.10 = 3.00, forecast 30 × 31/15 =
 * 62 GB = 6.20. The pending correction for October: 0.40.
 */
async function draftTest() {
  // December is still ahead of the real clock, so its usage goes in as metering stores it.
  await t.database.db.execute(sql`
    insert into usage_events (source, event_id, type, subject, time, data, meter_key, value, status, subscription_id)
    values ('/brokers/cloud', ${randomUUID()}, 'com.example.transfer', ${`subscriptions/${fresh}`},
            '2026-12-12T00:00:00Z', '{"gb": 30}', 'transfer', 30, 'accepted', ${fresh})`);
  const manager: Actor = { userId: w.manager.id, roles: ['requester', 'approver'], requestId: 'test' };
  const draft = await draftStatement(
    t.database.db,
    manager,
    w.org.costCentre.code,
    new Date('2026-12-16T00:00:00Z'),
  );
  expect(draft).toMatchObject({ period: '2026-12', asOf: '2026-12-16T00:00:00.000Z', elapsed: '0.483871' });
  expect(draft.forecastMethod).toMatch(/scaled linearly/);
  expect(draft.statements).toHaveLength(1);
  const [eur] = draft.statements;
  expect(eur!.currency).toBe('EUR');
  const pick = (kind: string, subscriptionId: string) =>
    eur!.lines.filter((l) => l.kind === kind && l.subscriptionId === subscriptionId).map((l) => l.amount);
  expect(pick('fee', held)).toEqual(['14.52']);
  expect(pick('fee', fresh)).toEqual(['5.00']);
  expect(pick('usage', fresh)).toEqual(['3.00']);
  expect(pick('correction', held)).toEqual(['0.40']);
  expect(eur!.lines.find((l) => l.kind === 'fee' && l.subscriptionId === fresh)).toMatchObject({
    from: '2026-12-11T00:00:00.000Z',
    to: '2026-12-16T00:00:00.000Z',
  });
  expect(eur!.monthToDate).toBe('22.92');
  expect(eur!.forecast).toEqual({ fees: '51.00', usage: '6.20', corrections: '0.40', total: '57.60' });
  // Nothing was written.
  expect((await as.finance.get('/api/billing/periods/2026-12')).body.statements).toEqual([]);
}

describe('the draft statement', () => {
  it("is the owner's, finance's and admins' to see, for the month running now", async () => {
    const before = new Date().toISOString().slice(0, 7);
    for (const who of ['manager', 'finance', 'admin'] as const) {
      const res = await as[who].get(`/api/billing/cost-centres/${w.org.costCentre.code}/draft`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect([before, new Date().toISOString().slice(0, 7)]).toContain(res.body.period);
      expect(res.body.costCentre.code).toBe(w.org.costCentre.code);
      expect(res.body.forecastMethod).toMatch(/scaled linearly/);
    }
    expect((await as.requester.get(`/api/billing/cost-centres/${w.org.costCentre.code}/draft`)).status).toBe(
      403,
    );
    expect((await as.finance.get('/api/billing/cost-centres/CC-NOPE/draft')).status).toBe(404);
  });
});
