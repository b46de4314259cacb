// The demo company's past, so that its bills have something to say: rate cards for the metered
// prices, about a year of subscriptions on the four cost centres (resized, transferred and ended
// mid-month, so statements show proration), the usage the private cloud reported for them, and
// every month closed but the last one (left for finance) and the running one. All of it is
// relative to the moment the demo is seeded.
//
// The services are "already delivered": nothing is provisioned at the broker. Where a module's
// function stamps its rows with the current time (placing an order, starting or changing a
// subscription), the rows are written through that module's repository with the past moment
// instead; usage and rate cards go through the same service functions as POST /api/usage and
// PUT /api/billing/rate-cards.
import { describeOptions, rate, type PriceModel } from '@portico/shared';
import Decimal from 'decimal.js';
import type { Actor } from '../platform/actor.ts';
import { systemActor } from '../platform/actor.ts';
import { sha256 } from '../platform/crypto.ts';
import type { Database, Tx } from '../platform/db.ts';
import { closeMonth, draftStatement, putRateCard } from '../modules/billing/index.ts';
import * as catalog from '../modules/catalog/catalog.repo.ts';
import * as inventory from '../modules/inventory/inventory.repo.ts';
import { ingestUsage } from '../modules/metering/index.ts';
import { orderNumber, priceLine } from '../modules/ordering/index.ts';
import * as ordering from '../modules/ordering/ordering.repo.ts';
import { budgetOf, costCentreByCode } from '../modules/org/index.ts';

const DAY_MS = 86_400_000;
/** The history covers the months before the current one, this many. */
export const HISTORY_MONTHS = 11;
/** Closed months end this many months before the current one: the last stays open for finance. */
const OPEN_MONTHS = 2;
/** The demo usage's CloudEvents source: not the broker's, so its event ids can never collide. */
export const HISTORY_SOURCE = 'urn:portico:demo-history';
/** The cost centre whose running month sits between its budget's 80 % alert and 100 %. */
export const NEAR_BUDGET = { costCentre: 'CC-ENG-200', share: '0.85' };

/** A moment of the history: `monthsAgo` months before the current one, on a day at an hour (UTC). */
type When = [monthsAgo: number, day: number, hour: number];

const at = (now: Date, [monthsAgo, day, hour]: When) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, day, hour));

const monthOf = (d: Date) => d.toISOString().slice(0, 7);

/** The first day of the history ("2025-12-01" on 2026-11-24), from which its rate cards are in force. */
export const historyStart = (now: Date) => at(now, [HISTORY_MONTHS, 1, 0]).toISOString().slice(0, 10);

/** The months to close at seed time, oldest first ("2025-12" … two months before `now`'s). */
export function closedMonths(now: Date): string[] {
  const months: string[] = [];
  for (let ago = HISTORY_MONTHS; ago >= OPEN_MONTHS; ago--) months.push(monthOf(at(now, [ago, 1, 0])));
  return months;
}

// ---- rate cards ---------------------------------------------------------------------------

/**
 * Storage a plan includes (its page says "1 TB included", "200 GB storage"): the private cloud
 * reports what is stored in all, so the card prices only what lies above it, at the listed price.
 */
const INCLUDED_GB: Record<string, number> = {
  'managed-postgresql/dev/cloud-database-storage': 20,
  'managed-postgresql/standard/cloud-database-storage': 200,
  'managed-postgresql/large/cloud-database-storage': 1024,
  'object-storage/1tb/cloud-bucket-storage': 1024,
  'object-storage/10tb/cloud-bucket-storage': 10240,
};

/** Internet egress gets cheaper above this much a month; the first tier is the listed price. */
const EGRESS_TIER_GB = 1000;
const EGRESS_DISCOUNT = '0.75';

function cardModel(slug: string, meter: string, price: string): PriceModel {
  const included = INCLUDED_GB[`${slug}/${meter}`];
  if (included !== undefined)
    return {
      model: 'graduated',
      tiers: [
        { upTo: included, unitPrice: '0' },
        { upTo: null, unitPrice: price },
      ],
    };
  if (meter === 'cloud-egress')
    return {
      model: 'graduated',
      tiers: [
        { upTo: EGRESS_TIER_GB, unitPrice: price },
        { upTo: null, unitPrice: new Decimal(price).times(EGRESS_DISCOUNT).toFixed() },
      ],
    };
  return { model: 'per_unit', unitPrice: price };
}

