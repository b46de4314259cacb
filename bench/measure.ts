// What every benchmark does with its targets: probe each path once, one request at a time (it
// must answer 200), then load the target (once per number of connections asked for). A load with any connection error, timeout or non-2xx
// response is not a measurement: the target is recorded as failed, with why, and the run goes on
// to the other targets (run.ts exits non-zero at the end).
import { load, type LoadResult, type LoadSettings } from './load.ts';
import type { ServerTimes } from './server-times.ts';
import { settle } from './settle.ts';

/** LoadSettings, with every number of connections to load each target with, in turn. */
export type MeasureSettings = Omit<LoadSettings, 'connections'> & { connections: number[] };

export interface Target {
  target: string;
  /** http://127.0.0.1:port */
  origin: string;
  /** Requested in turn; most targets have one. */
  paths: string[];
  headers: Record<string, string>;
  /** The server's own time per response (the portal and the baseline record it). */
  serverTimes?: ServerTimes;
}

export interface Probe {
  path: string;
  /** Milliseconds for this one request, alone (no load running). */
  ms: number;
  bytes: number;
  body: string;
}

export interface Measurement extends LoadResult {
  benchmark: string;
  engine: string;
  target: string;
  paths: string[];
  /** autocannon connections of this load. */
  connections: number;
  /**
   * The server's own time (Fastify's reply.elapsedTime, ms, nearest rank) for the responses of
   * the measured run: without the loopback socket and the wait before Fastify takes a request.
   */
  server?: { responses: number; p50: number; p95: number; p99: number };
  /** Bytes of one response body (the mean over the paths, from the probes). */
  bodyBytes: number;
  /** Milliseconds of the probes, one request at a time, once per path: median and max. */
  alone: { p50: number; max: number; perPath: { path: string; ms: number }[] };
  /** Set when the load had errors, timeouts or non-2xx responses: its numbers are not valid. */
  failed?: string;
}

export async function probe(origin: string, path: string, headers: Record<string, string>): Promise<Probe> {
  const started = performance.now();
  const res = await fetch(`${origin}${path}`, { headers });
  const body = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${body.slice(0, 200)}`);
  return { path, ms, bytes: Buffer.byteLength(body), body };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function serverStats(ms: number[]): Measurement['server'] {
  const sorted = Float64Array.from(ms).sort();
  const at = (p: number) =>
    round2(sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? Number.NaN);
  return { responses: sorted.length, p50: at(50), p95: at(95), p99: at(99) };
}

export async function measure(
  benchmark: string,
  engine: string,
  targets: Target[],
  settings: MeasureSettings,
  log: (line: string) => void,
  /** Sees every probe's answer (the discovery benchmark counts hits). */
  onProbe: (p: Probe) => void = () => {},
): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const t of targets) {
    const probes: Probe[] = [];
    for (const path of t.paths) probes.push(await probe(t.origin, path, t.headers));
    probes.forEach(onProbe);
    const bodyBytes = Math.round(probes.reduce((n, p) => n + p.bytes, 0) / probes.length);
    const times = probes.map((p) => p.ms).sort((a, b) => a - b);
    const alone = {
      p50: round2(times[Math.ceil(times.length / 2) - 1]!),
      max: round2(times.at(-1)!),
      perPath: probes.map((p) => ({ path: p.path, ms: round2(p.ms) })),
    };
    const what = t.paths.length > 1 ? `${t.paths.length} paths in turn, ` : '';
    for (const connections of settings.connections) {
      log(
        `  ${engine}: ${t.target} … ${what}${settings.duration} s, ${connections} connections ` +
          `(alone: ${alone.p50.toFixed(1)} ms)`,
      );
      const aloneFirst = probes[0]!.ms;
      t.serverTimes?.start();
      const r = await load(t.origin, t.paths, t.headers, { ...settings, connections }, aloneFirst);
      const server = t.serverTimes ? serverStats(t.serverTimes.stop(r.window.from, r.window.to)) : undefined;
      // The requests still in flight when the load stopped are worked off before the next target.
      await settle(`${t.origin}${t.paths[0]}`, t.headers, aloneFirst);
      const failed =
        r.errors || r.timeouts || r.non2xx
          ? `${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`
          : undefined;
      if (failed) log(`  ${engine}: ${t.target} FAILED: ${failed}; its numbers are not a measurement`);
      results.push({
        benchmark,
        engine,
        target: t.target,
        paths: t.paths,
        connections,
        ...(server ? { server } : {}),
        bodyBytes,
        alone,
        ...r,
        ...(failed ? { failed } : {}),
      });
    }
  }
  return results;
}
