// Budget alerts, the e-mail they go out by, and the scheduled close. One VM at 38.00 a month on
// the world's cost centre (owned by the manager) since 10 Sep 2026; a budget of 300 a year, 25.00
// a month. By 20 Nov 00:00 it has cost 38 × 19/30 = 24.07 this month (96%), by 22 Nov 26.60 (106%).
import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBudgets } from '../src/modules/billing/billing.alerts.ts';
import { CHECK_BUDGETS, CLOSE_ENDED_MONTHS, closeEndedMonths } from '../src/modules/billing/billing.jobs.ts';
import { SEND_EMAILS, sendOutbox } from '../src/modules/notify/index.ts';
import { aPerson } from '../src/modules/identity/identity.factory.ts';
import { rowsOf } from '../src/platform/db.ts';
import { aSubscriptionDelivered, rewriteHistory } from './deliveries.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let as: Record<'requester' | 'manager' | 'fulfiller' | 'finance', Client>;
let smtp: SMTPServer;
const received: { to: string[]; raw: string }[] = [];
/** Addresses the mail server refuses for now (a mailbox that is full). */
const refusing = new Set<string>();

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const port = await freePort();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refusing.has(address.address)) return callback(new Error('452 mailbox full, try later'));
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  t = await testApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Portico <portico@example.com>' });
  w = await aWorld(t.database);
  const finance = await t.database.transaction((tx) =>
    aPerson(tx, { name: 'Fin Finance', roles: ['requester', 'finance'] }),
  );
  as = {
    requester: await signIn(t.app, w.requester.email, w.password),
    manager: await signIn(t.app, w.manager.email, w.password),
    fulfiller: await signIn(t.app, w.fulfiller.email, w.password),
    finance: await signIn(t.app, finance.email, w.password),
  };
  const vm = await aSubscriptionDelivered(t, w, as, {
    justification: 'Alerts',
    outputs: { hostname: 'vm-01' },
  });
  await rewriteHistory(t, w, vm, [{ kind: 'start', at: '2026-09-10T00:00:00Z', monthlyPrice: '38.00' }]);
  const budget = await as.finance.put(`/api/cost-centres/${w.org.costCentre.code}/budgets/2026`, {
    currency: 'EUR',
    annualAmount: '300',
    onOverrun: 'warn',
  });
  expect(budget.status, JSON.stringify(budget.body)).toBe(200);
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const alertsOfManager = async () =>
  (await as.manager.get('/api/notifications')).body.items.filter(
    (n: { kind: string }) => n.kind === 'budget.alert',
  );

const outbox = async () =>
  rowsOf<{
    to_address: string;
    subject: string;
    sent_at: Date | null;
    attempts: number;
    last_error: string | null;
  }>(
    await t.database.db.execute(
      sql`select to_address, subject, sent_at, attempts, last_error from outgoing_emails order by created_at, subject`,
    ),
  );

describe('budget alerts', () => {
  it('nothing under 80% of the monthly budget', async () => {
    // 15 Nov: 38 × 14/30 = 17.73, 71%.
    expect(await checkBudgets(t.database, new Date('2026-11-15T00:00:00Z'))).toBe(0);
    expect(await alertsOfManager()).toEqual([]);
  });

  it('at 80% the owner is told in the app and by e-mail, once however often it is checked', async () => {
    expect(await checkBudgets(t.database, new Date('2026-11-20T00:00:00Z'))).toBe(1);
    expect(await checkBudgets(t.database, new Date('2026-11-20T06:00:00Z'))).toBe(0);
    const alerts = await alertsOfManager();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      title: `${w.org.costCentre.code} has used 80% of its budget for 2026-11`,
      link: `/costs/${w.org.costCentre.code}`,
    });
    expect(alerts[0].body).toMatch(/spent €24\.07 so far this month, against a monthly budget of €25\.00/);
    expect(await outbox()).toEqual([
      expect.objectContaining({
        to_address: w.manager.email,
        subject: alerts[0].title,
        sent_at: null,
        attempts: 0,
      }),
    ]);
  });

  it('at 100% once more; both crossed at once say the higher and record both', async () => {
    expect(await checkBudgets(t.database, new Date('2026-11-22T00:00:00Z'))).toBe(1);
    expect((await alertsOfManager()).map((a: { title: string }) => a.title)).toEqual([
      `${w.org.costCentre.code} has used 100% of its budget for 2026-11`,
      `${w.org.costCentre.code} has used 80% of its budget for 2026-11`,
    ]);
    // December: the whole month at once is 38.00, 152%: one alert naming 100%, both recorded.
    expect(await checkBudgets(t.database, new Date('2027-01-01T00:00:00Z'))).toBe(0); // 2027 has no budget
    expect(await checkBudgets(t.database, new Date('2026-12-31T23:00:00Z'))).toBe(1);
    expect((await alertsOfManager())[0].title).toBe(
      `${w.org.costCentre.code} has used 100% of its budget for 2026-12`,
    );
    const recorded = rowsOf<{ period: string; threshold: number; amount: string }>(
      await t.database.db.execute(
        sql`select period, threshold, amount::text from budget_alerts order by period, threshold`,
      ),
    );
    expect(recorded.map((r) => [r.period, r.threshold])).toEqual([
      ['2026-11', 80],
      ['2026-11', 100],
      ['2026-12', 80],
      ['2026-12', 100],
    ]);
    expect(Number(recorded[0]!.amount)).toBe(24.07);
  });
});

