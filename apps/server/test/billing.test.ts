// The month close: October 2026 for two cost centres. One VM started mid-month and was resized;
// another, bought in September, moved to a second cost centre mid-month. Data transfer is rated
// graduated (one right on a tier's bound), storage held is time-weighted into GB-months. A close
// that crashes halfway is finished by the next one; a closed month is never charged twice.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMonth } from '../src/modules/billing/index.ts';
import { draftOf } from '../src/modules/billing/billing.service.ts';
import { aPerson } from '../src/modules/identity/identity.factory.ts';
import { aDepartmentWithCostCentre } from '../src/modules/org/org.factory.ts';
import type { Database } from '../src/platform/db.ts';
import { aSubscriptionDelivered, rewriteHistory, type HistoryEvent } from './deliveries.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { reportUsage } from './usage.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let as: Record<'requester' | 'manager' | 'fulfiller' | 'finance' | 'admin' | 'reporter', Client>;
let token: string;
let resized: string; // started 10 Oct at 38.00, two of them from 20 Oct at 76.00
let moved: string; // since September at 38.00, to the second cost centre on 16 Oct
let second: { id: string; code: string };

beforeAll(async () => {
  t = await testApp();
  w = await aWorld(t.database);
  const [finance, admin, reporter, org2] = await t.database.transaction(async (tx) => [
    await aPerson(tx, { name: 'Fin Finance', roles: ['requester', 'finance'] }),
    await aPerson(tx, { name: 'Ada Admin', roles: ['requester', 'admin'] }),
    await aPerson(tx, { name: 'Cloud Broker', roles: ['usage_reporter'] }),
    await aDepartmentWithCostCentre(tx, null),
  ]);
  second = org2.costCentre;
  as = {
    requester: await signIn(t.app, w.requester.email, w.password),
    manager: await signIn(t.app, w.manager.email, w.password),
    fulfiller: await signIn(t.app, w.fulfiller.email, w.password),
    finance: await signIn(t.app, finance.email, w.password),
    admin: await signIn(t.app, admin.email, w.password),
    reporter: await signIn(t.app, reporter.email, w.password),
  };
  token = (await as.reporter.post('/api/me/tokens', { name: 'usage' })).body.token;
  resized = await aSubscriptionDelivered(t, w, as, {
    justification: 'Billing',
    outputs: { hostname: 'vm-01' },
  });
  moved = await aSubscriptionDelivered(t, w, as, {
    justification: 'Billing',
    outputs: { hostname: 'vm-01' },
  });
  await history(resized, [
    { kind: 'start', at: '2026-10-10T00:00:00Z', quantity: 1, monthlyPrice: '38.00' },
    { kind: 'resize', at: '2026-10-20T00:00:00Z', quantity: 2, monthlyPrice: '76.00' },
  ]);
  await history(moved, [
    { kind: 'start', at: '2026-09-01T00:00:00Z', quantity: 1, monthlyPrice: '38.00' },
    {
      kind: 'transfer',
      at: '2026-10-16T00:00:00Z',
      quantity: 1,
      monthlyPrice: '38.00',
      costCentreId: second.id,
    },
  ]);
  for (const [key, meter] of Object.entries({
    transfer: { name: 'Data transfer', unit: 'GB', aggregation: 'sum', valueProperty: 'gb' },
    storage: { name: 'Storage', unit: 'GB-month', aggregation: 'time_weighted', valueProperty: 'gb' },
  })) {
    expect(
      (await as.admin.put(`/api/meters/${key}`, { ...meter, eventType: `com.example.${key}` })).status,
    ).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
});

/** The subscription's history at the moments the story needs, as the inventory writes it. */
const history = (subscriptionId: string, events: HistoryEvent[]) =>
  rewriteHistory(t, w, subscriptionId, events);

const usage = (type: string, subscriptionId: string, time: string, gb: string) =>
  reportUsage(t, token, { type: `com.example.${type}`, subscriptionId, time, data: { gb } });

const graduated = {
  model: 'graduated',
  tiers: [
    { upTo: 100, unitPrice: '0.10' },
    { upTo: 500, unitPrice: '0.08' },
    { upTo: null, unitPrice: '0.05' },
  ],
};

describe('rate cards', () => {
  it('finance makes versions of a plan and meter, in the plan currency', async () => {
    const card = (effectiveFrom: string, model: unknown, meter = 'transfer') => ({
      service: w.vm.service.slug,
      plan: 'small',
      meter,
      effectiveFrom,
      model,
    });
    const v1 = await as.finance.put('/api/rate-cards', card('2026-10-01', graduated));
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body).toMatchObject({
      version: 1,
      currency: 'EUR',
      meter: 'transfer',
      plan: { slug: 'small' },
    });
    // A later version, effective in November: October is still rated with version 1.
    const v2 = await as.finance.put(
      '/api/rate-cards',
      card('2026-11-01', { model: 'per_unit', unitPrice: '1' }),
    );
    expect(v2.body.version).toBe(2);
    expect(
      (
        await as.finance.put(
          '/api/rate-cards',
          card('2026-01-01', { model: 'per_unit', unitPrice: '0.50' }, 'storage'),
        )
      ).status,
    ).toBe(201);

    const list = await as.finance.get(
      `/api/rate-cards?service=${w.vm.service.slug}&plan=small&meter=transfer`,
    );
    expect(list.body.items.map((c: { version: number }) => c.version)).toEqual([2, 1]);
  });

  it('names the field of a model that is wrong, and who may not change prices', async () => {
    const bad = await as.finance.put('/api/rate-cards', {
      service: w.vm.service.slug,
      plan: 'small',
      meter: 'transfer',
      effectiveFrom: '2026-10-01',
      model: {
        model: 'graduated',
        tiers: [
          { upTo: 100, unitPrice: '0.10' },
          { upTo: 50, unitPrice: '0.08' },
          { upTo: null, unitPrice: '0' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'model.tiers.1.upTo' })]);
    const noPlan = await as.finance.put('/api/rate-cards', {
      service: w.vm.service.slug,
      plan: 'huge',
      meter: 'transfer',
      effectiveFrom: '2026-10-01',
      model: graduated,
    });
    expect(noPlan.status).toBe(400);
    expect(noPlan.body.errors).toEqual([expect.objectContaining({ path: 'plan' })]);
    expect((await as.requester.get('/api/rate-cards')).status).toBe(403);
    expect((await as.requester.post('/api/billing/periods/2026-10/close')).status).toBe(403);
  });
});

describe('closing September 2026, whose data transfer no rate card prices', () => {
  it('answers 409 naming the meter and stays closing, with the lines it could price written', async () => {
    await usage('transfer', moved, '2026-09-15T08:00:00Z', '7');
    const refused = await as.finance.post('/api/billing/periods/2026-09/close');
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.errors).toEqual([
      { path: 'month', message: `no rate card in force for transfer on plan ${w.vm.plan.id}` },
    ]);
    const halfway = (await as.finance.get('/api/billing/periods/2026-09')).body;
    expect(halfway.status).toBe('closing');
    expect(halfway.statements).toMatchObject([
      { status: 'closing', total: '38.00', lines: [{ subscriptionId: moved, kind: 'fee', amount: '38.00' }] },
    ]);
  });
});

