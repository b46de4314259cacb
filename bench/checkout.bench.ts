// Checkout under concurrency (issue "Cart and approvals", Measure): checkouts per second with
// 20 concurrent clients, each placing 2-line orders that need approval, the p50/p95/p99
// latency, and a check after the run that no order is lost or duplicated.
//
// The portal is loaded with `POST /api/orders` (an Idempotency-Key per order, the demo
// requester's API token as Bearer), the call the cart's checkout ends in: `POST
// /api/cart/checkout` runs the same placeOrder after reading the cart, and each checkout would
// first need its cart filled with two more requests, so the load would measure the cart as
// much as the checkout.
//
// The baseline, in the same run on the same database, driver and pool: a bare Fastify route
// that, in one transaction, inserts an order-like row (unique idempotency key, on conflict do
// nothing) and its two line rows, loaded the same way (same clients, keys and retries).
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { positional, rowsOf, type Database } from '../apps/server/src/platform/db.ts';
import type { Attempt, ClientJob, ClientOutput } from './checkout.client.ts';
import { tsxLoader } from './load.ts';
import { login, requesterCredentials, startPortal } from './portal.ts';
import { recordServerTimes, type ServerTimes } from './server-times.ts';

const run = promisify(execFile);
const clientScript = fileURLToPath(new URL('./checkout.client.ts', import.meta.url));

export interface CheckoutSettings {
  duration: number;
  warmup: number;
  /** Concurrent clients, each with one checkout in flight. */
  clients: number;
  /** Every n-th request repeats the key of an earlier one (a retry, see checkout.client.ts); 0: none. */
  retryEvery: number;
}

/** Charged: the requester may charge it, and over budget it only warns (see `raiseBudget`). */
export const costCentre = 'CC-ENG-200';
/**
 * Two lines that each need the line manager's approval (policy "Spending": first-year cost from
 * EUR 300 to under 5,000; both are cloud services, so no architecture review), with no quota
 * per person or cost centre and no required options.
 */
export const orderLines = [
  { service: 'virtual-machine', plan: 'small', options: {}, quantity: 1 }, // EUR 456 a year
  { service: 'managed-redis', plan: 'medium', options: {}, quantity: 1 }, // EUR 720 a year
];

export const baselineTarget = 'baseline (insert order + 2 lines)';
export const portalTarget = 'portal, POST /api/orders';

/** What a check after the run found. */
export interface CheckResult {
  /** Distinct keys sent, keys that got a 200 or 201, orders found for the keys. */
  keysSent: number;
  keysAcknowledged: number;
  orders: number;
  /** Requests sent again with a key already sent, and of those how many started while the first attempt was still in flight. */
  retries: number;
  retriesOverlapping: number;
  /** 201 (created) and 200 (the same order again) answers. */
  created: number;
  replayed: number;
  /** Keys with an order whose every request failed (timeout, connection error): not a loss, reported. */
  committedUnacknowledged: number;
  /** Empty when every check passed. */
  failures: string[];
}

