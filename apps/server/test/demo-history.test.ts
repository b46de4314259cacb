// The demo company's past as finance and the cost-centre owners meet it on a fresh portal: every
// month of the history closed but the last (left for finance to close) and the running one, a
// statement per cost centre with fees and usage, proration where a subscription was resized,
// transferred or ended mid-month, tiers on the rate cards, one cost centre near its budget, and
// nothing left waiting in anyone's inbox.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/platform/db.ts';
import { closedMonths, HISTORY_MONTHS, NEAR_BUDGET } from '../src/seed/demo.history.ts';
import { DEMO_PASSWORD, seedDemoOnce } from '../src/seed/demo.seed.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';

interface Line {
  subscriptionId: string;
  kind: 'fee' | 'usage' | 'correction';
  unitPrice: string;
  from: string | null;
  to: string | null;
  amount: string;
}
interface Statement {
  costCentre: { code: string };
  total: string;
  lines: Line[];
}

const CENTRES = ['CC-ENG-100', 'CC-ENG-200', 'CC-FIN-100', 'CC-IT-900'];
/** The broker is never called: history is "already delivered". */
const NO_BROKER = 'http://127.0.0.1:9';

const monthsBefore = (now: Date, n: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1)).toISOString().slice(0, 7);
const cents = (amount: string) => Math.round(Number(amount) * 100);

let t: TestApp;
let fran: Client;
let seeded: boolean;
let now: Date;
const periods = new Map<string, { status: string; statements: Statement[] }>();

beforeAll(async () => {
  t = await testApp();
  now = new Date();
  seeded = await seedDemoOnce(t.database, { url: NO_BROKER, secrets: t.deps.secrets });
  fran = await signIn(t.app, 'finance@example.com', DEMO_PASSWORD);
  for (let ago = HISTORY_MONTHS; ago >= 1; ago--) {
    const month = monthsBefore(now, ago);
    const res = await fran.get(`/api/billing/periods/${month}`);
    expect(res.status).toBe(200);
    periods.set(month, res.body);
  }
});
afterAll(() => t.close());