describe('closing October 2026', () => {
  it('refuses a month that has not ended', async () => {
    const res = await as.finance.post('/api/billing/periods/2030-01/close');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'month' })]);
  });

  it('finishes a close that crashed after its first statement, and charges nothing twice', async () => {
    // Transfer: 60 + 40 = 100 GB, right on tier 0's bound; 100.5 GB on the moved VM crosses it.
    await usage('transfer', resized, '2026-10-12T08:00:00Z', '60');
    await usage('transfer', resized, '2026-10-25T08:00:00Z', '40');
    await usage('transfer', moved, '2026-10-05T08:00:00Z', '100.5');
    await usage('transfer', resized, '2026-11-02T08:00:00Z', '999'); // November's
    // Storage: 10 GB since September, 40 GB from 11 Oct, 20 GB from 21 Oct.
    await usage('storage', resized, '2026-09-20T00:00:00Z', '10');
    await usage('storage', resized, '2026-10-11T00:00:00Z', '40');
    await usage('storage', resized, '2026-10-21T00:00:00Z', '20');

    // The process dies while writing the second statement.
    let calls = 0;
    const crashing = Object.create(t.database) as Database;
    crashing.transaction = (fn) => {
      if (++calls === 3) return Promise.reject(new Error('killed'));
      return t.database.transaction(fn);
    };
    await expect(closeMonth(crashing, '2026-10')).rejects.toThrow('killed');
    const halfway = await as.finance.get('/api/billing/periods/2026-10');
    expect(halfway.body.status).toBe('closing');
    expect(halfway.body.statements).toHaveLength(1);
    const before = halfway.body.statements[0].lines.length;

    const closed = await as.finance.post('/api/billing/periods/2026-10/close');
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.linesWritten + before).toBe(7);

    const [first, other] = [w.org.costCentre.code, second.code].map((code) =>
      closed.body.statements.find((s: { costCentre: { code: string } }) => s.costCentre.code === code),
    );
    const line = (s: typeof first, kind: string, subscriptionId: string, meter: string | null = null) =>
      s.lines.filter((l: any) => l.kind === kind && l.subscriptionId === subscriptionId && l.meter === meter); // eslint-disable-line @typescript-eslint/no-explicit-any

    // Started 10 Oct: 38.00 × 10/31 days = 12.258… → 12.26; two from 20 Oct: 76.00 × 12/31 = 29.419… → 29.42.
    expect(line(first, 'fee', resized)).toMatchObject([
      {
        quantity: '1',
        unitPrice: '38.000000000',
        amount: '12.26',
        from: '2026-10-10T00:00:00.000Z',
        to: '2026-10-20T00:00:00.000Z',
        rateCard: null,
      },
      {
        quantity: '2',
        unitPrice: '76.000000000',
        amount: '29.42',
        from: '2026-10-20T00:00:00.000Z',
        to: '2026-11-01T00:00:00.000Z',
      },
    ]);
    // Transferred 16 Oct: 38.00 × 15/31 = 18.387… → 18.39 here, 38.00 × 16/31 = 19.612… → 19.61 there.
    expect(line(first, 'fee', moved)).toMatchObject([{ amount: '18.39', to: '2026-10-16T00:00:00.000Z' }]);
    expect(line(other, 'fee', moved)).toMatchObject([{ amount: '19.61', from: '2026-10-16T00:00:00.000Z' }]);
    // 100 GB, on the bound: all in tier 0 (10.00); 100.5 GB: 100 × 0.10 + 0.5 × 0.08 = 10.04. Version 1.
    const v1 = { version: 1 };
    expect(line(first, 'usage', resized, 'transfer')).toMatchObject([
      { quantity: '100', unitPrice: '0.1', amount: '10.00', rateCard: v1 },
    ]);
    expect(line(other, 'usage', moved, 'transfer')).toMatchObject([
      { quantity: '100.5', unitPrice: '100 × 0.1 + 0.5 × 0.08', amount: '10.04', rateCard: v1 },
    ]);
    // (10 GB × 10 days + 40 × 10 + 20 × 11) / 31 days = 23.225806452 GB-months × 0.50 = 11.61.
    expect(line(first, 'usage', resized, 'storage')).toMatchObject([
      { quantity: '23.225806452', unitPrice: '0.5', amount: '11.61' },
    ]);
    expect(first).toMatchObject({ currency: 'EUR', status: 'closed', total: '81.68' });
    expect(other).toMatchObject({ currency: 'EUR', status: 'closed', total: '29.65' });

    // Again: nothing new, the same statements.
    const again = await as.finance.post('/api/billing/periods/2026-10/close');
    expect(again.body.linesWritten).toBe(0);
    expect(again.body.statements).toEqual(closed.body.statements);
  });

  it('is final: late usage and a new rate card leave it as it was, and the database refuses new lines', async () => {
    const before = (await as.finance.get('/api/billing/periods/2026-10')).body;
    await usage('transfer', resized, '2026-10-30T08:00:00Z', '500');
    await as.finance.put('/api/rate-cards', {
      service: w.vm.service.slug,
      plan: 'small',
      meter: 'transfer',
      effectiveFrom: '2026-10-01',
      model: { model: 'per_unit', unitPrice: '9' },
    });
    expect((await closeMonth(t.database, '2026-10')).linesWritten).toBe(0);
    expect((await as.finance.get('/api/billing/periods/2026-10')).body).toEqual(before);

    const statementId = before.statements[0].id;
    await expect(
      t.database.db.execute(sql`
        insert into statement_lines (statement_id, line_key, subscription_id, kind, charge_period, quantity, unit_price, amount)
        values (${statementId}, 'sneaky', ${resized}, 'fee', '2026-10', 1, '1', 1)`),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`update statement_lines set amount = 0 where statement_id = ${statementId}`),
    ).rejects.toThrow();
  });
});