export interface CheckoutMeasurement extends Omit<ClientOutput, 'attempts'> {
  benchmark: 'checkout';
  engine: string;
  target: string;
  clients: number;
  retryEvery: number;
  /** Milliseconds of one checkout alone, before the load (its own key). */
  alone: number;
  /** The server's own time (Fastify's reply.elapsedTime, ms) of the responses in the measured window. */
  server?: { responses: number; p50: number; p95: number; p99: number };
  check: CheckResult;
  /**
   * CPU milliseconds per request over the whole run (warm-up included): of this process (the
   * portal and the baseline; only the target loaded is busy), and of the PostgreSQL backends
   * serving this database (null on PGlite, which runs in this process).
   */
  cpuPerRequest: { node: number; postgres: number | null };
  /** Requests of the whole run (warm-up and the end included) answered with anything but 200/201, or not at all. */
  failedRequests: number;
  /** Set when the load had errors, timeouts or non-2xx answers, or the check failed. */
  failed?: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function serverStats(ms: number[]): CheckoutMeasurement['server'] {
  const sorted = Float64Array.from(ms).sort();
  const at = (p: number) =>
    round2(sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? Number.NaN);
  return { responses: sorted.length, p50: at(50), p95: at(95), p99: at(99) };
}

const exec = async (database: Database, text: string, values: unknown[] = []) =>
  database.db.execute(positional(text, values));

/**
 * The floor: a bare Fastify route on the same `Database` (driver, pool) that inserts an
 * order-like row and two line rows in one transaction, with the same idempotency rule as the
 * portal (a key already used answers 200 with its order), into tables of its own.
 */
async function startCheckoutBaseline(database: Database) {
  await exec(
    database,
    `create table if not exists bench_orders (
       id uuid primary key default gen_random_uuid(),
       idempotency_key text not null unique,
       cost_centre text not null,
       justification text not null,
       needed_by date,
       status text not null,
       created_at timestamptz not null default now())`,
  );
  await exec(
    database,
    `create table if not exists bench_order_lines (
       id uuid primary key default gen_random_uuid(),
       order_id uuid not null references bench_orders (id),
       position integer not null,
       service_slug text not null,
       plan_slug text not null,
       options jsonb not null,
       quantity integer not null,
       status text not null)`,
  );
  await exec(
    database,
    'create index if not exists bench_order_lines_order_idx on bench_order_lines (order_id)',
  );

  const app = Fastify({ logger: false });
  const serverTimes = recordServerTimes(app);
  type Body = {
    costCentre: string;
    justification: string;
    neededBy?: string;
    lines: { service: string; plan: string; options: object; quantity: number }[];
  };
  app.post<{ Body: Body }>('/baseline/orders', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string') return reply.code(400).send({ error: 'Idempotency-Key' });
    const b = req.body;
    const result = await database.transaction(async (tx) => {
      const [created] = rowsOf<{ id: string }>(
        await tx.execute(
          positional(
            `insert into bench_orders (idempotency_key, cost_centre, justification, needed_by, status)
             values ($1, $2, $3, $4, 'pending_approval')
             on conflict (idempotency_key) do nothing returning id`,
            [key, b.costCentre, b.justification, b.neededBy ?? null],
          ),
        ),
      );
      if (!created) {
        const [found] = rowsOf<{ id: string }>(
          await tx.execute(positional('select id from bench_orders where idempotency_key = $1', [key])),
        );
        return { id: found!.id, created: false };
      }
      const values = b.lines.flatMap((l, i) => [
        created.id,
        i,
        l.service,
        l.plan,
        JSON.stringify(l.options),
        l.quantity,
      ]);
      const rows = b.lines.map(
        (_, i) =>
          `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}::jsonb, $${i * 6 + 6}, 'pending_approval')`,
      );
      await tx.execute(
        positional(
          `insert into bench_order_lines (order_id, position, service_slug, plan_slug, options, quantity, status)
           values ${rows.join(', ')}`,
          values,
        ),
      );
      return { id: created.id, created: true };
    });
    return reply.code(result.created ? 201 : 200).send({ id: result.id });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, serverTimes, close: () => app.close() };
}

/**
 * CPU milliseconds used so far by the PostgreSQL backends connected to this database, per pid
 * (/proc/<pid>/stat, utime + stime); with `since`, the sum of what they used after it. Null on
 * PGlite or where /proc cannot be read.
 */
async function backendCpu(database: Database): Promise<Map<number, number> | null>;
async function backendCpu(database: Database, since: Map<number, number> | null): Promise<number | null>;
async function backendCpu(
  database: Database,
  since?: Map<number, number> | null,
): Promise<Map<number, number> | number | null> {
  if (database.kind !== 'postgres' || since === null) return null;
  const pids = rowsOf<{ pid: number }>(
    await exec(
      database,
      "select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'",
    ),
  );
  const ticks = new Map<number, number>();
  try {
    for (const { pid } of pids) {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks);
    }
  } catch {
    return null;
  }
  if (!since) return ticks;
  let used = 0;
  for (const [pid, ms] of ticks) used += ms - (since.get(pid) ?? 0);
  return used;
}

/** Kernel clock ticks per second (USER_HZ), 100 on Linux. */
const clockTicks = 100;