const count = async (table: string) =>
  rowsOf<{ n: number }>(await t.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!
    .n;

describe('the demo history', () => {
  it('seeds once: a second start adds no subscription, usage or statement', async () => {
    expect(seeded).toBe(true);
    const before = await Promise.all(['subscriptions', 'usage_events', 'statement_lines'].map(count));
    expect(before.every((n) => n > 0)).toBe(true);
    expect(await seedDemoOnce(t.database, { url: NO_BROKER, secrets: t.deps.secrets })).toBe(false);
    expect(await Promise.all(['subscriptions', 'usage_events', 'statement_lines'].map(count))).toEqual(
      before,
    );
  });

  it('closes every month of the history up to the one before last, each with fees and usage for all four cost centres', () => {
    const closed = closedMonths(now);
    expect(closed).toEqual(
      Array.from({ length: HISTORY_MONTHS - 1 }, (_, i) => monthsBefore(now, HISTORY_MONTHS - i)),
    );
    for (const month of closed) {
      const period = periods.get(month)!;
      expect(period.status, month).toBe('closed');
      expect(period.statements.map((s) => s.costCentre.code).sort(), month).toEqual(CENTRES);
      for (const s of period.statements) {
        const kinds = new Set(s.lines.map((l) => l.kind));
        expect([...kinds].sort(), `${month} ${s.costCentre.code}`).toEqual(['fee', 'usage']);
        expect(cents(s.total)).toBe(s.lines.reduce((sum, l) => sum + cents(l.amount), 0));
        expect(cents(s.total)).toBeGreaterThan(0);
      }
    }
  });

  it('leaves last month open for finance to close, with nothing charged yet', () => {
    const last = periods.get(monthsBefore(now, 1))!;
    expect(last).toMatchObject({ status: 'open', statements: [] });
  });

  it('has a draft of the running month for each cost centre, fees and usage so far', async () => {
    for (const code of CENTRES) {
      const draft = (await fran.get(`/api/billing/cost-centres/${code}/draft`)).body;
      expect(draft.period).toBe(now.toISOString().slice(0, 7));
      const [eur] = draft.statements;
      expect(eur.currency).toBe('EUR');
      expect(eur.lines.some((l: Line) => l.kind === 'fee')).toBe(true);
      expect(eur.lines.some((l: Line) => l.kind === 'usage')).toBe(true);
      expect(cents(eur.monthToDate)).toBeGreaterThan(0);
    }
  });

  it('prorates by the second: a resize, a transfer and an end in the middle of a month', () => {
    const feesByMonth = [...periods.entries()]
      .filter(([, p]) => p.status === 'closed')
      .map(([month, p]) => ({
        month,
        fees: p.statements.flatMap((s) =>
          s.lines.filter((l) => l.kind === 'fee').map((l) => ({ ...l, code: s.costCentre.code })),
        ),
      }));
    const partial = (month: string, l: Line) =>
      l.from !== `${month}-01T00:00:00.000Z` || new Date(l.to!).getUTCDate() !== 1;
    const bySubscription = (fees: (Line & { code: string })[]) => {
      const groups = new Map<string, (Line & { code: string })[]>();
      for (const l of fees) groups.set(l.subscriptionId, [...(groups.get(l.subscriptionId) ?? []), l]);
      return [...groups.values()].map((g) => g.sort((a, b) => a.from!.localeCompare(b.from!)));
    };
    // Resized: two lines at two prices, back to back.
    const resized = feesByMonth.flatMap(({ fees }) =>
      bySubscription(fees).filter((g) => g.length === 2 && g[0]!.unitPrice !== g[1]!.unitPrice),
    );
    expect(resized.length).toBe(1);
    expect(resized[0]![0]!.to).toBe(resized[0]![1]!.from);
    // Transferred: the month split between two cost centres' statements, adding up to the fee.
    const transferred = feesByMonth.flatMap(({ fees }) =>
      bySubscription(fees).filter((g) => new Set(g.map((l) => l.code)).size === 2),
    );
    expect(transferred.length).toBe(1);
    const [before, after] = transferred[0]!;
    expect(before!.to).toBe(after!.from);
    expect(cents(before!.amount) + cents(after!.amount)).toBe(cents(before!.unitPrice));
    // Ended: one line that stops before the month does, and none after it.
    const ended = feesByMonth.flatMap(({ month, fees }) =>
      bySubscription(fees)
        .filter((g) => g.length === 1 && partial(month, g[0]!) && g[0]!.from === `${month}-01T00:00:00.000Z`)
        .map((g) => ({ month, line: g[0]! })),
    );
    expect(ended.length).toBeGreaterThanOrEqual(1);
    const later = feesByMonth.filter(({ month }) => month > ended.at(-1)!.month);
    expect(
      later.flatMap(({ fees }) => fees).some((l) => l.subscriptionId === ended.at(-1)!.line.subscriptionId),
    ).toBe(false);
    expect(cents(ended.at(-1)!.line.amount)).toBeLessThan(cents(ended.at(-1)!.line.unitPrice));
  });

  it('rates usage with the rate cards, at the catalogue’s listed prices, some in tiers', async () => {
    const cards = (await fran.get('/api/rate-cards')).body.items as {
      service: { slug: string };
      plan: { slug: string };
      meter: string;
      model: { model: string; unitPrice?: string; tiers?: { unitPrice: string }[] };
    }[];
    const listed = rowsOf<{ service: string; plan: string; unit: string; price: string }>(
      await t.database.db.execute(
        sql`select s.slug as service, p.slug as plan, m->>'unit' as unit, m->>'price' as price
            from plans p join services s on s.id = p.service_id, json_array_elements(p.metered_prices) m
            where m->>'unit' in (select unit from meters)`,
      ),
    );
    expect(cards.length).toBe(listed.length);
    for (const c of cards) {
      const priced =
        c.model.tiers?.find((tier) => Number(tier.unitPrice) > 0)?.unitPrice ?? c.model.unitPrice;
      const meterUnit = rowsOf<{ unit: string }>(
        await t.database.db.execute(sql`select unit from meters where key = ${c.meter}`),
      )[0]!.unit;
      const l = listed.find(
        (x) => x.service === c.service.slug && x.plan === c.plan.slug && x.unit === meterUnit,
      );
      expect(priced, `${c.service.slug}/${c.plan.slug}/${c.meter}`).toBe(l?.price);
    }
    expect(cards.some((c) => c.model.model === 'graduated')).toBe(true);
    const lines = [...periods.values()].flatMap((p) => p.statements.flatMap((s) => s.lines));
    expect(lines.some((l) => l.kind === 'usage' && l.unitPrice.includes(' × '))).toBe(true);
  });

  it(`has ${NEAR_BUDGET.costCentre} between 80 and 100 % of its monthly budget so far this month, the others under 80 %`, async () => {
    const budgets = rowsOf<{ code: string; monthly: string }>(
      await t.database.db.execute(
        sql`select c.code, b.monthly_amount as monthly from budgets b join cost_centres c on c.id = b.cost_centre_id
            where b.year = ${now.getUTCFullYear()}`,
      ),
    );
    for (const code of CENTRES) {
      const draft = (await fran.get(`/api/billing/cost-centres/${code}/draft`)).body;
      const used =
        Number(draft.statements[0].monthToDate) / Number(budgets.find((b) => b.code === code)!.monthly);
      if (code === NEAR_BUDGET.costCentre) {
        expect(used, code).toBeGreaterThanOrEqual(0.8);
        expect(used, code).toBeLessThan(1);
      } else {
        expect(used, code).toBeLessThan(0.8);
      }
    }
  });

  it('leaves nothing waiting but the near-budget alert: no approvals, tasks or other notifications', async () => {
    for (const who of ['manager', 'owner', 'finance', 'admin']) {
      const approver = await signIn(t.app, `${who}@example.com`, DEMO_PASSWORD);
      expect((await approver.get('/api/approvals')).body.items, who).toEqual([]);
    }
    const fiona = await signIn(t.app, 'fulfiller@example.com', DEMO_PASSWORD);
    expect((await fiona.get('/api/tasks')).body.items).toEqual([]);
    // The budget check at the end of the seed tells the owner once, in the app and by e-mail.
    const olga = await signIn(t.app, 'owner@example.com', DEMO_PASSWORD);
    const alerts = (await olga.get('/api/notifications')).body.items;
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'budget.alert',
        title: expect.stringContaining(`${NEAR_BUDGET.costCentre} has used 80% of its budget`),
        link: `/costs/${NEAR_BUDGET.costCentre}`,
      }),
    ]);
    expect(await count('notifications')).toBe(1);
    expect(await count('outgoing_emails')).toBe(1);
  });

  it('shows the requester her services and their orders, placed and approved before delivery, numbered in time', async () => {
    const rita = await signIn(t.app, 'requester@example.com', DEMO_PASSWORD);
    const mine = (await rita.get('/api/subscriptions?scope=mine&status=all')).body.items as {
      orderId: string;
      startedAt: string;
      status: string;
    }[];
    expect(mine.length).toBeGreaterThan(0);
    for (const s of mine) {
      const order = (await rita.get(`/api/orders/${s.orderId}`)).body;
      expect(order.status).toBe('delivered');
      const kinds = order.timeline.map((e: { kind: string }) => e.kind);
      expect(kinds).toEqual(['submitted', 'approved', 'in_fulfilment', 'delivered']);
      const times = order.timeline.map((e: { at: string }) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.at(-1)).toBe(Date.parse(s.startedAt));
    }
    // Numbered in the order they were placed, as if placed one by one.
    const placed = rowsOf<{ at: string }>(
      await t.database.db.execute(sql`select created_at::text as at from orders order by seq`),
    ).map((o) => Date.parse(o.at));
    expect(placed).toEqual([...placed].sort((a, b) => a - b));
  });
});
