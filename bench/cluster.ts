// Temporary directories and throw-away PostgreSQL clusters (.ci/pg-cluster.sh) for the
// benchmarks, removed at the end: at exit, on Ctrl-C, or when cleanUp() is called.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const pgCluster = fileURLToPath(new URL('../.ci/pg-cluster.sh', import.meta.url));

// Cleanups are synchronous so they also run from an exit or signal handler.
const cleanups: (() => void)[] = [];
export function cleanUp() {
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

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts a cluster on 127.0.0.1; returns its URL. It is stopped and removed by cleanUp(). */
export function startPostgres(): string {
  // The cluster's own directory: as root, pg-cluster.sh hands it to user postgres, who must be
  // able to reach it, so it is not nested in another private temp directory.
  const dir = tempDir('portico-bench-pg-');
  cleanups.push(() => execFileSync('bash', [pgCluster, 'stop', dir], { stdio: 'inherit' }));
  return execFileSync('bash', [pgCluster, 'start', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** A new empty database in the cluster, so each benchmark starts from its own fresh portal. */
export async function createDatabase(clusterUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`createDatabase: bad name ${name}`);
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
