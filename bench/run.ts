// `npm run bench`: every benchmark, on embedded PGlite and then on a throw-away PostgreSQL
// cluster (.ci/pg-cluster.sh). Prints a table per benchmark and writes bench/results/latest.json.
//
// Settings (environment): BENCH_DURATION seconds per target (10), BENCH_WARMUP seconds (2),
// BENCH_CONNECTIONS (10; a list such as 1,2,4,10 loads every target with each in turn), BENCH_ENGINES (pglite,postgres), BENCH_ONLY (catalogue,discovery,checkout,ingest; also close),
// BENCH_SERVICES services the discovery benchmark adds (10000), BENCH_BATCH services per
// seeding transaction (500), BENCH_DISCOVERY_SQL statements run on the discovery database
// before it is measured (to try an index or a planner change; none), BENCH_CHECKOUT_CLIENTS
// concurrent clients of the checkout benchmark (20), BENCH_CHECKOUT_RETRY every how many
// checkout requests one repeats the key of an earlier one (10; 0: no retries),
// BENCH_CHECKOUT_SQL statements run on the checkout database before it is measured (none),
// BENCH_INGEST_SUBSCRIPTIONS (1000), BENCH_INGEST_CLIENTS (4), BENCH_INGEST_BATCHES at most per
// target (300), BENCH_CLOSE_EVENTS (10000000), BENCH_CLOSE_SMALL_EVENTS (1000000; 0: no second
// run), BENCH_CLOSE_COST_CENTRES (1000), BENCH_CLOSE_SUBSCRIPTIONS (20000). See bench/README.md.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { baselineName } from './baseline.ts';
import { catalogueBench } from './catalogue.bench.ts';
import {
  baselineTarget as checkoutBaseline,
  checkoutBench,
  type CheckoutMeasurement,
} from './checkout.bench.ts';
import { cleanUp, createDatabase, startPostgres, tempDir } from './cluster.ts';
import { closeBench, type CloseMeasurement } from './close.bench.ts';
import { ingestBench, type IngestMeasurement } from './ingest.bench.ts';
import { discoveryBench, searchTarget, seedDiscovery, type Hits, type Seeding } from './discovery.bench.ts';
import { tsxLoader } from './load.ts';
import type { Measurement, MeasureSettings } from './measure.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function setting(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name}: must be a whole number, at least ${min} (got ${raw})`);
  }
  return value;
}

function list(name: string, fallback: string, known: string[]): string[] {
  const items = (process.env[name] || fallback).split(',').map((e) => e.trim());
  for (const item of items) {
    if (!known.includes(item)) throw new Error(`${name}: unknown ${item} (${known.join(', ')})`);
  }
  return items;
}

