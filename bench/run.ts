// `npm run bench`: every benchmark, on embedded PGlite and then on a throw-away PostgreSQL
// cluster (.ci/pg-cluster.sh). Prints a table and writes bench/results/latest.json.
//
// Settings (environment): BENCH_DURATION seconds per target (10), BENCH_WARMUP seconds (2),
// BENCH_CONNECTIONS (10), BENCH_ENGINES (pglite,postgres).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogueBench, type Measurement } from './catalogue.bench.ts';
import type { LoadSettings } from './load.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const pgCluster = join(root, '.ci/pg-cluster.sh');

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: must be a whole number (got ${raw})`);
  return value;
}

const settings: LoadSettings = {
  duration: setting('BENCH_DURATION', 10),
  warmup: setting('BENCH_WARMUP', 2),
  connections: setting('BENCH_CONNECTIONS', 10),
};
const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').map((e) => e.trim());

// Cleanups are synchronous so they also run from an exit or signal handler.
const cleanups: (() => void)[] = [];
function cleanUp() {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      fn();
    } catch (err) {
      console.error('cleanup failed:', err);
    }
  }
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function startPostgres(): string {
  // The cluster's own directory: as root, pg-cluster.sh hands it to user postgres, who must be
  // able to reach it, so it is not nested in another private temp directory.
  const dir = tempDir('portico-bench-pg-');
  cleanups.push(() => execFileSync('bash', [pgCluster, 'stop', dir], { stdio: 'inherit' }));
  return execFileSync('bash', [pgCluster, 'start', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

function machine() {
  const cpus = os.cpus();
  return {
    nproc: os.availableParallelism(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

// autocannon's latencies are whole milliseconds; 0 means under one.
const ms = (value: number) => (value === 0 ? '<1' : String(value));

function table(results: Measurement[]): string {
  const rows = [['engine', 'target', 'req/s', 'p50 ms', 'p99 ms', 'vs baseline', 'body B']];
  for (const r of results) {
    const base = results.find((b) => b.engine === r.engine && b.target.startsWith('baseline'));
    rows.push([
      r.engine,
      r.target,
      r.reqPerSec.toFixed(0),
      ms(r.p50),
      ms(r.p99),
      base && base !== r ? (r.reqPerSec / base.reqPerSec).toFixed(2) : '',
      String(r.bodyBytes),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    )
    .join('\n');
}

async function main() {
  const started = new Date();
  console.log(
    `catalogue benchmark: ${settings.duration} s per target after ${settings.warmup} s warm-up, ` +
      `${settings.connections} connections; engines ${engines.join(', ')}`,
  );
  const results: Measurement[] = [];
  for (const engine of engines) {
    if (engine === 'pglite') {
      results.push(
        ...(await catalogueBench('pglite', { dataDir: tempDir('portico-bench-') }, settings, console.log)),
      );
    } else if (engine === 'postgres') {
      const databaseUrl = startPostgres();
      results.push(...(await catalogueBench('postgres', { databaseUrl }, settings, console.log)));
      cleanUp(); // stop the cluster now, not at exit
    } else {
      throw new Error(`BENCH_ENGINES: unknown engine ${engine} (pglite, postgres)`);
    }
  }

  const ratios = Object.fromEntries(
    engines.map((engine) => {
      const of = (prefix: string) => results.find((r) => r.engine === engine && r.target.startsWith(prefix))!;
      const base = of('baseline');
      const bearer = of('portal, Bearer');
      const cookie = of('portal, session');
      return [
        engine,
        {
          reqPerSecBearer: +(bearer.reqPerSec / base.reqPerSec).toFixed(3),
          reqPerSecCookie: +(cookie.reqPerSec / base.reqPerSec).toFixed(3),
          p50Bearer: base.p50 > 0 ? +(bearer.p50 / base.p50).toFixed(3) : null,
          p50Cookie: base.p50 > 0 ? +(cookie.p50 / base.p50).toFixed(3) : null,
        },
      ];
    }),
  );

  console.log(
    `\n${table(results)}\n\nvs baseline = req/s of the portal / req/s of the baseline, same engine`,
  );
  const outDir = join(root, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'latest.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        benchmark: 'catalogue',
        startedAt: started.toISOString(),
        machine: machine(),
        settings,
        results,
        ratios,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`results written to ${out}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
