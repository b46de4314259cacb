// Usage reporting: a real private cloud tells the portal what its instances used, so the broker
// does too. Every interval it sends one CloudEvents batch to Portico's POST /api/usage with, per
// live instance, the usage of that interval: egress and request counts (sums), and storage and
// snapshot levels (held until the next event). The numbers are made up but plausible and
// deterministic: an instance's profile comes from its id, an interval's jitter from (instance,
// meter, interval), so a re-send carries the same id and the same value and the portal's
// deduplication by (source, id) makes retries safe.
import type { FastifyBaseLogger } from 'fastify';
import type { PlanDef, ServiceDef } from './catalog.ts';
import type { Instance } from './state.store.ts';

export interface UsageOptions {
  /** Portico's base URL; events go to `<url>/api/usage`. */
  url: string;
  /** API token of a Portico account with the usage_reporter role. */
  token: string;
  /**
   * Length of one usage interval at timeScale 1 (default 60 000: a minute); scaled by the
   * broker's timeScale like every simulated duration. Each interval reports this much usage.
   */
  intervalMs?: number;
  /** The CloudEvents `source`; default `urn:portico:cloud-broker`. */
  source?: string;
}

/** CloudEvents types the broker sends; a Portico meter must count each (the demo seeds them). */
export const USAGE_EVENT_TYPES = {
  egress: 'com.portico.cloud.egress',
  snapshot: 'com.portico.cloud.snapshot',
  databaseStorage: 'com.portico.cloud.database.storage',
  bucketStorage: 'com.portico.cloud.bucket.storage',
  bucketRequests: 'com.portico.cloud.bucket.requests',
} as const;
type Metric = keyof typeof USAGE_EVENT_TYPES;

export interface UsageEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

/** A live instance as the emitter sees it. */
export interface MeteredInstance {
  instance: Instance;
  service: ServiceDef;
  plan: PlanDef;
}

export const DEFAULT_USAGE_SOURCE = 'urn:portico:cloud-broker';
const MONTH_MS = 30 * 24 * 3600_000;
/** The portal takes up to 10,000 events a request; smaller requests keep each transaction short. */
const BATCH_SIZE = 1000;
/** Unsent events kept for the next try while the portal is unreachable; the oldest go first. */
const MAX_PENDING = 20_000;
/** Intervals caught up after a stall (a busy event loop, a laptop waking up). */
const MAX_CATCH_UP = 60;