/** Runs the client (checkout.client.ts) in a child process; returns what it measured. */
export async function runClient(job: ClientJob): Promise<ClientOutput> {
  const running = run(process.execPath, ['--import', tsxLoader, clientScript, JSON.stringify(job)], {
    timeout: (job.duration + job.warmup + job.timeout + 30) * 1000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const stop = () => running.child.kill();
  process.once('exit', stop);
  const { stdout } = await running.finally(() => process.off('exit', stop));
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ClientOutput;
}

const ok = (a: Attempt) => a.status === 200 || a.status === 201;

export interface FoundOrder {
  key: string;
  id: string;
  /** Problems with this order's rows (lines, approvals, timeline), empty when as expected. */
  problems: string[];
}

/** The portal's orders of this run: lines, approval chains, approvals and timeline checked. */
export async function portalOrders(
  database: Database,
  requesterId: string,
  prefix: string,
): Promise<FoundOrder[]> {
  const rows = rowsOf<{
    id: string;
    key: string;
    status: string;
    lines: number;
    positions: string | null;
    chains: number;
    awaiting: number;
    submitted: number;
  }>(
    await exec(
      database,
      `select o.id, o.idempotency_key as key, o.status,
         (select count(*) from order_lines l where l.order_id = o.id)::int as lines,
         (select string_agg(l.position::text, ',' order by l.position) from order_lines l
           where l.order_id = o.id) as positions,
         (select count(*) from order_lines l join approval_chains c on c.order_line_id = l.id
           where l.order_id = o.id and c.status = 'pending' and c.current_stage = 1
             and jsonb_array_length(c.stages) >= 1)::int as chains,
         (select count(distinct a.order_line_id) from approvals a
           where a.order_id = o.id and a.stage = 1 and a.status = 'pending')::int as awaiting,
         (select count(*) from order_events e where e.order_id = o.id and e.kind = 'submitted')::int as submitted
       from orders o
       where o.requester_id = $1 and o.idempotency_key like $2`,
      [requesterId, `${prefix}-%`],
    ),
  );
  return rows.map((r) => ({
    key: r.key,
    id: r.id,
    problems: [
      r.status === 'pending_approval' ? '' : `status ${r.status}`,
      r.lines === 2 && r.positions === '0,1' ? '' : `${r.lines} lines (positions ${r.positions})`,
      r.chains === 2 ? '' : `${r.chains} of 2 lines with a pending approval chain`,
      r.awaiting === 2 ? '' : `${r.awaiting} of 2 lines with a pending approval at stage 1`,
      r.submitted === 1 ? '' : `${r.submitted} 'submitted' events`,
    ].filter(Boolean),
  }));
}

/** The baseline's orders of this run, with their line count. */
async function baselineOrders(database: Database, prefix: string): Promise<FoundOrder[]> {
  const rows = rowsOf<{ id: string; key: string; lines: number; positions: string | null }>(
    await exec(
      database,
      `select o.id, o.idempotency_key as key,
         (select count(*) from bench_order_lines l where l.order_id = o.id)::int as lines,
         (select string_agg(l.position::text, ',' order by l.position) from bench_order_lines l
           where l.order_id = o.id) as positions
       from bench_orders o where o.idempotency_key like $1`,
      [`${prefix}-%`],
    ),
  );
  return rows.map((r) => ({
    key: r.key,
    id: r.id,
    problems: r.lines === 2 && r.positions === '0,1' ? [] : [`${r.lines} lines (positions ${r.positions})`],
  }));
}

/**
 * No order lost: every key that got a 200 or 201 has exactly one order, the one every answer
 * for that key named. No duplicate: no key has two orders, no key was created (201) twice,
 * every order belongs to a key that was sent, and each order has exactly its rows.
 */
export function checkOrders(attempts: Attempt[], orders: FoundOrder[]): CheckResult {
  const failures: string[] = [];
  const fail = (what: string) => {
    if (failures.length < 20) failures.push(what);
    else if (failures.length === 20) failures.push('… (more)');
  };
  const byKey = new Map<string, Attempt[]>();
  for (const a of attempts) {
    let list = byKey.get(a.key);
    if (!list) byKey.set(a.key, (list = []));
    list.push(a);
  }
  const ordersByKey = new Map<string, FoundOrder[]>();
  for (const o of orders) {
    let list = ordersByKey.get(o.key);
    if (!list) ordersByKey.set(o.key, (list = []));
    list.push(o);
  }
  for (const [key, found] of ordersByKey) {
    if (found.length > 1) fail(`duplicate: key ${key} has ${found.length} orders`);
    if (!byKey.has(key)) fail(`order ${found[0]!.id} for key ${key}, which was never sent`);
    for (const o of found)
      if (o.problems.length) fail(`order ${o.id} (key ${key}): ${o.problems.join('; ')}`);
  }
  let acknowledged = 0;
  let committedUnacknowledged = 0;
  let retries = 0;
  let retriesOverlapping = 0;
  for (const [key, list] of byKey) {
    const found = ordersByKey.get(key) ?? [];
    const answered = list.filter(ok);
    const created = list.filter((a) => a.status === 201);
    if (created.length > 1) fail(`duplicate: key ${key} was answered 201 (created) ${created.length} times`);
    if (answered.length) {
      acknowledged++;
      if (found.length === 0) fail(`lost: key ${key} was answered ${answered[0]!.status} but has no order`);
      else {
        const ids = new Set(answered.map((a) => a.orderId));
        if (ids.size > 1 || !ids.has(found[0]!.id)) {
          fail(`key ${key}: answers named ${[...ids].join(', ')}, the order is ${found[0]!.id}`);
        }
      }
    } else if (found.length) {
      // Every request for this key failed, yet its order exists: fine after a timeout or a
      // dropped connection (the client would retry and get it), wrong after an HTTP error answer.
      if (list.some((a) => a.status !== 0)) {
        fail(
          `key ${key}: answered ${list.map((a) => a.status).join(', ')} but its order ${found[0]!.id} was committed`,
        );
      } else committedUnacknowledged++;
    }
    const first = list.find((a) => !a.retry);
    for (const r of list.filter((a) => a.retry)) {
      retries++;
      if (first && r.at - r.ms < first.at) retriesOverlapping++;
    }
  }
  return {
    keysSent: byKey.size,
    keysAcknowledged: acknowledged,
    orders: orders.length,
    retries,
    retriesOverlapping,
    created: attempts.filter((a) => a.status === 201).length,
    replayed: attempts.filter((a) => a.status === 200).length,
    committedUnacknowledged,
    failures,
  };
}

/** Finance sets the budget of `costCentre` so high that no checkout of the run goes over it. */
export async function raiseBudget(portalUrl: string, year: number) {
  const finance = await login(portalUrl, 'finance@example.com');
  const res = await fetch(`${portalUrl}/api/cost-centres/${costCentre}/budgets/${year}`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      cookie: finance.cookie,
      'x-csrf-token': finance.csrfToken,
    },
    body: JSON.stringify({ currency: 'EUR', annualAmount: '1000000000', onOverrun: 'warn' }),
  });
  if (res.status !== 200) throw new Error(`budget of ${costCentre}: HTTP ${res.status} ${await res.text()}`);
}