/**
 * A rate card for every metered price of the catalogue that a meter counts (same unit), in force
 * from the history's first day. Returns the models by "service/plan/meter".
 */
async function seedRateCards(
  tx: Tx,
  finance: Actor,
  meters: { key: string; unit: string }[],
  effectiveFrom: string,
): Promise<Map<string, PriceModel>> {
  // The imported catalogue's plans, read back (parsing the file again would cost more).
  const services = new Map((await catalog.listAllServices(tx)).map(({ service }) => [service.id, service]));
  const models = new Map<string, PriceModel>();
  for (const plan of await catalog.activePlansOfServices(tx, [...services.keys()])) {
    const service = services.get(plan.serviceId)!;
    for (const metered of plan.meteredPrices) {
      for (const meter of meters.filter((m) => m.unit === metered.unit)) {
        const slug = `${service.slug}/${plan.slug}`;
        const model = cardModel(slug, meter.key, metered.price);
        await putRateCard(tx, finance, {
          service: service.slug,
          plan: plan.slug,
          meter: meter.key,
          effectiveFrom,
          model,
        });
        models.set(`${slug}/${meter.key}`, model);
      }
    }
  }
  return models;
}

// ---- the subscriptions ----------------------------------------------------------------------

/** Daily usage: a sum (GB out per day, fewer at weekends, growing) or a level (GB held, growing). */
type Usage =
  | { meter: 'cloud-egress'; gbPerDay: number; growthPerMonth: number }
  | {
      meter: 'cloud-snapshots' | 'cloud-database-storage' | 'cloud-bucket-storage';
      fromGb: number;
      toGb: number;
    };

interface Story {
  name: string;
  owner: string;
  approver: string;
  costCentre: string;
  service: string;
  plan: string;
  options: Record<string, unknown>;
  outputs: Record<string, string>;
  justification: string;
  start: When;
  usage: Usage[];
  resize?: { plan: string; at: When; justification: string };
  transfer?: { costCentre: string; owner: string; at: When; note: string };
  end?: When;
}

const vm = (hostname: string) => ({
  hostname,
  fqdn: `${hostname}.dc1.cloud.example.com`,
  region: 'dc1',
});

