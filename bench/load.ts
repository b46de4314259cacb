// Load from autocannon in a child process, so the load generator does not share the event
// loop of the server it measures. Targets are on 127.0.0.1 only, and every run is bounded.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const run = promisify(execFile);
const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export interface LoadSettings {
  /** Seconds measured. */
  duration: number;
  /** Seconds of warm-up before, not counted. */
  warmup: number;
  connections: number;
}

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  /** Milliseconds, whole (autocannon's histogram resolution). */
  p50: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx responses: any of them makes the run invalid. */
  errors: number;
  timeouts: number;
  non2xx: number;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

export async function load(
  url: string,
  headers: Record<string, string>,
  s: LoadSettings,
): Promise<LoadResult> {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1') throw new Error(`load only targets 127.0.0.1, not ${hostname}`);
  const args = [
    autocannonBin,
    ...['--connections', String(s.connections), '--duration', String(s.duration)],
    ...(s.warmup > 0 ? ['--warmup', '[', '-c', String(s.connections), '-d', String(s.warmup), ']'] : []),
    ...Object.entries(headers).flatMap(([k, v]) => ['--headers', `${k}:${v}`]),
    '--json',
    url,
  ];
  const running = run(process.execPath, args, {
    timeout: (s.duration + s.warmup + 30) * 1000,
    maxBuffer: 16 * 1024 * 1024,
  });
  // If the benchmark is interrupted, the load stops with it.
  const stop = () => running.child.kill();
  process.once('exit', stop);
  const { stdout } = await running.finally(() => process.off('exit', stop));
  // With a warm-up, autocannon prints the warm-up's report first; the last line is the run's.
  const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as AutocannonJson;
  return {
    requests: r.requests.total,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}