function connectionsList(): number[] {
  const raw = process.env.BENCH_CONNECTIONS || '10';
  const values = raw.split(',').map((x) => Number(x.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(`BENCH_CONNECTIONS: whole numbers of at least 1, separated by commas (got ${raw})`);
  }
  return values;
}

const settings: MeasureSettings = {
  duration: setting('BENCH_DURATION', 10, 1),
  warmup: setting('BENCH_WARMUP', 2),
  connections: connectionsList(),
};
const engines = list('BENCH_ENGINES', 'pglite,postgres', ['pglite', 'postgres']);
// close is not in the default: it writes 10,000,000 usage events first (about a quarter of an hour).
const benchmarks = list('BENCH_ONLY', 'catalogue,discovery,checkout,ingest', [
  'catalogue',
  'discovery',
  'checkout',
  'ingest',
  'close',
]);
const discovery = {
  services: setting('BENCH_SERVICES', 10_000, 1),
  batchSize: setting('BENCH_BATCH', 500, 1),
};
const discoverySql = process.env.BENCH_DISCOVERY_SQL ?? '';
const checkout = {
  duration: settings.duration,
  warmup: settings.warmup,
  clients: setting('BENCH_CHECKOUT_CLIENTS', 20, 1),
  retryEvery: setting('BENCH_CHECKOUT_RETRY', 10),
};
const checkoutSql = process.env.BENCH_CHECKOUT_SQL ?? '';
const close = {
  costCentres: setting('BENCH_CLOSE_COST_CENTRES', 1_000, 1),
  subscriptions: setting('BENCH_CLOSE_SUBSCRIPTIONS', 20_000, 1),
  // The small run first, so that the large one's garbage is not in its memory.
  events: [
    setting('BENCH_CLOSE_SMALL_EVENTS', 1_000_000),
    setting('BENCH_CLOSE_EVENTS', 10_000_000, 1),
  ].filter((n) => n > 0),
};
const ingest = {
  subscriptions: setting('BENCH_INGEST_SUBSCRIPTIONS', 1_000, 1),
  clients: setting('BENCH_INGEST_CLIENTS', 4, 1),
  batches: setting('BENCH_INGEST_BATCHES', 300, 1),
  duration: settings.duration,
};
/** The issue's target: the close takes under this many times the hand-written SQL. */
const closeRatioTarget = 2;
if (checkout.retryEvery === 1) throw new Error('BENCH_CHECKOUT_RETRY: 0 (no retries) or at least 2');
/** The issue's target: search p95 under this on PostgreSQL at 10,000 services. */
const searchP95TargetMs = 15;

function machine() {
  const cpus = os.cpus();
  return {
    nproc: os.availableParallelism(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

/** Milliseconds for a table; null: no response to measure. */
const ms = (value: number | null) =>
  value === null || Number.isNaN(value) ? '–' : value < 0.05 ? '<0.1' : value.toFixed(1);

const baselineOf = (results: Measurement[], r: Measurement) =>
  results.find(
    (b) =>
      b.benchmark === r.benchmark &&
      b.engine === r.engine &&
      b.target === baselineName &&
      b.connections === r.connections,
  );

function vsBaseline(results: Measurement[], r: Measurement) {
  const base = baselineOf(results, r);
  if (!base || base === r || base.failed || r.failed) return null;
  return {
    reqPerSec: +(r.reqPerSec / base.reqPerSec).toFixed(3),
    p50: +(r.p50 / base.p50).toFixed(1),
    p95: +(r.p95 / base.p95).toFixed(1),
  };
}

function render(rows: string[][], leftColumns: number): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function table(results: Measurement[]): string {
  const rows = [
    [
      'engine',
      'target',
      'conn',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'server p50',
      'server p95',
      'req/s ÷ base',
      'p95 × base',
      'body B',
    ],
  ];
  for (const r of results) {
    const vs = vsBaseline(results, r);
    rows.push([
      r.engine,
      r.target,
      String(r.connections),
      ...(r.failed
        ? ['FAILED', '', '', '', '', '', '', '']
        : [
            r.reqPerSec.toFixed(0),
            ms(r.p50),
            ms(r.p95),
            ms(r.p99),
            r.server ? ms(r.server.p50) : '',
            r.server ? ms(r.server.p95) : '',
            vs ? vs.reqPerSec.toFixed(2) : '',
            vs ? vs.p95.toFixed(1) : '',
          ]),
      String(r.bodyBytes),
    ]);
  }
  return render(rows, 2);
}

/** The ingest benchmark: events/s over HTTP against the plain INSERT, and the check. */
function ingestTable(results: IngestMeasurement[]): string {
  const rows = [
    [
      'target',
      'clients',
      'batches',
      'events',
      's',
      'events/s',
      'batch p50 ms',
      'batch p95 ms',
      '÷ base',
      'check',
    ],
  ];
  for (const r of results) {
    rows.push([
      r.target,
      String(r.clients),
      String(r.batches),
      String(r.events),
      r.seconds.toFixed(1),
      String(r.eventsPerSec),
      ms(r.p50),
      ms(r.p95),
      r.vsBaseline === null ? '' : r.vsBaseline.toFixed(3),
      r.check.failures.length
        ? `FAILED: ${r.check.failures.join('; ')}`
        : `${r.check.stored} stored, none lost or twice`,
    ]);
  }
  return render(rows, 1);
}

/** The close benchmark: seconds against the hand-written SQL, peak memory, and the check. */
function closeTable(results: CloseMeasurement[]): string {
  const rows = [
    [
      'events',
      'cost centres',
      'subs',
      'seed s',
      'close s',
      'SQL s (before / after)',
      'close ÷ SQL',
      'lines',
      'rss MiB before → peak',
      'heap MiB before → peak',
      'total (close / SQL)',
      'check',
    ],
  ];
  for (const r of results) {
    rows.push([
      r.events.toLocaleString('en'),
      String(r.costCentres),
      String(r.subscriptions),
      r.seedSeconds.toFixed(0),
      r.closeSeconds.toFixed(1),
      r.sqlSeconds.map((x) => x.toFixed(1)).join(' / '),
      r.ratio.toFixed(2),
      String(r.linesWritten),
      `${r.memory.before.rss} → ${r.memory.peak.rss}`,
      `${r.memory.before.heapUsed} → ${r.memory.peak.heapUsed}`,
      `${r.check.closeTotal} / ${r.check.sqlTotal}`,
      r.check.mismatches.length ? `FAILED (${r.check.mismatches.length})` : 'agree',
    ]);
  }
  return render(rows, 0);
}

/** The checkout benchmark: checkouts/s, latencies and the lost/duplicate check, against its baseline. */
function checkoutTable(results: CheckoutMeasurement[]): string {
  const rows = [
    [
      'engine',
      'target',
      'clients',
      'checkouts/s',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'server p50',
      'server p95',
      'alone ms',
      'failed req',
      'CPU ms/req node + pg',
      '÷ base',
      'p95 × base',
      'orders',
      'retries (overlapping)',
      'lost/dup check',
    ],
  ];
  for (const r of results) {
    const vs = checkoutVsBaseline(results, r);
    const c = r.check;
    rows.push([
      r.engine,
      r.target,
      String(r.clients),
      r.checkoutsPerSec.toFixed(0),
      r.reqPerSec.toFixed(0),
      ms(r.p50),
      ms(r.p95),
      ms(r.p99),
      r.server ? ms(r.server.p50) : '',
      r.server ? ms(r.server.p95) : '',
      ms(r.alone),
      String(r.failedRequests),
      `${r.cpuPerRequest.node.toFixed(1)}${r.cpuPerRequest.postgres === null ? '' : ` + ${r.cpuPerRequest.postgres.toFixed(1)}`}`,
      vs ? vs.checkoutsPerSec.toFixed(3) : '',
      vs ? vs.p95.toFixed(1) : '',
      String(c.orders),
      `${c.retries} (${c.retriesOverlapping})`,
      c.failures.length ? `FAILED (${c.failures.length})` : r.failed ? 'passed; run FAILED' : 'passed',
    ]);
  }
  return render(rows, 2);
}

function checkoutVsBaseline(results: CheckoutMeasurement[], r: CheckoutMeasurement) {
  const base = results.find((b) => b.engine === r.engine && b.target === checkoutBaseline);
  if (!base || base === r || base.failed || r.failed) return null;
  return {
    checkoutsPerSec: +(r.checkoutsPerSec / base.checkoutsPerSec).toFixed(3),
    p50: +(r.p50 / base.p50).toFixed(1),
    p95: +(r.p95 / base.p95).toFixed(1),
  };
}

/**
 * Each path of the multi-path targets: hits, alone, and under load n, p50, p95, per engine; the
 * loads with the most connections.
 */
function perPathTable(results: Measurement[], hits: Map<string, Hits[]>): string {
  const most = Math.max(...settings.connections);
  const multi = results.filter((r) => r.paths.length > 1 && r.connections === most);
  const engineNames = [...new Set(multi.map((r) => r.engine))];
  const rows = [['path', 'hits', ...engineNames.flatMap((e) => [`${e}: alone`, 'n', 'p50', 'p95'])]];
  for (const target of [...new Set(multi.map((r) => r.target))]) {
    const of = (engine: string) => multi.find((r) => r.engine === engine && r.target === target);
    for (const path of of(engineNames[0]!)?.paths ?? []) {
      const total = [...hits.values()].flat().find((h) => h.path === path)?.total;
      rows.push([
        decodeURIComponent(path),
        total === undefined ? '' : String(total),
        ...engineNames.flatMap((e) => {
          const r = of(e);
          const alone = r?.alone.perPath.find((x) => x.path === path)?.ms ?? null;
          const p = r?.failed ? undefined : r?.perPath.find((x) => x.path === path);
          return [ms(alone), ...(p ? [String(p.responses), ms(p.p50), ms(p.p95)] : ['', '', ''])];
        }),
      ]);
    }
  }
  return render(rows, 1);
}

/** Seeds the discovery database on PostgreSQL in a child process (bench/discovery.seed.ts). */
function seedPostgresInChild(databaseUrl: string): Promise<Seeding> {
  const script = fileURLToPath(new URL('./discovery.seed.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, script, JSON.stringify({ databaseUrl, ...discovery })],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const kill = () => child.kill();
  process.once('exit', kill);
  let result = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{')) result = line;
    else console.log(line);
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      process.off('exit', kill);
      if (code === 0 && result) resolve(JSON.parse(result) as Seeding);
      else reject(new Error(`seeding PostgreSQL failed (exit code ${code})`));
    });
  });
}

async function main() {
  const started = new Date();
  const host = machine(); // with the load average before the run
  console.log(
    `benchmarks ${benchmarks.join(', ')}: ${settings.duration} s per target after ${settings.warmup} s ` +
      `warm-up, ${settings.connections.join(', ')} connections; engines ${engines.join(', ')}` +
      (benchmarks.includes('discovery') ? `; discovery adds ${discovery.services} services` : '') +
      (benchmarks.includes('checkout')
        ? `; checkout: ${checkout.clients} clients, ${checkout.retryEvery ? `1 request in ${checkout.retryEvery} a retry` : 'no retries'}` +
          (checkoutSql ? `; trying on the checkout database: ${checkoutSql}` : '')
        : '') +
      (discoverySql ? `; trying on the discovery database: ${discoverySql}` : ''),
  );
  const clusterUrl = engines.includes('postgres') ? startPostgres() : null;
  // Each benchmark on its own fresh portal database.
  const where = async (
    engine: string,
    bench: string,
  ): Promise<{ databaseUrl: string } | { dataDir: string }> =>
    engine === 'postgres'
      ? { databaseUrl: await createDatabase(clusterUrl!, `bench_${bench}`) }
      : { dataDir: tempDir(`portico-bench-${bench}-`) };

  // Seeding takes minutes, so the engines seed at the same time (PostgreSQL in a child
  // process), before anything is measured.
  const seeding: Seeding[] = [];
  const discoveryWhere = new Map<string, Awaited<ReturnType<typeof where>>>();
  if (benchmarks.includes('discovery')) {
    const concurrently = engines.length > 1;
    console.log(
      `discovery: seeding ${discovery.services} services${concurrently ? ' on both engines at once' : ''}`,
    );
    const started = performance.now();
    const jobs: Promise<Seeding>[] = [];
    for (const engine of engines) {
      const w = await where(engine, 'discovery');
      discoveryWhere.set(engine, w);
      jobs.push(
        'databaseUrl' in w
          ? seedPostgresInChild(w.databaseUrl)
          : seedDiscovery(engine, w, discovery, console.log, concurrently ? false : undefined),
      );
    }
    for (const s of await Promise.all(jobs)) seeding.push({ ...s, concurrently });
    console.log(`discovery: seeding done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }

  const results: Measurement[] = [];
  const checkoutResults: CheckoutMeasurement[] = [];
  const hits = new Map<string, Hits[]>();
  for (const engine of engines) {
    if (benchmarks.includes('catalogue')) {
      console.log(`${engine}: catalogue`);
      results.push(
        ...(await catalogueBench(engine, await where(engine, 'catalogue'), settings, console.log)),
      );
    }
    if (benchmarks.includes('discovery')) {
      console.log(`${engine}: discovery`);
      const d = await discoveryBench(
        engine,
        discoveryWhere.get(engine)!,
        settings,
        console.log,
        discoverySql,
      );
      results.push(...d.measurements);
      hits.set(engine, d.hits);
    }
    if (benchmarks.includes('checkout')) {
      console.log(`${engine}: checkout`);
      checkoutResults.push(
        ...(await checkoutBench(engine, await where(engine, 'checkout'), checkout, console.log, checkoutSql)),
      );
    }
  }
  const ingestResults: IngestMeasurement[] = [];
  if (benchmarks.includes('ingest') && clusterUrl) {
    console.log('postgres: ingest');
    ingestResults.push(...(await ingestBench(clusterUrl, ingest, console.log)));
  }
  const closeResults: CloseMeasurement[] = [];
  if (benchmarks.includes('close') && clusterUrl) {
    console.log('postgres: close');
    closeResults.push(...(await closeBench(clusterUrl, close, console.log)));
  }
  if (clusterUrl) cleanUp(); // stop the cluster now, not at exit
  const finished = new Date();

  for (const benchmark of benchmarks) {
    if (['checkout', 'ingest', 'close'].includes(benchmark)) continue;
    console.log(`\n${benchmark}\n${table(results.filter((r) => r.benchmark === benchmark))}`);
  }
  if (benchmarks.includes('checkout')) {
    console.log(`\ncheckout\n${checkoutTable(checkoutResults)}`);
    console.log(
      '\ncheckout: checkouts/s = orders created (201) per second; req/s also counts the retries (200); ' +
        'latencies over every response of the measured window, retries included; ÷ base and p95 × base: ' +
        'against the bare insert of the same engine',
    );
    for (const r of checkoutResults) {
      const c = r.check;
      console.log(
        `check ${r.engine} ${r.target}: ${c.keysSent} keys sent, ${c.keysAcknowledged} acknowledged, ${c.orders} orders ` +
          `(${c.created} created, ${c.replayed} replays; ${c.retries} retries, ${c.retriesOverlapping} while the first attempt ran` +
          `${c.committedUnacknowledged ? `; ${c.committedUnacknowledged} committed without an answer (timeouts)` : ''}): ` +
          (c.failures.length ? `FAILED\n  ${c.failures.join('\n  ')}` : 'none lost, none duplicated') +
          `; per second: ${r.perSecond.join(' ')}`,
      );
    }
  }
  if (ingestResults.length) {
    console.log(`\ningest (PostgreSQL)\n${ingestTable(ingestResults)}`);
    console.log(
      '\ningest: events acknowledged per second from the first request to the last answer, batches of 1,000; ' +
        'batch p50/p95: ms per batch; ÷ base: against the multi-row INSERT of the same rows; check: events stored ' +
        "under the run's source against those acknowledged",
    );
  }
  if (closeResults.length) {
    console.log(`\nclose (PostgreSQL)\n${closeTable(closeResults)}`);
    console.log(
      '\nclose: closeMonth wall time against the hand-written SQL (run before and after the close; ratio against ' +
        'the faster); peak memory of this process sampled every 20 ms during the close; check: every cost ' +
        "centre's statement total against the SQL's, to the cent",
    );
    for (const r of closeResults) {
      console.log(
        `target: close under ${closeRatioTarget}× the SQL at ${r.events.toLocaleString('en')} events: ` +
          `${r.ratio < closeRatioTarget ? 'met' : 'NOT met'} (${r.ratio}×)` +
          (r.check.mismatches.length ? `; FAILED check:\n  ${r.check.mismatches.join('\n  ')}` : ''),
      );
    }
  }
  console.log(
    '\nlatencies: every response of the measured run, nearest rank; ' +
      'req/s ÷ base and p95 × base: against the baseline of the same benchmark and engine',
  );
  if (benchmarks.includes('discovery')) {
    const discoveryResults = results.filter((r) => r.benchmark === 'discovery');
    console.log(
      '\ndiscovery, per path: alone = ms for one request with no load (the probe); ' +
        `under load: n responses, p50 and p95 ms\n${perPathTable(discoveryResults, hits)}`,
    );
    console.log('');
    for (const search of discoveryResults.filter(
      (r) => r.engine === 'postgres' && r.target === searchTarget,
    )) {
      const met = !search.failed && search.p95 < searchP95TargetMs;
      const server = search.server ? `; server-side p95 ${ms(search.server.p95)} ms` : '';
      console.log(
        `target: search p95 under ${searchP95TargetMs} ms on PostgreSQL at ${discovery.services} services, ` +
          `${search.connections} connections: ${met ? 'met' : 'NOT met'} ` +
          `(${search.failed ? `failed: ${search.failed}` : `p95 ${ms(search.p95)} ms${server}`})`,
      );
    }
  }

  const outDir = join(root, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'latest.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        benchmarks,
        startedAt: started.toISOString(),
        minutes: +((finished.getTime() - started.getTime()) / 60_000).toFixed(1),
        machine: host,
        settings,
        latencies:
          'p50/p95/p99/max: ms, nearest rank over the latency of every response of the measured run; ' +
          "autocannon: autocannon's own histogram percentiles (whole ms)",
        results: results.map((r) => ({ ...r, vsBaseline: vsBaseline(results, r) })),
        ...(benchmarks.includes('checkout')
          ? {
              checkout: {
                settings: checkout,
                ...(checkoutSql ? { sqlTried: checkoutSql } : {}),
                results: checkoutResults.map((r) => ({
                  ...r,
                  vsBaseline: checkoutVsBaseline(checkoutResults, r),
                })),
              },
            }
          : {}),
        ...(closeResults.length
          ? { close: { settings: close, closeRatioTarget, results: closeResults } }
          : {}),
        loadAverageAtEnd: os.loadavg().map((x) => +x.toFixed(2)),
        ...(benchmarks.includes('discovery')
          ? {
              discovery: {
                services: discovery.services,
                searchP95TargetMs,
                ...(discoverySql ? { sqlTried: discoverySql } : {}),
                seeding,
                hits: Object.fromEntries(hits),
              },
            }
          : {}),
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`results written to ${out}`);
  const failed = results.filter((r) => r.failed);
  const checkoutFailed = checkoutResults.filter((r) => r.failed);
  const closeFailed = closeResults.filter((r) => r.failed);
  const ingestFailed = ingestResults.filter((r) => r.failed);
  if (failed.length || checkoutFailed.length || closeFailed.length || ingestFailed.length) {
    throw new Error(
      [
        failed.length
          ? `not measured (errors, timeouts or non-2xx under load): ${failed.map((r) => `${r.engine} ${r.target}: ${r.failed}`).join('; ')}`
          : '',
        checkoutFailed.length
          ? `checkout failed (errors under load, or orders lost or duplicated): ${checkoutFailed.map((r) => `${r.engine} ${r.target}: ${r.failed}`).join('; ')}`
          : '',
        ingestFailed.length
          ? `ingest failed (errors, or events lost or stored twice): ${ingestFailed.map((r) => `${r.target}: ${r.failed}`).join('; ')}`
          : '',
        closeFailed.length
          ? `close failed (totals differ from the SQL): ${closeFailed.map((r) => `${r.events} events: ${r.failed}`).join('; ')}`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
