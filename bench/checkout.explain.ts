// Why is a checkout slow under concurrency? `npx tsx bench/checkout.explain.ts` starts a
// throw-away PostgreSQL cluster and a portal (as the checkout benchmark does: demo data, the
// budget of CC-ENG-200 raised), then
//
// 1. places one checkout alone (after two to warm up) and prints every SQL statement it runs,
//    with the time each took as the portal sees it (send to result), and how long the rows of
//    search_entries that the popularity update locks stay locked until COMMIT;
// 2. prints the plan of that update (EXPLAIN, in a transaction rolled back);
// 3. loads POST /api/orders with BENCH_CHECKOUT_CLIENTS clients (20) for BENCH_DURATION seconds
//    (10) and samples pg_stat_activity every 50 ms: what the portal's connections are doing or
//    waiting for, and how many deadlocks PostgreSQL detected (pg_stat_database);
// 4. adds BENCH_CHECKOUT_GROW orders to the cost centre by SQL and shows the budget check's sum
//    over its orders (EXPLAIN ANALYZE) and a checkout alone, before and after.
//
// Options (environment): BENCH_CHECKOUT_SQL statements run on the database first (the portal
// is started again after them, so ALTER DATABASE … SET reaches every connection);
// BENCH_CHECKOUT_SPREAD=1 spreads the orders over six services (pairs in turn) instead of the
// benchmark's same two. BENCH_CHECKOUT_GROW (20000): orders added by SQL after the load, to
// show what the budget check's sum over a cost centre's orders costs as they grow (0: skip).
// BENCH_KEEP=1 keeps the cluster afterwards for psql; Ctrl-C removes it.
import pg from 'pg';
import {
  checkOrders,
  orderBody,
  orderLines,
  portalOrders,
  raiseBudget,
  runClient,
} from './checkout.bench.ts';
import { cleanUp, createDatabase, startPostgres } from './cluster.ts';
import { requesterCredentials, startPortal } from './portal.ts';

interface Statement {
  text: string;
  values: unknown[];
  start: number;
  ms: number;
}

// Every statement any pg client sends while `recording` is set, with its time.
let recording: Statement[] | null = null;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  if (recording && result instanceof Promise) {
    const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown];
    const text = typeof first === 'string' ? first : first.text;
    const values = (typeof first === 'object' && first.values) || second || [];
    const entry: Statement = {
      text,
      values: Array.isArray(values) ? values : [],
      start: performance.now(),
      ms: Number.NaN,
    };
    recording.push(entry);
    void result.then(
      () => (entry.ms = performance.now() - entry.start),
      () => (entry.ms = performance.now() - entry.start),
    );
  }
  return result;
} as typeof pg.Client.prototype.query;

/** Six services whose plans each need the line manager (EUR 300 to 5,000 a year), no quota, no required options. */
const spreadLines = [
  { service: 'virtual-machine', plan: 'small', options: {}, quantity: 1 },
  { service: 'managed-redis', plan: 'medium', options: {}, quantity: 1 },
  { service: 'ci-runners', plan: 'dedicated', options: {}, quantity: 1 },
  { service: 'video-conferencing', plan: 'webinars-500', options: {}, quantity: 1 },
  { service: 'platform-workshop', plan: 'seat', options: {}, quantity: 1 },
  { service: 'cloud-migration-assessment', plan: 'per-application', options: {}, quantity: 1 },
];

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

