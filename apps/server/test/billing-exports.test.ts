// The exports of a closed October 2026: two cost centres, one VM each. The first started on
// 10 Oct at 38.00 a month (12.26) and moved 100 GB at 0.10 (10.00); the second, whose cost centre
// and subscription have names that need quoting, ran the whole month at 38.00. Finance downloads
// the lines, a FOCUS file and the ledger journal; a requester may not, an open month is not final.
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOCUS_COLUMNS, FOCUS_NOT_NULL, IT_COST_CENTRE } from '../src/modules/billing/billing.exports.ts';
import { aPerson } from '../src/modules/identity/identity.factory.ts';
import { aDepartmentWithCostCentre } from '../src/modules/org/org.factory.ts';
import { aSubscriptionDelivered, rewriteHistory } from './deliveries.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { reportUsage } from './usage.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let as: Record<'requester' | 'manager' | 'fulfiller' | 'finance' | 'admin' | 'reporter', Client>;
let first: string; // CC of the world, started 10 Oct
let second: string; // the awkwardly named cost centre, all month
let other: { id: string; code: string };
const awkward = { centre: 'Sales, "North"', subscription: 'db "primary", eu' };

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
  first = await aSubscriptionDelivered(t, w, as, {
    justification: 'Exports',
    outputs: { hostname: 'vm-01' },
  });
  second = await aSubscriptionDelivered(t, w, as, {
    justification: 'Exports',
    outputs: { hostname: 'vm-01' },
  });
  await history(first, '2026-10-10T00:00:00Z', w.org.costCentre.id);
  await history(second, '2026-09-01T00:00:00Z', other.id);
  await t.database.db.execute(sql`update cost_centres set name = ${awkward.centre} where id = ${other.id}`);
  await t.database.db.execute(
    sql`update subscriptions set name = ${awkward.subscription}, cost_centre_id = ${other.id} where id = ${second}`,
  );

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
  expect(
    (
      await as.finance.put('/api/rate-cards', {
        service: w.vm.service.slug,
        plan: 'small',
        meter: 'transfer',
        effectiveFrom: '2026-10-01',
        model: { model: 'per_unit', unitPrice: '0.10' },
      })
    ).status,
  ).toBe(201);
  const token = (await as.reporter.post('/api/me/tokens', { name: 'usage' })).body.token;
  await reportUsage(t, token, {
    type: 'com.example.transfer',
    subscriptionId: first,
    time: '2026-10-12T08:00:00Z',
    data: { gb: '100' },
  });
  const closed = await as.finance.post('/api/billing/periods/2026-10/close');
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
  expect(closed.body.linesWritten).toBe(3);
});
afterAll(async () => {
  await t.close();
});

/** One start at 38.00 a month, in the cost centre given. */
const history = (subscriptionId: string, at: string, costCentreId: string) =>
  rewriteHistory(t, w, subscriptionId, [{ kind: 'start', at, monthlyPrice: '38.00', costCentreId }]);

const csvOf = (text: string): string[][] => parse(text, { relaxColumnCount: false });
const recordsOf = (text: string): Record<string, string>[] => parse(text, { columns: true });