describe('the e-mail outbox', () => {
  it('sends over SMTP with a link to the page; a refusal is kept and tried again', async () => {
    refusing.add(w.manager.email);
    expect(await sendOutbox(t.database, t.deps.mailer, 'https://portico.example.com')).toBe(0);
    const failed = await outbox();
    expect(failed).toHaveLength(3);
    for (const e of failed) {
      expect(e).toMatchObject({
        sent_at: null,
        attempts: 1,
        last_error: expect.stringMatching(/mailbox full/),
      });
    }
    refusing.clear();
    // Held back for a while after a failure: not tried again at once.
    expect(await sendOutbox(t.database, t.deps.mailer, 'https://portico.example.com')).toBe(0);
    await t.database.db.execute(sql`update outgoing_emails set claimed_until = now() - interval '1 second'`);
    expect(await sendOutbox(t.database, t.deps.mailer, 'https://portico.example.com')).toBe(3);
    expect(await sendOutbox(t.database, t.deps.mailer, 'https://portico.example.com')).toBe(0);
    const sent = await outbox();
    expect(sent.every((e) => e.sent_at !== null && e.attempts === 2 && e.last_error === null)).toBe(true);
    expect(received).toHaveLength(3);
    const first = received.find((m) => m.raw.includes('80% of its budget for 2026-11'))!;
    expect(first.to).toEqual([w.manager.email]);
    const raw = first.raw.replace(/=\r\n/g, '');
    expect(raw).toMatch(/^From: Portico <portico@example\.com>/m);
    expect(raw).toMatch(/^Message-ID: <[0-9a-f-]{36}@portico\.example\.com>/im);
    expect(raw).toContain(`https://portico.example.com/costs/${w.org.costCentre.code}`);
  });
});

describe('schedules', () => {
  it('closes every ended month not closed yet, oldest first, and nothing twice', async () => {
    const results = await closeEndedMonths(t.database, new Date('2026-11-15T00:00:00Z'));
    expect(results.map((r) => [r.month, r.status])).toEqual([
      ['2026-09', 'closed'],
      ['2026-10', 'closed'],
    ]);
    expect(results.map((r) => r.linesWritten)).toEqual([1, 1]);
    expect(await closeEndedMonths(t.database, new Date('2026-11-15T00:00:00Z'))).toEqual([]);
  });

  it('are registered with the queue: the close monthly, budgets every 15 minutes, e-mail every minute', async () => {
    const schedules = rowsOf<{ name: string; cron: string; timezone: string }>(
      await t.database.db.execute(sql`select name, cron, timezone from pgboss.schedule order by name`),
    );
    expect(schedules).toEqual(
      expect.arrayContaining([
        { name: CLOSE_ENDED_MONTHS, cron: '0 2 1 * *', timezone: 'UTC' },
        { name: CHECK_BUDGETS, cron: '*/15 * * * *', timezone: 'UTC' },
        { name: SEND_EMAILS, cron: '* * * * *', timezone: 'UTC' },
      ]),
    );
  });
});
