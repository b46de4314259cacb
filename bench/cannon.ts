// The load generator's side of load.ts, run in a child process (`node --import tsx bench/cannon.ts
// '<job as JSON>'`) so autocannon does not share the event loop of the server it measures.
//
// autocannon's own latency histogram keeps whole milliseconds and reports p50, p90, p97.5 and
// p99, but no p95. So this also keeps the latency of every response of the measured run, as
// autocannon measures it (process.hrtime from writing the request to the end of the response,
// the very value it records in its histogram), and computes p50/p95/p99 from those by nearest
// rank. The warm-up is a separate autocannon run before, whose responses are not kept; the
// requests it leaves in flight are worked off before the measured run starts (settle.ts).
//
// Prints one JSON line (CannonOutput) on stdout.
import autocannon from 'autocannon';
import { settle } from './settle.ts';

export interface CannonJob {
  /** Origin, http://127.0.0.1:port. */
  origin: string;
  /** Paths (with query strings) requested in turn; each connection starts at a different one. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  duration: number;
  warmup: number;
  /** Milliseconds one request to paths[0] takes with no load (see settle.ts). */
  aloneMs: number;
}

export interface CannonOutput {
  requests: number;
  reqPerSec: number;
  /** Milliseconds, from every response's latency (nearest rank). */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** autocannon's own histogram percentiles, whole milliseconds, for comparison. */
  autocannon: { p50: number; p90: number; p97_5: number; p99: number };
  /** Per path: responses and their p50/p95 (ms; null without responses), when more than one path was loaded. */
  perPath: { path: string; responses: number; p50: number | null; p95: number | null }[];
  errors: number;
  timeouts: number;
  non2xx: number;
  /** When the measured run started and ended (epoch ms), to match the server's own times. */
  window: { from: number; to: number };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function rotate<T>(items: T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

async function cannon(job: CannonJob, keep: ((path: string, ms: number) => void) | null) {
  const requests = job.paths.map((path) => ({ method: 'GET' as const, path }));
  // Spread the connections over the list, so they do not all ask the same thing at once.
  const step = Math.max(1, Math.floor(requests.length / job.connections));
  let clients = 0;
  return autocannon({
    url: job.origin,
    connections: job.connections,
    duration: job.duration,
    headers: job.headers,
    requests,
    setupClient: (client) => {
      client.setRequests(rotate(requests, clients++ * step));
      if (!keep) return;
      const iterator = (client as unknown as { requestIterator: { currentRequest: { path: string } } })
        .requestIterator;
      // With one request in flight per connection (no pipelining), the iterator still points at
      // the request this response answers: the client moves on after emitting 'response'.
      client.on('response', (_status, _bytes, responseTime) =>
        keep(iterator.currentRequest.path, responseTime),
      );
    },
  });
}

async function main() {
  const job = JSON.parse(process.argv[2]!) as CannonJob;
  if (new URL(job.origin).hostname !== '127.0.0.1') throw new Error(`only 127.0.0.1, not ${job.origin}`);
  if (job.warmup > 0) {
    await cannon({ ...job, duration: job.warmup }, null);
    await settle(`${job.origin}${job.paths[0]}`, job.headers, job.aloneMs);
  }

  const all: number[] = [];
  const byPath = new Map<string, number[]>();
  const from = Date.now();
  const r = await cannon(job, (path, ms) => {
    all.push(ms);
    let list = byPath.get(path);
    if (!list) byPath.set(path, (list = []));
    list.push(ms);
  });
  const to = Date.now();
  const sorted = Float64Array.from(all).sort();
  const out: CannonOutput = {
    requests: r.requests.total,
    reqPerSec: r.requests.average,
    p50: round2(percentile(sorted, 50)),
    p95: round2(percentile(sorted, 95)),
    p99: round2(percentile(sorted, 99)),
    max: round2(sorted.at(-1) ?? Number.NaN),
    autocannon: { p50: r.latency.p50, p90: r.latency.p90, p97_5: r.latency.p97_5, p99: r.latency.p99 },
    perPath:
      job.paths.length > 1
        ? job.paths.map((path) => {
            const s = Float64Array.from(byPath.get(path) ?? []).sort();
            const at = (p: number) => (s.length ? round2(percentile(s, p)) : null);
            return { path, responses: s.length, p50: at(50), p95: at(95) };
          })
        : [],
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    window: { from, to },
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