/** The order body of the benchmark (`{n}` stands for the order's number). */
export function orderBody(lines: typeof orderLines = orderLines): string {
  const neededBy = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  return JSON.stringify({
    costCentre,
    justification: 'Checkout benchmark, order {n}',
    neededBy,
    slaAccepted: true,
    lines,
  });
}

/** One checkout alone (its own key), timed; the answer must be 201 with two lines awaiting approval. */
export async function probe(
  origin: string,
  path: string,
  headers: Record<string, string>,
  body: string,
  portal: boolean,
) {
  const started = performance.now();
  const res = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      'idempotency-key': `probe-${randomBytes(6).toString('hex')}`,
    },
    body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 201) throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  if (portal) {
    const order = JSON.parse(text) as {
      status: string;
      lines: { approval: { status: string; stages: { name: string; status: string }[] } | null }[];
    };
    const pending = order.lines.filter(
      (l) => l.approval?.status === 'pending' && l.approval.stages.length > 0,
    );
    if (order.status !== 'pending_approval' || order.lines.length !== 2 || pending.length !== 2) {
      throw new Error(`${path}: the probe's order is not 2 lines awaiting approval: ${text.slice(0, 500)}`);
    }
    return { ms, stages: order.lines.map((l) => l.approval!.stages.map((s) => s.name).join(' → ')) };
  }
  return { ms, stages: [] };
}