describe('exports of a closed period', () => {
  it('lines: one row per statement line, named and quoted', async () => {
    const res = await as.finance.get('/api/billing/periods/2026-10/export/lines.csv');
    expect(res.status, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="portico-2026-10-lines.csv"');
    const text = res.body as string;
    expect(text.split('\r\n')[0]).toBe(
      'period,cost_centre_code,cost_centre_name,charge_mode,currency,subscription_id,subscription_name,owner,' +
        'service,plan,kind,meter,charge_period,quantity,unit_price,amount,rate_card_version',
    );
    const rows = csvOf(text);
    expect(rows).toHaveLength(4);
    const plan = w.vm.plan.name;
    const service = w.vm.service.name;
    const line = (sub: string, kind: string) => rows.find((r) => r[5] === sub && r[10] === kind);
    // From 10 Oct to 1 Nov, 22 days of 31: 38.00 × 22/31 = 26.967… → 26.97.
    expect(line(first, 'fee')).toEqual([
      '2026-10',
      w.org.costCentre.code,
      w.org.costCentre.name,
      'chargeback',
      'EUR',
      first,
      expect.any(String),
      w.requester.email,
      service,
      plan,
      'fee',
      '',
      '2026-10',
      '1',
      '38.000000000',
      '26.97',
      '',
    ]);
    expect(line(first, 'usage')).toMatchObject({
      11: 'transfer',
      13: '100',
      14: '0.1',
      15: '10.00',
      16: '1',
    });
    expect(line(second, 'fee')).toMatchObject({ 2: awkward.centre, 6: awkward.subscription, 15: '38.00' });
    // The library quotes a field with a comma or quote and doubles the quote.
    expect(text).toContain('"Sales, ""North"""');
    expect(text).toContain('"db ""primary"", eu"');
  });

  it('focus: every FOCUS 1.1 mandatory column, filled where the spec says it may not be null', async () => {
    const res = await as.finance.get('/api/billing/periods/2026-10/export/focus.csv');
    expect(res.status, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="portico-2026-10-focus.csv"');
    const text = res.body as string;
    expect(text.split('\r\n')[0]).toBe(FOCUS_COLUMNS.join(','));
    const mandatory = [
      'BilledCost',
      'BillingAccountId',
      'BillingAccountName',
      'BillingCurrency',
      'BillingPeriodEnd',
      'BillingPeriodStart',
      'ChargeCategory',
      'ChargeClass',
      'ChargeDescription',
      'ChargePeriodEnd',
      'ChargePeriodStart',
      'ContractedCost',
      'EffectiveCost',
      'InvoiceIssuerName',
      'ListCost',
      'PricingQuantity',
      'PricingUnit',
      'ProviderName',
      'PublisherName',
      'ServiceCategory',
      'ServiceName',
    ];
    expect(FOCUS_COLUMNS).toEqual(
      expect.arrayContaining([...mandatory, 'SubAccountId', 'SubAccountName', 'Tags']),
    );
    const records = recordsOf(text);
    expect(records).toHaveLength(3);
    for (const r of records) {
      for (const c of FOCUS_NOT_NULL) expect(r[c], `${c} of ${r.ResourceId}`).not.toBe('');
      expect(r.ChargeClass).toBe(''); // null: no corrections in this period
    }
    const usage = records.find((r) => r.ChargeCategory === 'Usage')!;
    expect(usage).toMatchObject({
      BilledCost: '10.00',
      EffectiveCost: '10.00',
      ListCost: '10.00',
      ContractedCost: '10.00',
      BillingCurrency: 'EUR',
      BillingAccountId: 'portico',
      BillingPeriodStart: '2026-10-01T00:00:00Z',
      BillingPeriodEnd: '2026-11-01T00:00:00Z',
      ChargePeriodStart: '2026-10-01T00:00:00Z',
      ChargePeriodEnd: '2026-11-01T00:00:00Z',
      ChargeFrequency: 'Usage-Based',
      PricingQuantity: '100',
      PricingUnit: 'GB',
      ConsumedQuantity: '100',
      ProviderName: 'Portico IT',
      PublisherName: 'Portico IT',
      InvoiceIssuerName: 'Portico IT',
      ResourceId: first,
      ServiceName: w.vm.service.name,
      SubAccountId: w.org.costCentre.code,
    });
    const fees = records.filter((r) => r.ChargeCategory === 'Purchase');
    expect(fees.map((f) => f.BilledCost).sort()).toEqual(['26.97', '38.00']);
    const started = fees.find((f) => f.ResourceId === first)!;
    expect(started).toMatchObject({
      ChargePeriodStart: '2026-10-10T00:00:00Z',
      ChargePeriodEnd: '2026-11-01T00:00:00Z',
      ChargeFrequency: 'Recurring',
    });
    const awkwardFee = fees.find((f) => f.ResourceId === second)!;
    expect(awkwardFee.SubAccountName).toBe(awkward.centre);
    expect(JSON.parse(awkwardFee.Tags!)).toEqual({
      'portico:costCentre': other.code,
      'portico:owner': w.requester.email,
      'portico:chargeMode': 'chargeback',
    });
  });

  it('journal: one row per statement, debiting the cost centre and crediting IT, totals as billed', async () => {
    const res = await as.finance.get('/api/billing/periods/2026-10/export/journal.csv');
    expect(res.status, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="portico-2026-10-journal.csv"');
    const text = res.body as string;
    expect(text.split('\r\n')[0]).toBe('period,debit_account,credit_account,amount,currency,description');
    const records = recordsOf(text);
    expect(records.map((r) => [r.debit_account, r.credit_account, r.amount, r.currency]).sort()).toEqual(
      [
        [w.org.costCentre.code, IT_COST_CENTRE, '36.97', 'EUR'],
        [other.code, IT_COST_CENTRE, '38.00', 'EUR'],
      ].sort(),
    );
    const period = (await as.finance.get('/api/billing/periods/2026-10')).body;
    const billed = period.statements.reduce((sum: number, s: { total: string }) => sum + Number(s.total), 0);
    const journal = records.reduce((sum, r) => sum + Number(r.amount), 0);
    expect(journal.toFixed(2)).toBe(billed.toFixed(2));
    expect(journal.toFixed(2)).toBe('74.97');
  });

  it('is for finance and admins, of a period that exists and is closed', async () => {
    for (const name of ['lines', 'focus', 'journal']) {
      const url = `/api/billing/periods/2026-10/export/${name}.csv`;
      expect((await as.requester.get(url)).status).toBe(403);
      expect((await as.admin.get(url)).status).toBe(200);
    }
    expect((await as.finance.get('/api/billing/periods/2026-07/export/lines.csv')).status).toBe(404);
    // A close that stopped halfway: its numbers are not final yet.
    await t.database.db.execute(
      sql`insert into billing_periods (month, status, closing_started_at) values ('2026-08', 'closing', now())`,
    );
    const closing = await as.finance.get('/api/billing/periods/2026-08/export/journal.csv');
    expect(closing.status).toBe(409);
    expect(closing.headers['content-type']).toContain('application/problem+json');
    expect((await as.finance.get('/api/billing/periods/2026-13/export/lines.csv')).status).toBe(400);
  });
});