async function main() {
  const clients = Number(process.env.BENCH_CHECKOUT_CLIENTS || 20);
  const duration = Number(process.env.BENCH_DURATION || 10);
  const trySql = process.env.BENCH_CHECKOUT_SQL ?? '';
  const spread = process.env.BENCH_CHECKOUT_SPREAD === '1';

  const clusterUrl = startPostgres();
  const url = await createDatabase(clusterUrl, 'bench_checkout');
  const statements = trySql
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);
  if (statements.length) {
    const first = await startPortal({ databaseUrl: url });
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (const statement of statements) {
      console.log(`trying: ${statement}`);
      await c.query(statement);
    }
    await c.end();
    await first.close();
  }
  const portal = await startPortal({ databaseUrl: url });
  const probeClient = new pg.Client({ connectionString: url });
  try {
    await raiseBudget(portal.url, new Date().getUTCFullYear());
    const { bearer } = await requesterCredentials(portal.url);
    const headers = { authorization: bearer, 'content-type': 'application/json' };
    const body = orderBody();
    const place = async (key: string) => {
      const t = performance.now();
      const res = await fetch(`${portal.url}/api/orders`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': key },
        body: body.replace('{n}', key),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`HTTP ${res.status} ${text.slice(0, 300)}`);
      return performance.now() - t;
    };
    await place('explain-warm-1');
    await place('explain-warm-2');

    // 1. One checkout, alone.
    recording = [];
    const requestMs = await place('explain-alone');
    const taken = recording;
    recording = null;
    const t0 = taken[0]!.start;
    const sum = taken.reduce((n, s) => n + s.ms, 0);
    console.log(
      `\n=== one checkout alone (POST /api/orders, 2 lines): ${requestMs.toFixed(1)} ms over HTTP, ` +
        `${taken.length} statements, ${sum.toFixed(1)} ms waiting for PostgreSQL in all`,
    );
    const popularity = taken.findIndex((s) => /update "search_entries" set "popularity"/.test(s.text));
    const commit = taken.findIndex((s, i) => i > popularity && /^commit/i.test(s.text.trim()));
    for (const [i, s] of taken.entries()) {
      const mark = i === popularity ? ' <== locks the services’ search_entries rows' : '';
      console.log(
        `${String(i + 1).padStart(3)}  +${(s.start - t0).toFixed(1).padStart(6)} ms  ${s.ms.toFixed(2).padStart(6)} ms  ` +
          `${oneLine(s.text).slice(0, 150)}${mark}`,
      );
    }
    if (popularity >= 0 && commit >= 0) {
      const held = taken[commit]!.start + taken[commit]!.ms - taken[popularity]!.start;
      console.log(
        `\nThe popularity update is statement ${popularity + 1} of ${taken.length}; its row locks are held for ` +
          `${held.toFixed(1)} ms (${commit - popularity} statements) until COMMIT. Every checkout of the same ` +
          `service waits for them: at most ~${(1000 / held).toFixed(0)} checkouts/s of one service, alone.`,
      );
      // 2. Its plan.
      await probeClient.connect();
      const u = taken[popularity]!;
      await probeClient.query('begin');
      const { rows } = await probeClient.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers) ${u.text}`,
        u.values,
      );
      await probeClient.query('rollback');
      console.log(`\n--- ${oneLine(u.text)}\n${rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n')}`);
      const { rows: size } = await probeClient.query<{ n: number; pages: number }>(
        "select count(*)::int as n, pg_relation_size('search_entries') / 8192 as pages from search_entries",
      );
      console.log(`    search_entries: ${size[0]!.n} rows, ${size[0]!.pages} pages`);
    } else {
      await probeClient.connect();
    }

    // 3. Under load: what the portal's connections wait for.
    const deadlocks = async () =>
      Number(
        (
          await probeClient.query<{ n: string }>(
            'select deadlocks as n from pg_stat_database where datname = current_database()',
          )
        ).rows[0]!.n,
      );
    const before = await deadlocks();
    const samples = new Map<string, number>();
    let sampled = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await probeClient.query<{ wait: string; query: string }>(
          `select coalesce(wait_event_type || ':' || wait_event, 'on CPU') as wait, query
           from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and state = 'active'`,
        );
        sampled++;
        for (const r of rows) {
          const what = `${r.wait.padEnd(24)} ${oneLine(r.query).slice(0, 90)}`;
          samples.set(what, (samples.get(what) ?? 0) + 1);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const bodies = spread
      ? spreadLines.map((_, i) => orderBody([spreadLines[i]!, spreadLines[(i + 1) % spreadLines.length]!]))
      : [body];
    const prefix = `ck-explain`;
    console.log(
      `\n=== ${clients} clients for ${duration} s, ${spread ? 'orders spread over 6 services (pairs in turn)' : `every order ${orderLines.map((l) => `${l.service}/${l.plan}`).join(' + ')}`}, every 10th request a retry`,
    );
    const out = await runClient({
      origin: portal.url,
      path: '/api/orders',
      headers: { authorization: bearer },
      clients,
      warmup: 1,
      duration,
      retryEvery: 10,
      keyPrefix: prefix,
      bodies,
      timeout: 30,
    }).finally(async () => {
      sampling = false;
      await sampler;
    });
    const found = await deadlocks();
    const [requester] = (
      await probeClient.query<{ id: string }>("select id from users where email = 'requester@example.com'")
    ).rows;
    const check = checkOrders(out.attempts, await portalOrders(portal.database, requester!.id, prefix));
    console.log(
      `checkouts/s ${out.checkoutsPerSec}, req/s ${out.reqPerSec}, p50 ${out.p50} ms, p95 ${out.p95} ms, p99 ${out.p99} ms; ` +
        `${out.errors} errors, ${out.timeouts} timeouts, ${out.non2xx} non-2xx; deadlocks detected: ${found - before}; ` +
        `check: ${check.failures.length ? `FAILED: ${check.failures.slice(0, 3).join('; ')}` : 'none lost, none duplicated'}`,
    );
    console.log(`per second: ${out.perSecond.join(' ')}`);
    if (out.problems.length) console.log(`problems: ${out.problems.slice(0, 3).join(' | ')}`);
    console.log(
      `\nactive portal connections, ${sampled} samples every 50 ms (share of samples; a connection in a ` +
        'transaction between statements is "idle in transaction" and not counted):',
    );
    for (const [what, n] of [...samples].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
      console.log(`  ${(n / sampled).toFixed(2).padStart(6)}  ${what}`);
    }
    // 4. What grows with the orders of a cost centre: BENCH_CHECKOUT_GROW more orders like the
    // one placed alone, then the budget's sum again, and a checkout alone.
    const grow = Number(process.env.BENCH_CHECKOUT_GROW ?? 20_000);
    const committed = taken.find((s) => /^select coalesce\(sum\(/.test(s.text.trim()));
    if (grow > 0 && committed) {
      const explainCommitted = async () => {
        const { rows } = await probeClient.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, buffers) ${committed.text}`,
          committed.values,
        );
        return rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n');
      };
      const alone = async (label: string) => {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) times.push(await place(`explain-${label}-${i}`));
        return times.sort((a, b) => a - b)[2]!;
      };
      const { rows: count } = await probeClient.query<{ n: number }>(
        'select count(*)::int as n from orders where cost_centre_id = (select cost_centre_id from orders where idempotency_key = $1)',
        ['explain-alone'],
      );
      console.log(
        `\n=== the budget's sum (committedAmounts) with ${count[0]!.n} orders on the cost centre ` +
          `(checkout alone now: median of 5 ${(await alone('before')).toFixed(1)} ms)\n${await explainCommitted()}`,
      );
      const t = performance.now();
      await probeClient.query(
        `insert into orders select (jsonb_populate_record(null::orders, to_jsonb(o) || jsonb_build_object(
           'id', gen_random_uuid(), 'seq', nextval(pg_get_serial_sequence('orders', 'seq')),
           'idempotency_key', 'grow-' || g))).*
         from orders o, generate_series(1, $1::int) g where o.idempotency_key = 'explain-alone'`,
        [grow],
      );
      await probeClient.query(
        `insert into order_lines select (jsonb_populate_record(null::order_lines, to_jsonb(l) || jsonb_build_object(
           'id', gen_random_uuid(), 'order_id', n.id))).*
         from order_lines l join orders a on a.id = l.order_id and a.idempotency_key = 'explain-alone'
         cross join orders n where n.idempotency_key like 'grow-%'`,
      );
      await probeClient.query('vacuum analyze orders');
      await probeClient.query('vacuum analyze order_lines');
      console.log(
        `\n=== the same with ${count[0]!.n + grow} orders (${grow} added by SQL in ${((performance.now() - t) / 1000).toFixed(1)} s; ` +
          `checkout alone now: median of 5 ${(await alone('after')).toFixed(1)} ms)\n${await explainCommitted()}`,
      );
    }

    if (process.env.BENCH_KEEP === '1') {
      console.log(`\ncluster kept: psql ${url}\nCtrl-C stops and removes it.`);
      await new Promise(() => {});
    }
  } finally {
    await probeClient.end().catch(() => {});
    await portal.close();
    cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
