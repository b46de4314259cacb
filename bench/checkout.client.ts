// The checkout benchmark's load generator, run in a child process (`node --import tsx
// bench/checkout.client.ts '<job as JSON>'`) so it does not share the server's event loop.
//
// autocannon sends a fixed set of requests; a checkout needs a new Idempotency-Key per order, a
// body that stays the same when a key is sent again, and the answer to every request (which key
// got which order) for the check after the run. So this is a closed loop of its own on
// node:http with keep-alive: `clients` workers, each with one request in flight on its own
// connection, sending the next as soon as the last one's response has ended.
//
// - Every request gets a new key, except every `retryEvery`-th, which sends the key (and body)
//   of an earlier request again: a client retrying a checkout. Retries take turns: one repeats
//   the request started just before it (by another worker, usually still in flight: the retry
//   races the first attempt), the next one the request started 2 × clients before it (usually
//   answered by then: the retry must get the same order back).
// - Latency: from just before the request is written to the end of the response body
//   (performance.now()), like autocannon's.
// - The load runs `warmup` seconds, then `duration` seconds measured: the responses that end
//   inside the measured window count for checkouts/s and latencies. Then no new request starts,
//   and the ones in flight are waited for, so every request sent has an answer (or an error)
//   for the check.
//
// Prints one JSON line (ClientOutput) on stdout.
import http from 'node:http';

export interface ClientJob {
  /** http://127.0.0.1:port */
  origin: string;
  path: string;
  headers: Record<string, string>;
  clients: number;
  warmup: number;
  duration: number;
  /** Every n-th request repeats the key of an earlier request; 0: no retries. */
  retryEvery: number;
  /** Keys are `${keyPrefix}-${n}`. */
  keyPrefix: string;
  /** The body for key number n: bodies[n % bodies.length] with `${n}` in place of `{n}`. */
  bodies: string[];
  /** Seconds one request may take before it is given up (counted as a timeout). */
  timeout: number;
}

/** What one request got. */
export interface Attempt {
  key: string;
  /** HTTP status; 0 for a connection error or timeout. */
  status: number;
  /** `id` of the answer's JSON, for 200/201. */
  orderId: string | null;
  retry: boolean;
  ms: number;
  /** When the response ended (epoch ms). */
  at: number;
  error?: string;
}

export interface ClientOutput {
  /** Responses that ended in the measured window. */
  responses: number;
  /** 201s and 200s in the measured window, and what they are per second. */
  created: number;
  replayed: number;
  checkoutsPerSec: number;
  reqPerSec: number;
  /** Milliseconds, nearest rank, over every response in the measured window. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The same for the first attempts only (retries left out). */
  firstAttempts: { p50: number; p95: number; p99: number };
  /** Responses that ended in each second of the measured window. */
  perSecond: number[];
  /** In the measured window: connection errors, timeouts, non-2xx (any status but 200/201). */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Statuses of the non-2xx and messages of the errors (first few), over the whole run. */
  problems: string[];
  window: { from: number; to: number };
  /** Every request of the whole run (warm-up, measured, and those that ended after). */
  attempts: Attempt[];
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function send(
  agent: http.Agent,
  job: ClientJob,
  url: URL,
  key: string,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          ...job.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': key,
        },
        timeout: job.timeout * 1000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const job = JSON.parse(process.argv[2]!) as ClientJob;
  const url = new URL(job.path, job.origin);
  if (url.hostname !== '127.0.0.1') throw new Error(`only 127.0.0.1, not ${url.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });

  const started = Date.now();
  const from = started + job.warmup * 1000;
  const to = from + job.duration * 1000;
  const attempts: Attempt[] = [];
  const problems: string[] = [];
  let next = 0;

  async function worker() {
    while (Date.now() < to) {
      const n = next++;
      const retry = job.retryEvery > 0 && n > 0 && n % job.retryEvery === 0;
      let number = n;
      if (retry) {
        // Odd retries: the request just before. Even ones: one from 2 × clients requests ago,
        // moved back by one if that one was itself a retry (its number was never a key).
        const late = (n / job.retryEvery) % 2 === 0 ? n - 2 * job.clients : -1;
        number = late < 0 ? n - 1 : late > 0 && late % job.retryEvery === 0 ? late - 1 : late;
      }
      const key = `${job.keyPrefix}-${number}`;
      const body = job.bodies[number % job.bodies.length]!.replaceAll('{n}', String(number));
      const t = performance.now();
      let attempt: Attempt;
      try {
        const res = await send(agent, job, url, key, body);
        const ok = res.status === 200 || res.status === 201;
        attempt = {
          key,
          status: res.status,
          orderId: ok ? ((JSON.parse(res.text) as { id?: string }).id ?? null) : null,
          retry,
          ms: performance.now() - t,
          at: Date.now(),
        };
        if (!ok && problems.length < 10) problems.push(`HTTP ${res.status} ${res.text.slice(0, 300)}`);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        attempt = {
          key,
          status: 0,
          orderId: null,
          retry,
          ms: performance.now() - t,
          at: Date.now(),
          error: message,
        };
        if (problems.length < 10) problems.push(message);
      }
      attempts.push(attempt);
    }
  }
  await Promise.all(Array.from({ length: job.clients }, worker));
  agent.destroy();

  const measured = attempts.filter((a) => a.at >= from && a.at < to);
  const ok = measured.filter((a) => a.status === 200 || a.status === 201);
  const sorted = Float64Array.from(measured.map((a) => a.ms)).sort();
  const first = Float64Array.from(measured.filter((a) => !a.retry).map((a) => a.ms)).sort();
  const perSecond = Array.from({ length: job.duration }, () => 0);
  for (const a of measured) perSecond[Math.min(job.duration - 1, Math.floor((a.at - from) / 1000))]!++;
  const out: ClientOutput = {
    responses: measured.length,
    created: ok.filter((a) => a.status === 201).length,
    replayed: ok.filter((a) => a.status === 200).length,
    checkoutsPerSec: round2(ok.filter((a) => a.status === 201).length / job.duration),
    reqPerSec: round2(measured.length / job.duration),
    p50: round2(percentile(sorted, 50)),
    p95: round2(percentile(sorted, 95)),
    p99: round2(percentile(sorted, 99)),
    max: round2(sorted.at(-1) ?? Number.NaN),
    firstAttempts: {
      p50: round2(percentile(first, 50)),
      p95: round2(percentile(first, 95)),
      p99: round2(percentile(first, 99)),
    },
    perSecond,
    errors: measured.filter((a) => a.status === 0 && a.error !== 'timeout').length,
    timeouts: measured.filter((a) => a.error === 'timeout').length,
    non2xx: measured.filter((a) => a.status !== 0 && a.status !== 200 && a.status !== 201).length,
    problems,
    window: { from, to },
    attempts: attempts.map((a) => ({ ...a, ms: round2(a.ms) })),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