/** FNV-1a: a stable 32-bit number for a text, the seed of everything made up about it. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A number in [0, 1) fixed by its key. */
const unit = (key: string) => {
  // One round of mulberry32 on the hash, so near-identical keys do not give near-identical numbers.
  let t = (hash(key) + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const between = (key: string, min: number, max: number) => min + (max - min) * unit(key);
const round = (value: number, places: number) => Number(value.toFixed(places));

/**
 * The usage one instance reports for one interval ending at `end`: `monthsLive` is how long it has
 * existed in reported time (storage grows with it), `share` the interval's part of a month.
 */
function measure(
  { instance, service, plan }: MeteredInstance,
  index: number,
  monthsLive: number,
  share: number,
): [Metric, Record<string, number>][] {
  const id = instance.id;
  // Traffic varies from one interval to the next around the instance's own rate.
  const jitter = (metric: Metric) => between(`${id}:${metric}:${index}`, 0.4, 1.6);
  const grown = (metric: Metric, base: number, maxGrowthPerMonth: number) =>
    base * (1 + between(`${id}:${metric}:growth`, 0.01, maxGrowthPerMonth) * monthsLive);
  switch (service.kind) {
    case 'vm': {
      const disk = plan.size.storageGb + Number(instance.parameters.extraDiskGb ?? 0);
      const egressPerMonth = between(`${id}:egress`, 5, 150);
      // Two VMs in five keep manual snapshots; the others report none.
      const snapshots = unit(`${id}:snapshot:kept`) < 0.4;
      const snapshotGb = snapshots ? grown('snapshot', disk * between(`${id}:snapshot`, 0.1, 0.5), 0.1) : 0;
      return [
        ['egress', { gb: round(egressPerMonth * share * jitter('egress'), 6) }],
        ['snapshot', { gb: round(snapshotGb, 3) }],
      ];
    }
    case 'postgresql': {
      const used = grown('databaseStorage', plan.size.storageGb * between(`${id}:used`, 0.15, 0.6), 0.15);
      return [['databaseStorage', { gb: round(used, 3) }]];
    }
    case 'bucket': {
      // A pay-as-you-go bucket has no allowance to start from: 20–500 GB.
      const base = plan.size.storageGb
        ? plan.size.storageGb * between(`${id}:used`, 0.2, 0.9)
        : between(`${id}:used`, 20, 500);
      const stored = grown('bucketStorage', base, 0.08);
      const egressPerMonth = stored * between(`${id}:egress`, 0.01, 0.1);
      const requestsPerMonth = between(`${id}:requests`, 50_000, 5_000_000);
      return [
        ['bucketStorage', { gb: round(stored, 3) }],
        ['egress', { gb: round(egressPerMonth * share * jitter('egress'), 6) }],
        ['bucketRequests', { requests: Math.round(requestsPerMonth * share * jitter('bucketRequests')) }],
      ];
    }
  }
}

/**
 * The events of interval `index` (from `index * periodMs` to the next) for the instances live at
 * its end. `nominalMs` is the interval's length in reported time (a minute in the demo, however
 * fast the broker runs), which sets how much traffic it holds and how far storage has grown.
 */
export function usageEventsFor(
  instances: MeteredInstance[],
  index: number,
  periodMs: number,
  nominalMs: number,
  source = DEFAULT_USAGE_SOURCE,
): UsageEvent[] {
  const start = new Date(index * periodMs).toISOString();
  const end = (index + 1) * periodMs;
  const time = new Date(end).toISOString();
  const events: UsageEvent[] = [];
  for (const live of instances) {
    const since = Date.parse(live.instance.provisionedAt ?? '');
    if (!Number.isFinite(since) || since >= end) continue;
    const monthsLive = (((end - since) / periodMs) * nominalMs) / MONTH_MS;
    for (const [metric, values] of measure(live, index, monthsLive, nominalMs / MONTH_MS)) {
      events.push({
        specversion: '1.0',
        // Stable: the same instance, metric and interval always make the same id.
        id: `${live.instance.id}:${metric}:${index}`,
        source,
        type: USAGE_EVENT_TYPES[metric],
        subject: live.instance.id,
        time,
        datacontenttype: 'application/json',
        data: {
          ...values,
          service: live.service.name,
          plan: live.plan.name,
          interval: { start, end: time },
        },
      });
    }
  }
  return events;
}

export interface UsageReport {
  /** Events the portal answered for (stored, duplicates or invalid). */
  delivered: number;
  /** Events kept to send again next time. */
  pending: number;
}

/** Sends usage every interval; a failed send is retried with the same events the next time. */
export class UsageEmitter {
  private readonly periodMs: number;
  private readonly nominalMs: number;
  private readonly source: string;
  private timer: NodeJS.Timeout | undefined;
  private lastIndex: number | undefined;
  private pending: UsageEvent[] = [];
  private running: Promise<UsageReport> = Promise.resolve({ delivered: 0, pending: 0 });

  constructor(
    private readonly opts: UsageOptions,
    timeScale: number,
    private readonly instances: () => MeteredInstance[],
    private readonly log: Pick<FastifyBaseLogger, 'warn' | 'debug'>,
    private readonly now: () => number = Date.now,
  ) {
    this.nominalMs = opts.intervalMs ?? 60_000;
    if (!Number.isFinite(this.nominalMs) || this.nominalMs <= 0)
      throw new Error(`usage.intervalMs must be a number > 0, got ${opts.intervalMs}`);
    // Never faster than every 10 ms, even at timeScale 0.
    this.periodMs = Math.max(10, Math.round(this.nominalMs * timeScale));
    this.source = opts.source ?? DEFAULT_USAGE_SOURCE;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.report(), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reports the intervals completed since the last report, and what is left of earlier ones. */
  report(): Promise<UsageReport> {
    // One at a time: a slow portal must not get the same events twice at once.
    this.running = this.running.then(() => this.once());
    return this.running;
  }

  private async once(): Promise<UsageReport> {
    try {
      const last = Math.floor(this.now() / this.periodMs) - 1;
      const first = Math.max(
        this.lastIndex === undefined ? last : this.lastIndex + 1,
        last - MAX_CATCH_UP + 1,
      );
      if (first <= last) {
        const live = this.instances();
        for (let index = first; index <= last; index++)
          this.pending.push(...usageEventsFor(live, index, this.periodMs, this.nominalMs, this.source));
        this.lastIndex = last;
      }
      if (this.pending.length > MAX_PENDING) {
        const dropped = this.pending.splice(0, this.pending.length - MAX_PENDING);
        this.log.warn(
          { dropped: dropped.length },
          'usage: the portal is unreachable; dropped the oldest events',
        );
      }
      let delivered = 0;
      while (this.pending.length) {
        const batch = this.pending.slice(0, BATCH_SIZE);
        if (!(await this.send(batch))) break;
        this.pending.splice(0, batch.length);
        delivered += batch.length;
      }
      return { delivered, pending: this.pending.length };
    } catch (error) {
      // Never let reporting take the broker down; the next interval tries again.
      this.log.warn({ err: error }, 'usage: reporting failed');
      return { delivered: 0, pending: this.pending.length };
    }
  }

  /** True when the portal answered for the batch (it need not be sent again). */
  private async send(batch: UsageEvent[]): Promise<boolean> {
    let response: Response;
    try {
      response = await fetch(new URL('/api/usage', this.opts.url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.opts.token}`,
          'content-type': 'application/cloudevents-batch+json',
        },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      this.log.warn(
        { err: error, url: this.opts.url, pending: this.pending.length },
        'usage: cannot reach the portal; will send again next interval',
      );
      return false;
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      const answer = parseJson(text) as { invalid?: unknown[]; message?: string } | undefined;
      if (answer?.invalid?.length)
        this.log.warn(
          { invalid: answer.invalid.slice(0, 5) },
          `usage: ${answer.message ?? 'some events invalid'}`,
        );
      else this.log.debug({ events: batch.length }, `usage: ${answer?.message ?? 'sent'}`);
      return true;
    }
    // 400: every event was refused (no meter for its type, say); the same events would be again.
    if (response.status === 400 || response.status === 413) {
      this.log.warn(
        { status: response.status, answer: text.slice(0, 1000) },
        'usage: the portal refused the events',
      );
      return true;
    }
    // 401/403 (a token being set up), 5xx, 429: worth another try with the same ids.
    this.log.warn(
      { status: response.status, answer: text.slice(0, 500), pending: this.pending.length },
      'usage: the portal did not take the events; will send again next interval',
    );
    return false;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
