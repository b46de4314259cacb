// Load from autocannon in a child process (bench/cannon.ts), so the load generator does not
// share the event loop of the server it measures. Targets are on 127.0.0.1 only, and every run
// is bounded.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { CannonJob, CannonOutput } from './cannon.ts';

const run = promisify(execFile);
/** For `node --import <this> file.ts`: child processes that run TypeScript, as tsx does. */
export const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cannonScript = fileURLToPath(new URL('./cannon.ts', import.meta.url));

export interface LoadSettings {
  /** Seconds measured. */
  duration: number;
  /** Seconds of warm-up before, not counted. */
  warmup: number;
  connections: number;
}

/**
 * What one load run measured. p50/p95/p99 are milliseconds from the latency of every response
 * of the measured run (nearest rank); `autocannon` holds autocannon's own histogram percentiles
 * (whole milliseconds, no p95 among them) for comparison. Connection errors, timeouts and non-2xx
 * responses: any of them makes the run invalid.
 */
export type LoadResult = CannonOutput;

/**
 * Loads `origin` + each of `paths` in turn (one path: always that one) with the same headers,
 * for `s.warmup` seconds not counted and then `s.duration` seconds measured. `aloneMs`: how
 * long one request to paths[0] takes with no load, to know when the warm-up's backlog is gone.
 */
export async function load(
  origin: string,
  paths: string[],
  headers: Record<string, string>,
  s: LoadSettings,
  aloneMs: number,
): Promise<LoadResult> {
  const { hostname } = new URL(origin);
  if (hostname !== '127.0.0.1') throw new Error(`load only targets 127.0.0.1, not ${hostname}`);
  if (paths.length === 0) throw new Error('load: no paths');
  const job: CannonJob = { origin, paths, headers, ...s, aloneMs };
  const running = run(process.execPath, ['--import', tsxLoader, cannonScript, JSON.stringify(job)], {
    timeout: (s.duration + s.warmup + 30) * 1000,
    maxBuffer: 16 * 1024 * 1024,
  });
  // If the benchmark is interrupted, the load stops with it.
  const stop = () => running.child.kill();
  process.once('exit', stop);
  const { stdout } = await running.finally(() => process.off('exit', stop));
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
}