const stories: Story[] = [
  {
    name: 'build-runner-01',
    owner: 'requester@example.com',
    approver: 'manager@example.com',
    costCentre: 'CC-ENG-100',
    service: 'virtual-machine',
    plan: 'medium',
    justification: 'CI builds for the platform repositories',
    options: { hostname: 'build-runner-01', os: 'ubuntu-24-04', backup: true },
    outputs: { ...vm('build-runner-01'), ip: '10.20.14.21' },
    start: [11, 8, 10],
    // The builds outgrew it.
    resize: { plan: 'large', at: [5, 14, 15], justification: 'Builds queue for an hour at noon' },
    usage: [
      { meter: 'cloud-egress', gbPerDay: 2.5, growthPerMonth: 0.04 },
      { meter: 'cloud-snapshots', fromGb: 30, toGb: 85 },
    ],
  },
  {
    name: 'platform-artifacts',
    owner: 'requester@example.com',
    approver: 'manager@example.com',
    costCentre: 'CC-ENG-100',
    service: 'object-storage',
    plan: '1tb',
    justification: 'Build artefacts and container layers',
    options: { bucketName: 'platform-artifacts' },
    outputs: { bucket: 'platform-artifacts', endpoint: 'https://s3.dc1.cloud.example.com', region: 'dc1' },
    start: [10, 3, 9],
    // Outgrows the terabyte included a few months in: the tier above it shows on the bill.
    usage: [
      { meter: 'cloud-bucket-storage', fromGb: 640, toGb: 1480 },
      { meter: 'cloud-egress', gbPerDay: 0.9, growthPerMonth: 0.05 },
    ],
  },
  {
    name: 'platform-metrics-db',
    owner: 'manager@example.com',
    approver: 'owner@example.com',
    costCentre: 'CC-ENG-100',
    service: 'managed-postgresql',
    plan: 'standard',
    justification: 'Metrics store for the platform dashboards',
    options: { version: '17', databaseName: 'platform_metrics' },
    outputs: {
      host: 'pg-platform-metrics.dc1.db.cloud.example.com',
      port: '5432',
      database: 'platform_metrics',
    },
    start: [9, 20, 11],
    usage: [{ meter: 'cloud-database-storage', fromGb: 110, toGb: 265 }],
  },
  {
    name: 'load-test-01',
    owner: 'manager@example.com',
    approver: 'owner@example.com',
    costCentre: 'CC-ENG-100',
    service: 'virtual-machine',
    plan: 'small',
    justification: 'Load generator for release testing',
    options: { hostname: 'load-test-01', os: 'debian-12', backup: false },
    outputs: { ...vm('load-test-01'), ip: '10.20.31.7' },
    start: [7, 5, 14],
    transfer: {
      costCentre: 'CC-ENG-200',
      owner: 'owner@example.com',
      at: [3, 18, 16],
      note: 'Product runs the load tests now',
    },
    usage: [{ meter: 'cloud-egress', gbPerDay: 4, growthPerMonth: 0 }],
  },
  {
    name: 'shop-api-01',
    owner: 'owner@example.com',
    approver: 'finance@example.com',
    costCentre: 'CC-ENG-200',
    service: 'virtual-machine',
    plan: 'large',
    justification: 'Web shop API, production',
    options: { hostname: 'shop-api-01', os: 'rhel-9', backup: true },
    outputs: { ...vm('shop-api-01'), ip: '10.20.8.140' },
    start: [11, 15, 10],
    // About 1,000 GB a month, so the cheaper egress tier shows; the running month is the launch's.
    usage: [{ meter: 'cloud-egress', gbPerDay: 30, growthPerMonth: 0.03 }],
  },
  {
    name: 'shop-db',
    owner: 'owner@example.com',
    approver: 'finance@example.com',
    costCentre: 'CC-ENG-200',
    service: 'managed-postgresql',
    plan: 'large',
    justification: 'Web shop database, production',
    options: { version: '17', databaseName: 'shop', highAvailability: true },
    outputs: { host: 'pg-shop.dc1.db.cloud.example.com', port: '5432', database: 'shop' },
    start: [10, 12, 9],
    usage: [{ meter: 'cloud-database-storage', fromGb: 380, toGb: 720 }],
  },
  {
    name: 'ml-training-01',
    owner: 'owner@example.com',
    approver: 'finance@example.com',
    costCentre: 'CC-ENG-200',
    service: 'gpu-virtual-machine',
    plan: 'l4',
    justification: 'Training the recommendation model',
    options: {},
    outputs: { ...vm('ml-training-01'), ip: '10.20.40.12' },
    start: [5, 3, 13],
    usage: [{ meter: 'cloud-egress', gbPerDay: 1.5, growthPerMonth: 0.02 }],
  },
  {
    name: 'campaign-site-01',
    owner: 'owner@example.com',
    approver: 'finance@example.com',
    costCentre: 'CC-ENG-200',
    service: 'virtual-machine',
    plan: 'small',
    justification: 'Microsite for the spring campaign',
    options: { hostname: 'campaign-site-01', os: 'ubuntu-24-04', backup: false },
    outputs: { ...vm('campaign-site-01'), ip: '10.20.9.77' },
    start: [9, 6, 10],
    // The campaign is over.
    end: [OPEN_MONTHS, 16, 17],
    usage: [{ meter: 'cloud-egress', gbPerDay: 3, growthPerMonth: 0.1 }],
  },
  {
    name: 'fin-reporting-01',
    owner: 'finance@example.com',
    approver: 'admin@example.com',
    costCentre: 'CC-FIN-100',
    service: 'virtual-machine',
    plan: 'small',
    justification: 'Month-end reporting server',
    options: { hostname: 'fin-reporting-01', os: 'windows-server-2022', adDomain: 'corp', backup: true },
    outputs: {
      hostname: 'fin-reporting-01',
      fqdn: 'fin-reporting-01.dc1.cloud.example.com',
      ip: '10.20.5.33',
    },
    start: [11, 4, 9],
    usage: [{ meter: 'cloud-egress', gbPerDay: 0.6, growthPerMonth: 0.01 }],
  },
  {
    name: 'fin-ledger-dev',
    owner: 'finance@example.com',
    approver: 'admin@example.com',
    costCentre: 'CC-FIN-100',
    service: 'managed-postgresql',
    plan: 'dev',
    justification: 'Development copy of the ledger',
    options: { version: '16', databaseName: 'ledger_dev' },
    outputs: { host: 'pg-ledger-dev.dc1.db.cloud.example.com', port: '5432', database: 'ledger_dev' },
    start: [6, 9, 10],
    usage: [{ meter: 'cloud-database-storage', fromGb: 6, toGb: 15 }],
  },
  {
    name: 'Laptop (Standard 14")',
    owner: 'finance@example.com',
    approver: 'admin@example.com',
    costCentre: 'CC-FIN-100',
    service: 'laptop',
    plan: 'standard',
    justification: 'Replacement for a broken laptop',
    options: { keyboardLayout: 'de' },
    outputs: { assetTag: 'IT-003982', serial: 'PF2K7M1Q' },
    start: [8, 21, 12],
    usage: [],
  },
  {
    name: 'monitoring-01',
    owner: 'admin@example.com',
    approver: 'finance@example.com',
    costCentre: 'CC-IT-900',
    service: 'virtual-machine',
    plan: 'xlarge',
    justification: 'Central monitoring and alerting',
    options: { hostname: 'monitoring-01', os: 'ubuntu-24-04', backup: true, extraDiskGb: 500 },
    outputs: { ...vm('monitoring-01'), ip: '10.20.2.10' },
    start: [11, 2, 8],
    usage: [
      { meter: 'cloud-egress', gbPerDay: 6, growthPerMonth: 0.02 },
      { meter: 'cloud-snapshots', fromGb: 120, toGb: 260 },
    ],
  },
  {
    name: 'it-offsite-copies',
    owner: 'fulfiller@example.com',
    approver: 'admin@example.com',
    costCentre: 'CC-IT-900',
    service: 'object-storage',
    plan: '10tb',
    justification: 'Off-site copies of the backups',
    options: { bucketName: 'it-offsite-copies', versioning: true },
    outputs: { bucket: 'it-offsite-copies', endpoint: 'https://s3.dc1.cloud.example.com', region: 'dc1' },
    start: [9, 22, 10],
    usage: [
      { meter: 'cloud-bucket-storage', fromGb: 3800, toGb: 6900 },
      { meter: 'cloud-egress', gbPerDay: 1, growthPerMonth: 0 },
    ],
  },
  {
    name: 'jump-host-01',
    owner: 'fulfiller@example.com',
    approver: 'admin@example.com',
    costCentre: 'CC-IT-900',
    service: 'virtual-machine',
    plan: 'medium',
    justification: 'Jump host for the operations team',
    options: { hostname: 'jump-host-01', os: 'rhel-9', backup: true },
    outputs: { ...vm('jump-host-01'), ip: '10.20.2.31' },
    start: [4, 11, 9],
    usage: [{ meter: 'cloud-egress', gbPerDay: 0.3, growthPerMonth: 0 }],
  },
];

