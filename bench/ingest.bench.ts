// Usage ingestion throughput (issue 7, Measure), PostgreSQL only: CloudEvents posted to
// `POST /api/usage` in batches of 1,000 (`application/cloudevents-batch+json`) by a few
// concurrent clients with the demo's usage reporter token, each event naming its subscription by
// the broker instance id (`bench-instance-<n>`, as the private cloud reports), against the floor:
// the same rows written as one plain multi-row INSERT per 1,000 into usage_events, on the same
// database, driver and pool, by as many concurrent writers, with no HTTP.
//
// The request bodies (and the baseline's rows) are built before anything is timed, so the clients,
// which share this process with the server, only send. A run stops taking batches after
// `duration` seconds or `batches` batches, whichever comes first; events/s counts the events
// acknowledged over the time from the first request to the last answer. Afterwards the events
// stored under the run's source are counted against those acknowledged: none lost, none twice.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { positional, rowsOf, type Database } from '../apps/server/src/platform/db.ts';
import { demoUsageToken } from '../apps/server/src/seed/demo.seed.ts';
import { seedMeters, seedSubscriptions } from './close.bench.ts';
import { createDatabase } from './cluster.ts';
import { startPortal } from './portal.ts';

export interface IngestSettings {
  subscriptions: number;
  clients: number;
  /** At most this many batches of 1,000 per target. */
  batches: number;
  duration: number;
}

export interface IngestMeasurement {
  target: string;
  clients: number;
  batches: number;
  events: number;
  seconds: number;
  eventsPerSec: number;
  /** Milliseconds per batch of 1,000, nearest rank. */
  p50: number;
  p95: number;
  /** eventsPerSec ÷ the baseline's. */
  vsBaseline: number | null;
  check: { acknowledged: number; stored: number; distinct: number; failures: string[] };
  failed?: string;
}

export const ingestBaseline = 'baseline (multi-row INSERT)';
export const ingestTarget = 'portal, POST /api/usage';
const BATCH = 1_000;
const meter = 'bench-transfer';

interface Row {
  eventId: string;
  subject: string;
  subscriptionId: string;
  time: string;
  value: string;
}

/** Batch `b` of a target: 1,000 events over the subscriptions in turn, in October 2026. */
function batchRows(b: number, subscriptions: { id: string; instance: string }[]): Row[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = b * BATCH + i;
    const s = subscriptions[n % subscriptions.length]!;
    return {
      eventId: `${b}-${i}`,
      subject: s.instance,
      subscriptionId: s.id,
      time: new Date(Date.UTC(2026, 9, 1) + (n % 2_678_400) * 1000).toISOString(),
      value: ((n * 37) % 10_000) / 1000 + '',
    };
  });
}

const nearestRank = (values: number[], p: number) => {
  const sorted = Float64Array.from(values).sort();
  return +(sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? Number.NaN).toFixed(1);
};

/**
 * `clients` loops, each sending the next unsent batch until the batches or the time run out;
 * `send` answers how many events of the batch were acknowledged.
 */