export async function checkoutBench(
  engine: string,
  where: Parameters<typeof startPortal>[0],
  settings: CheckoutSettings,
  log: (line: string) => void,
  /**
   * Statements (`;`-separated) run on the checkout database before it is measured, to try a
   * database-side change without touching the code. The portal is then started again, so that
   * settings made with ALTER DATABASE … SET reach every connection of its pool.
   */
  trySql = '',
): Promise<CheckoutMeasurement[]> {
  const statements = trySql
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);
  if (statements.length) {
    const first = await startPortal(where);
    try {
      for (const statement of statements) {
        log(`  ${engine}: ${statement}`);
        await first.database.db.execute(sql.raw(statement));
      }
    } finally {
      await first.close();
    }
  }
  const portal = await startPortal(where);
  const baseline = await startCheckoutBaseline(portal.database);
  try {
    const year = new Date().getUTCFullYear();
    await raiseBudget(portal.url, year);
    const credentials = await requesterCredentials(portal.url);
    const [requester] = rowsOf<{ id: string }>(
      await exec(portal.database, "select id from users where email = 'requester@example.com'"),
    );
    const body = orderBody();
    const run = randomBytes(4).toString('hex');
    const targets: {
      target: string;
      origin: string;
      path: string;
      headers: Record<string, string>;
      serverTimes: ServerTimes;
      portal: boolean;
      orders: (prefix: string) => Promise<FoundOrder[]>;
    }[] = [
      {
        target: baselineTarget,
        origin: baseline.origin,
        path: '/baseline/orders',
        headers: {},
        serverTimes: baseline.serverTimes,
        portal: false,
        orders: (prefix) => baselineOrders(portal.database, prefix),
      },
      {
        target: portalTarget,
        origin: portal.url,
        path: '/api/orders',
        headers: { authorization: credentials.bearer },
        serverTimes: portal.serverTimes,
        portal: true,
        orders: (prefix) => portalOrders(portal.database, requester!.id, prefix),
      },
    ];
    const results: CheckoutMeasurement[] = [];
    for (const t of targets) {
      const alone = await probe(t.origin, t.path, t.headers, body.replace('{n}', 'probe'), t.portal);
      log(
        `  ${engine}: ${t.target} … ${settings.clients} clients, ${settings.duration} s after ${settings.warmup} s warm-up, ` +
          `${settings.retryEvery ? `1 request in ${settings.retryEvery} a retry` : 'no retries'} (alone: ${alone.ms.toFixed(1)} ms` +
          (alone.stages.length ? `; approval: ${alone.stages.join(', ')}` : '') +
          ')',
      );
      const prefix = `ck-${run}-${t.portal ? 'portal' : 'base'}`;
      t.serverTimes.start();
      const cpuBefore = { node: process.cpuUsage(), postgres: await backendCpu(portal.database) };
      const out = await runClient({
        origin: t.origin,
        path: t.path,
        headers: t.headers,
        clients: settings.clients,
        warmup: settings.warmup,
        duration: settings.duration,
        retryEvery: settings.retryEvery,
        keyPrefix: prefix,
        bodies: [body],
        timeout: 10,
      });
      const nodeCpu = process.cpuUsage(cpuBefore.node);
      const postgresCpu = await backendCpu(portal.database, cpuBefore.postgres);
      const server = serverStats(t.serverTimes.stop(out.window.from, out.window.to));
      const requests = out.attempts.length;
      const cpu = {
        node: round2((nodeCpu.user + nodeCpu.system) / 1000 / requests),
        postgres: postgresCpu === null ? null : round2(postgresCpu / requests),
      };
      const check = checkOrders(out.attempts, await t.orders(prefix));
      const { attempts, ...measured } = out;
      // Any answer but 200/201, in the measured window or not (warm-up, the requests in flight
      // at the end), makes the run a failure.
      const bad = attempts.filter((a) => !ok(a));
      const statuses = new Map<string, number>();
      for (const a of bad) {
        const what = a.status ? `HTTP ${a.status}` : (a.error ?? 'error');
        statuses.set(what, (statuses.get(what) ?? 0) + 1);
      }
      const why = [
        bad.length
          ? `${bad.length} of ${attempts.length} requests failed (${[...statuses].map(([w, n]) => `${n} × ${w}`).join(', ')}: ${out.problems.slice(0, 2).join(' | ')})`
          : '',
        check.failures.length ? `check: ${check.failures.slice(0, 5).join('; ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      log(
        `  ${engine}: ${t.target}: ${attempts.length} requests in all, ${check.keysSent} keys, ` +
          `${check.keysAcknowledged} acknowledged, ${check.orders} orders; check ${check.failures.length ? 'FAILED' : 'passed'}`,
      );
      if (why) log(`  ${engine}: ${t.target} FAILED: ${why}`);
      results.push({
        benchmark: 'checkout',
        engine,
        target: t.target,
        clients: settings.clients,
        retryEvery: settings.retryEvery,
        alone: round2(alone.ms),
        ...measured,
        server,
        check,
        failedRequests: bad.length,
        cpuPerRequest: cpu,
        ...(why ? { failed: why } : {}),
      });
    }
    return results;
  } finally {
    await baseline.close();
    await portal.close();
  }
}