/** The same numbers on every seed: a small seeded generator (mulberry32) per series. */
function random(seed: string): () => number {
  let a = Number.parseInt(sha256(seed).slice(0, 8), 16);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Ids {
  user: (email: string) => string;
  costCentre: Map<string, string>;
}

/** An order the story's owner placed and its approver approved, delivered at `deliveredAt`. */
async function deliveredOrder(
  tx: Tx,
  ids: Ids,
  s: Pick<Story, 'owner' | 'approver' | 'costCentre' | 'service' | 'plan' | 'options'>,
  deliveredAt: Date,
  justification: string,
  /** A resize of this subscription rather than something new. */
  changes: string | null = null,
) {
  const priced = await priceLine(tx, { ...s, quantity: 1 }, 'history');
  if (priced.errors.length)
    throw new Error(`demo history ${s.service}/${s.plan}: ${priced.errors.map((e) => e.message).join('; ')}`);
  // Placed two days before it was delivered, approved the day before.
  const placedAt = new Date(deliveredAt.getTime() - 2 * DAY_MS - 3_600_000);
  const approvedAt = new Date(deliveredAt.getTime() - DAY_MS);
  const requesterId = ids.user(s.owner);
  const key = `demo-history:${s.service}:${s.plan}:${deliveredAt.toISOString()}`;
  const order = (await ordering.insertOrderOnce(tx, {
    requesterId,
    costCentreId: ids.costCentre.get(s.costCentre)!,
    justification,
    neededBy: null,
    status: 'delivered',
    slaAcceptedAt: placedAt,
    idempotencyKey: key,
    requestHash: sha256(key),
    createdAt: placedAt,
  }))!;
  const { service, plan, sla, unit } = priced;
  const [line] = await ordering.insertLines(tx, [
    {
      orderId: order.id,
      position: 0,
      serviceId: service.id,
      planId: plan.id,
      serviceVersion: service.version,
      serviceSlug: service.slug,
      serviceName: service.name,
      planSlug: plan.slug,
      planName: plan.name,
      options: priced.options,
      optionsShown: describeOptions(service.options ?? null, priced.options),
      quantity: 1,
      currency: plan.currency,
      oneTimePrice: unit.oneTime,
      monthlyPrice: unit.monthly,
      leadTimeDays: plan.leadTimeDays,
      purpose: changes ? 'change' : 'new',
      subscriptionId: changes,
      sla: {
        ...sla,
        serviceVersion: service.version,
        acceptedAt: placedAt.toISOString(),
        acceptedBy: requesterId,
      },
      status: 'delivered',
    },
  ]);
  const timeline: [string, Date, string | null][] = [
    ['submitted', placedAt, s.owner],
    ['approved', approvedAt, s.approver],
    ['in_fulfilment', new Date(approvedAt.getTime() + 60_000), null],
    ['delivered', deliveredAt, null],
  ];
  for (const [kind, when, who] of timeline) {
    await ordering.insertEvent(tx, {
      orderId: order.id,
      lineId: kind === 'submitted' ? null : line!.id,
      kind,
      at: when,
      actorId: who ? ids.user(who) : null,
    });
  }
  return { order, line: line!, priced };
}

/** The subscription's state after a change, at that moment: what billing rates. */
async function recordChange(
  tx: Tx,
  row: inventory.SubscriptionRow,
  kind: 'start' | 'resize' | 'transfer' | 'end',
  when: Date,
  actorId: string | null,
  note: string | null = null,
) {
  await inventory.insertEvent(tx, {
    subscriptionId: row.id,
    kind,
    at: when,
    ownerId: row.ownerId,
    costCentreId: row.costCentreId,
    planId: row.planId,
    quantity: row.quantity,
    currency: row.currency,
    monthlyPrice: row.monthlyPrice,
    actorId,
    note,
  });
}

interface Lived {
  story: Story;
  id: string;
  startedAt: Date;
  endedAt: Date | null;
}

/** A story's subscription starts: delivered for the order placed and approved before. */
async function start(tx: Tx, ids: Ids, s: Story, when: Date): Promise<inventory.SubscriptionRow> {
  const { order, line, priced } = await deliveredOrder(tx, ids, s, when, s.justification);
  const created = (await inventory.insertOnce(tx, {
    orderId: order.id,
    orderLineId: line.id,
    ownerId: ids.user(s.owner),
    costCentreId: ids.costCentre.get(s.costCentre)!,
    serviceId: priced.service.id,
    planId: priced.plan.id,
    name: s.name,
    serviceVersion: priced.service.version,
    options: line.options,
    optionsShown: line.optionsShown,
    quantity: 1,
    currency: line.currency,
    monthlyPrice: new Decimal(line.monthlyPrice).toFixed(9),
    sla: line.sla,
    outputs: s.outputs,
    credentials: null,
    startedAt: when,
  }))!;
  await ordering.transitionLine(tx, line.id, ['delivered'], 'delivered', { subscriptionId: created.id });
  await recordChange(tx, created, 'start', when, null);
  return created;
}

/** A story's later change, as the inventory module records it, at its moment. */
async function change(
  tx: Tx,
  ids: Ids,
  s: Story,
  row: inventory.SubscriptionRow,
  step: 'resize' | 'transfer' | 'end',
  when: Date,
): Promise<inventory.SubscriptionRow> {
  if (step === 'resize') {
    const { plan, justification } = s.resize!;
    const ordered = await deliveredOrder(tx, ids, { ...s, plan }, when, justification, row.id);
    const after = await inventory.update(tx, row.id, {
      planId: ordered.priced.plan.id,
      serviceVersion: ordered.priced.service.version,
      monthlyPrice: new Decimal(ordered.line.monthlyPrice).toFixed(9),
      sla: ordered.line.sla,
    });
    const { serviceName, planName } = ordered.line;
    const note = `${serviceName} · ${planName} (order ${orderNumber(ordered.order.seq)})`;
    await recordChange(tx, after, 'resize', when, null, note);
    return after;
  }
  if (step === 'transfer') {
    const { costCentre, owner, note } = s.transfer!;
    const after = await inventory.update(tx, row.id, {
      ownerId: ids.user(owner),
      costCentreId: ids.costCentre.get(costCentre)!,
    });
    await recordChange(tx, after, 'transfer', when, row.ownerId, note);
    return after;
  }
  const after = await inventory.update(tx, row.id, { status: 'ended', endedAt: when });
  await recordChange(tx, after, 'end', when, null);
  return after;
}

/**
 * Every story's subscription, its changes made in the order they happened across all stories, so
 * order numbers and subscription events follow the calendar.
 */
async function seedSubscriptions(tx: Tx, ids: Ids, now: Date): Promise<Lived[]> {
  const steps = stories
    .flatMap((s) => [
      { s, step: 'start' as const, when: at(now, s.start) },
      ...(s.resize ? [{ s, step: 'resize' as const, when: at(now, s.resize.at) }] : []),
      ...(s.transfer ? [{ s, step: 'transfer' as const, when: at(now, s.transfer.at) }] : []),
      ...(s.end ? [{ s, step: 'end' as const, when: at(now, s.end) }] : []),
    ])
    .sort((a, b) => a.when.getTime() - b.when.getTime());
  const rows = new Map<Story, inventory.SubscriptionRow>();
  for (const { s, step, when } of steps) {
    rows.set(
      s,
      step === 'start' ? await start(tx, ids, s, when) : await change(tx, ids, s, rows.get(s)!, step, when),
    );
  }
  return stories.map((s) => ({
    story: s,
    id: rows.get(s)!.id,
    startedAt: at(now, s.start),
    endedAt: s.end ? at(now, s.end) : null,
  }));
}

// ---- usage --------------------------------------------------------------------------------

const WEEKEND = 0.4;
/** Egress is counted per day, reported at 23:30; levels are measured daily at 06:00. */
const EGRESS_HOUR = 23.5;
const LEVEL_HOUR = 6;

interface UsageEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  data: { gb: string };
}