async function load(settings: IngestSettings, send: (b: number) => Promise<number>) {
  let next = 0;
  let acknowledged = 0;
  const latencies: number[] = [];
  const failures: string[] = [];
  const started = performance.now();
  const stopAt = started + settings.duration * 1000;
  await Promise.all(
    Array.from({ length: settings.clients }, async () => {
      while (next < settings.batches && performance.now() < stopAt) {
        const b = next++;
        const t0 = performance.now();
        try {
          const n = await send(b);
          acknowledged += n;
          latencies.push(performance.now() - t0);
        } catch (err) {
          failures.push(`batch ${b}: ${(err as Error).message}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { batches: next, acknowledged, latencies, failures, seconds };
}

const insertColumns =
  'insert into usage_events (source, event_id, type, subject, time, data, meter_key, value, status, subscription_id) values ';

/** The rows the portal stores for a batch, as one multi-row INSERT. */
function insertOf(source: string, rows: Row[]) {
  const values: unknown[] = [];
  const tuples = rows.map((r) => {
    const k = values.length;
    values.push(
      source,
      r.eventId,
      r.subject,
      r.time,
      JSON.stringify({ v: r.value }),
      r.value,
      r.subscriptionId,
    );
    return `($${k + 1}, $${k + 2}, 'com.example.${meter}', $${k + 3}, $${k + 4}, $${k + 5}, '${meter}', $${k + 6}, 'accepted', $${k + 7})`;
  });
  return { text: insertColumns + tuples.join(', '), values };
}

async function check(database: Database, source: string, acknowledged: number, failures: string[]) {
  const [row] = rowsOf<{ stored: string; distinct: string }>(
    await database.db.execute(
      sql`select count(*) as stored, count(distinct event_id) as distinct from usage_events where source = ${source}`,
    ),
  );
  const stored = Number(row!.stored);
  const distinct = Number(row!.distinct);
  const problems = [...failures];
  if (stored !== acknowledged) problems.push(`${acknowledged} acknowledged, ${stored} stored`);
  if (distinct !== stored) problems.push(`${stored - distinct} stored twice`);
  return { acknowledged, stored, distinct, failures: problems.slice(0, 10) };
}

function measurement(
  target: string,
  settings: IngestSettings,
  run: Awaited<ReturnType<typeof load>>,
  checked: IngestMeasurement['check'],
): IngestMeasurement {
  const result: IngestMeasurement = {
    target,
    clients: settings.clients,
    batches: run.batches,
    events: run.acknowledged,
    seconds: +run.seconds.toFixed(2),
    eventsPerSec: Math.round(run.acknowledged / run.seconds),
    p50: nearestRank(run.latencies, 50),
    p95: nearestRank(run.latencies, 95),
    vsBaseline: null,
    check: checked,
  };
  if (checked.failures.length) result.failed = checked.failures[0];
  return result;
}

export async function ingestBench(
  clusterUrl: string,
  settings: IngestSettings,
  log: (line: string) => void,
): Promise<IngestMeasurement[]> {
  const databaseUrl = await createDatabase(clusterUrl, 'bench_ingest');
  const portal = await startPortal({ databaseUrl });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    log(`ingest: ${settings.subscriptions} subscriptions, building ${settings.batches} batches per target`);
    await seedSubscriptions(client, { costCentres: 50, subscriptions: settings.subscriptions });
    await seedMeters(client);
    const subscriptions = (
      await client.query<{ id: string; instance: string }>(
        `select id, outputs->>'osbInstanceId' as instance from subscriptions where name like 'bench-%' order by name`,
      )
    ).rows;
    const batches = Array.from({ length: settings.batches }, (_, b) => batchRows(b, subscriptions));

    const baselineSource = '/bench/baseline';
    const inserts = batches.map((rows) => insertOf(baselineSource, rows));
    log(`ingest: ${ingestBaseline}, ${settings.clients} writers`);
    const base = await load(settings, async (b) => {
      await portal.database.db.execute(positional(inserts[b]!.text, inserts[b]!.values));
      return BATCH;
    });
    const baseline = measurement(
      ingestBaseline,
      settings,
      base,
      await check(portal.database, baselineSource, base.acknowledged, base.failures),
    );

    const source = '/bench/ingest';
    const bodies = batches.map((rows) =>
      JSON.stringify(
        rows.map((r) => ({
          specversion: '1.0',
          id: r.eventId,
          source,
          type: `com.example.${meter}`,
          subject: r.subject,
          time: r.time,
          datacontenttype: 'application/json',
          data: { v: r.value },
        })),
      ),
    );
    const headers = {
      'content-type': 'application/cloudevents-batch+json',
      authorization: `Bearer ${demoUsageToken(portal.secrets)}`,
    };
    log(`ingest: ${ingestTarget}, ${settings.clients} clients`);
    const http = await load(settings, async (b) => {
      const res = await fetch(`${portal.url}/api/usage`, { method: 'POST', headers, body: bodies[b] });
      const body = (await res.json()) as { accepted?: number; invalid?: unknown[]; detail?: string };
      if (res.status !== 200 || body.invalid?.length)
        throw new Error(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
      return body.accepted!;
    });
    const portalResult = measurement(
      ingestTarget,
      settings,
      http,
      await check(portal.database, source, http.acknowledged, http.failures),
    );
    portalResult.vsBaseline = baseline.eventsPerSec
      ? +(portalResult.eventsPerSec / baseline.eventsPerSec).toFixed(3)
      : null;
    for (const r of [baseline, portalResult]) {
      log(
        `ingest: ${r.target}: ${r.eventsPerSec} events/s (${r.events} in ${r.seconds} s), batch p50 ${r.p50} ms, ` +
          `p95 ${r.p95} ms; stored ${r.check.stored} of ${r.check.acknowledged} acknowledged`,
      );
    }
    return [baseline, portalResult];
  } finally {
    await client.end();
    await portal.close();
  }
}