describe('after a subscription ends', () => {
  it('a level it reported last is not carried into the months after its end', async () => {
    const december = new Date('2026-12-01T00:00:00Z');
    const storage = async () =>
      (await draftOf(t.database.db, '2026-11', december, w.org.costCentre.id)).groups
        .flatMap((g) => g.lines)
        .filter(
          (l) =>
            l.line.subscriptionId === resized && l.line.kind === 'usage' && l.line.meterKey === 'storage',
        );
    // Running: the 20 GB held since 21 Oct is held all November.
    expect((await storage()).map((l) => Number(l.line.quantity))).toEqual([20]);
    await history(resized, [
      { kind: 'start', at: '2026-10-10T00:00:00Z', quantity: 1, monthlyPrice: '38.00' },
      { kind: 'resize', at: '2026-10-20T00:00:00Z', quantity: 2, monthlyPrice: '76.00' },
      { kind: 'end', at: '2026-11-01T00:00:00Z', quantity: 2, monthlyPrice: '76.00' },
    ]);
    expect(await storage()).toEqual([]);
  });

  it('a level stops counting when its subscription ends within the month', async () => {
    await history(resized, [
      { kind: 'start', at: '2026-10-10T00:00:00Z', quantity: 1, monthlyPrice: '38.00' },
      { kind: 'resize', at: '2026-10-20T00:00:00Z', quantity: 2, monthlyPrice: '76.00' },
      { kind: 'end', at: '2026-11-16T00:00:00Z', quantity: 2, monthlyPrice: '76.00' },
    ]);
    const lines = (
      await draftOf(t.database.db, '2026-11', new Date('2026-12-01T00:00:00Z'), w.org.costCentre.id)
    ).groups
      .flatMap((g) => g.lines)
      .filter((l) => l.line.subscriptionId === resized && l.line.meterKey === 'storage');
    // 20 GB held for 15 of November's 30 days: 10 GB-months, not 20.
    expect(lines.map((l) => Number(l.line.quantity))).toEqual([10]);
  });

  it('and a late reading of that month is corrected with the level stopped at the end, too', async () => {
    expect((await closeMonth(t.database, '2026-11', new Date('2026-12-02T00:00:00Z'))).status).toBe('closed');
    // 40 GB from 10 Nov arrives after the close: (20 GB × 9 days + 40 × 6) / 30 = 14 GB-months,
    // 4 more than billed (0.50 each: 2.00); held to the month's end it would have been 34.
    await usage('storage', resized, '2026-11-10T00:00:00Z', '40');
    const corrections = (
      await draftOf(t.database.db, '2026-12', new Date('2027-01-01T00:00:00Z'), w.org.costCentre.id)
    ).groups
      .flatMap((g) => g.lines)
      .filter((l) => l.line.kind === 'correction' && l.line.meterKey === 'storage');
    expect(corrections.map((l) => [l.line.chargePeriod, Number(l.line.quantity), l.line.amount])).toEqual([
      ['2026-11', 4, '2.00'],
    ]);
  });
});