const eventTypes: Record<Usage['meter'], string> = {
  'cloud-egress': 'com.portico.cloud.egress',
  'cloud-snapshots': 'com.portico.cloud.snapshot',
  'cloud-database-storage': 'com.portico.cloud.database.storage',
  'cloud-bucket-storage': 'com.portico.cloud.bucket.storage',
};

/** The days a subscription ran, each with the moment its usage is reported, up to `until`. */
function days(from: Date, until: Date, hour: number): Date[] {
  const out: Date[] = [];
  const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let day = first; ; day += DAY_MS) {
    const t = new Date(day + hour * 3_600_000);
    if (t > until) return out;
    if (t >= from) out.push(t);
  }
}

/** A day's egress as a share of a weekday's, with jitter: the weekly shape. */
const dayShape = (t: Date, next: () => number) =>
  ([0, 6].includes(t.getUTCDay()) ? WEEKEND : 1) * (0.8 + 0.4 * next());

function eventOf(l: Lived, meter: Usage['meter'], t: Date, gb: Decimal.Value, part = ''): UsageEvent {
  return {
    specversion: '1.0',
    id: `${l.story.name}/${meter}/${t.toISOString().slice(0, 10)}${part}`,
    source: HISTORY_SOURCE,
    type: eventTypes[meter],
    subject: l.id,
    time: t.toISOString(),
    data: { gb: new Decimal(gb).toFixed(3) },
  };
}

