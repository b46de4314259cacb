// Why is a search slow? `npx tsx bench/discovery.explain.ts [query …]` starts a throw-away
// PostgreSQL cluster, a portal with the discovery benchmark's catalogue (the demo catalogue plus
// BENCH_SERVICES generated services, 10000), and for each query (default: a few of the
// benchmark's) records every SQL statement GET /api/services?q=<query> runs, then prints
// EXPLAIN (ANALYZE, BUFFERS) of each, with the time of the whole request: the generic plan (the
// one the portal's connections keep for a named statement) and the custom plan of the values.
//
// `--category` instead lists by category (the arguments are category slugs).
// BENCH_KEEP=1 keeps the cluster afterwards and prints its URL, for psql; Ctrl-C removes it.
import pg from 'pg';
import { cleanUp, startPostgres } from './cluster.ts';
import { seedServices } from './discovery.bench.ts';
import { requesterCredentials, startPortal } from './portal.ts';

interface Statement {
  text: string;
  values: unknown[];
}

// Every statement any pg client sends while `recording` is set.
let recording: Statement[] | null = null;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (recording) {
    const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown];
    const text = typeof first === 'string' ? first : first.text;
    const values = (typeof first === 'object' && first.values) || second || [];
    recording.push({ text, values: Array.isArray(values) ? values : [] });
  }
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

async function main() {
  const args = process.argv.slice(2);
  const byCategory = args[0] === '--category';
  const terms = byCategory ? args.slice(1) : args;
  if (terms.length === 0)
    terms.push(...(byCategory ? ['compute', 'workplace'] : ['postgress', 'storage', 'windows vm']));
  const services = Number(process.env.BENCH_SERVICES || 10_000);

  const url = startPostgres();
  const portal = await startPortal({ databaseUrl: url });
  const explain = new pg.Client({ connectionString: url });
  try {
    await seedServices('postgres', portal.database, services, 500, console.log);
    const { cookie } = await requesterCredentials(portal.url);
    await explain.connect();
    for (const term of terms) {
      const path = `/api/services?${byCategory ? 'category' : 'q'}=${encodeURIComponent(term)}`;
      // Warm the caches, then time a few requests without recording.
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        const res = await fetch(`${portal.url}${path}`, { headers: { cookie } });
        await res.text();
        if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
        if (i > 0) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      recording = [];
      const res = await fetch(`${portal.url}${path}`, { headers: { cookie } });
      const { total } = (await res.json()) as { total: number };
      const statements = recording.filter((s) => /search_entries/.test(s.text));
      recording = null;
      console.log(
        `\n=== ${path}: ${total} hits; request median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms ` +
          `(${times.length} requests, one at a time); ${statements.length} statements on search_entries`,
      );
      for (const [i, s] of statements.entries()) {
        console.log(
          `\n--- statement ${i + 1}: ${s.text.replace(/\s+/g, ' ')}\n    values: ${JSON.stringify(s.values)}`,
        );
        // The portal runs it as a named statement: after five executions a pool connection
        // keeps the generic plan (planned without the values) when it costs less than the
        // custom ones did, as it has for the search. That plan first, then the custom plan
        // this request's values get.
        const literal = (v: unknown): string =>
          Array.isArray(v)
            ? `array[${v.map(literal).join(', ')}]`
            : typeof v === 'number'
              ? String(v)
              : v === null || v === undefined
                ? 'null'
                : explain.escapeLiteral(String(v));
        // Each the third time, warm: the first in a session also loads what the statement uses.
        const thrice = async (run: () => Promise<pg.QueryResult<{ 'QUERY PLAN': string }>>) => {
          await run();
          await run();
          return run();
        };
        await explain.query('set plan_cache_mode = force_generic_plan');
        await explain.query(`prepare explained as ${s.text}`);
        const generic = await thrice(() =>
          explain.query(`explain (analyze, buffers) execute explained(${s.values.map(literal).join(', ')})`),
        );
        await explain.query('deallocate explained');
        await explain.query('reset plan_cache_mode');
        const custom = await thrice(() => explain.query(`explain (analyze, buffers) ${s.text}`, s.values));
        for (const [title, { rows }] of [
          ['generic plan (what the portal runs)', generic],
          ['custom plan (these values)', custom],
        ] as const) {
          console.log(`\n    ${title}:`);
          console.log(rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
        }
      }
    }
    if (process.env.BENCH_KEEP === '1') {
      console.log(`\ncluster kept: psql ${url}\nCtrl-C stops and removes it.`);
      await new Promise(() => {});
    }
  } finally {
    await explain.end().catch(() => {});
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