/** A subscription's daily usage of one meter from `from` (its start) until it ended or `now`. */
function usageEvents(l: Lived, u: Usage, now: Date): UsageEvent[] {
  const until = l.endedAt ?? now;
  const next = random(`${l.story.name}/${u.meter}`);
  const since = (t: Date) => t.getTime() - l.startedAt.getTime();
  if (u.meter === 'cloud-egress') {
    return days(l.startedAt, until, EGRESS_HOUR).map((t) =>
      eventOf(
        l,
        u.meter,
        t,
        u.gbPerDay * (1 + u.growthPerMonth) ** (since(t) / (30 * DAY_MS)) * dayShape(t, next),
      ),
    );
  }
  const span = since(until);
  return days(l.startedAt, until, LEVEL_HOUR).map((t) =>
    eventOf(l, u.meter, t, (u.fromGb + ((u.toGb - u.fromGb) * since(t)) / span) * (0.985 + 0.03 * next())),
  );
}

/** Usage in batches, as the private cloud would post it. */
async function report(tx: Tx, reporter: Actor, events: UsageEvent[]) {
  const BATCH = 1000;
  for (let i = 0; i < events.length; i += BATCH) {
    const result = await ingestUsage(tx, reporter, { mode: 'batch', events: events.slice(i, i + BATCH) });
    if (result.accepted !== Math.min(BATCH, events.length - i))
      throw new Error(`demo history usage: ${result.message}`);
  }
}

/**
 * The launch month's egress of the near-budget cost centre's busiest VM: as much as brings the
 * month to date to its share of the monthly budget, spread over the days so far like any month.
 */
async function launchTraffic(tx: Tx, finance: Actor, l: Lived, model: PriceModel, now: Date) {
  const centre = await costCentreByCode(tx, NEAR_BUDGET.costCentre);
  const budget = await budgetOf(tx, centre.id, now.getUTCFullYear());
  if (!budget) throw new Error(`demo history: ${NEAR_BUDGET.costCentre} has no budget`);
  const draft = await draftStatement(tx, finance, NEAR_BUDGET.costCentre, now);
  const soFar = draft.statements.find((s) => s.currency === budget.currency)?.monthToDate ?? '0';
  const wanted = new Decimal(budget.monthlyAmount).times(NEAR_BUDGET.share).minus(soFar);
  if (wanted.lte(0)) return [];
  // The GB that cost `wanted` on the card: bisect rate(), which only grows with the quantity.
  const cost = (gb: Decimal) => new Decimal(rate(model, gb.toFixed()).amount);
  let [low, high] = [new Decimal(0), new Decimal(1)];
  while (cost(high).lt(wanted)) high = high.times(2);
  while (high.minus(low).gt('0.0005')) {
    const mid = low.plus(high).div(2);
    if (cost(mid).lt(wanted)) low = mid;
    else high = mid;
  }
  // Reported daily like the rest; in the first hours of a month, once so far.
  const reported = days(at(now, [0, 1, 0]), now, EGRESS_HOUR);
  const times = reported.length ? reported : [now];
  const next = random(`${l.story.name}/launch`);
  const weights = times.map((t) => dayShape(t, next));
  const sum = weights.reduce((a, b) => a + b, 0);
  // Rounded per day to the MB; the last day takes what rounding left.
  const total = high.toDecimalPlaces(3, Decimal.ROUND_UP);
  let left = total;
  return times.map((t, i) => {
    const gb = i === times.length - 1 ? left : total.times(weights[i]! / sum).toDecimalPlaces(3);
    left = left.minus(gb);
    return eventOf(l, 'cloud-egress', t, gb, '/launch');
  });
}

// ---- the whole history --------------------------------------------------------------------

/**
 * Writes the history in the seed's transaction: rate cards, subscriptions and their orders, and
 * usage up to `now`. The months are closed afterwards (closeHistory), since a close runs its own
 * transactions.
 */
export async function seedHistory(
  tx: Tx,
  user: (email: string) => string,
  meters: { key: string; unit: string }[],
  now: Date,
): Promise<void> {
  const finance: Actor = { ...systemActor('seed'), userId: user('finance@example.com'), roles: ['finance'] };
  const reporter: Actor = { ...systemActor('seed'), roles: ['usage_reporter'] };
  const models = await seedRateCards(tx, finance, meters, historyStart(now));
  const costCentre = new Map<string, string>();
  for (const code of new Set(
    stories.map((s) => s.costCentre).concat(stories.flatMap((s) => s.transfer?.costCentre ?? [])),
  ))
    costCentre.set(code, (await costCentreByCode(tx, code)).id);
  const ids: Ids = { user, costCentre };
  const lived = await seedSubscriptions(tx, ids, now);

  const monthStart = at(now, [0, 1, 0]);
  const launch = lived.find((l) => l.story.name === 'shop-api-01')!;
  const events = lived.flatMap((l) =>
    l.story.usage.flatMap((u) =>
      usageEvents(l, u, now).filter(
        (e) => !(l === launch && u.meter === 'cloud-egress' && new Date(e.time) >= monthStart),
      ),
    ),
  );
  await report(tx, reporter, events);
  const model = models.get(`virtual-machine/${launch.story.resize?.plan ?? launch.story.plan}/cloud-egress`)!;
  await report(tx, reporter, await launchTraffic(tx, finance, launch, model, now));
}

/** Closes the history's months, oldest first (after the seed's transaction committed). */
export async function closeHistory(database: Database, now: Date): Promise<void> {
  for (const month of closedMonths(now)) await closeMonth(database, month, now);
}
