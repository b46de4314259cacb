// Usage reporting: the broker tells the portal what its instances used, as CloudEvents batches
// over HTTP, with ids that stay the same when a batch is sent again, and nothing for deleted
// instances. A fake portal records what it receives and answers as told.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVICES } from '../src/catalog.ts';
import type { Instance } from '../src/state.store.ts';
import {
  USAGE_EVENT_TYPES,
  UsageEmitter,
  type MeteredInstance,
  type UsageEvent,
} from '../src/usage.emitter.ts';
import { bucket, ids, postgres, start, uid, vm } from './osb-client.ts';

interface Received {
  authorization: string | undefined;
  contentType: string | undefined;
  events: UsageEvent[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A fake portal: answers each POST /api/usage with the next status (200 when none is left). */
async function fakePortal(statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        events: request.url === '/api/usage' ? JSON.parse(body) : [],
      });
      const status = statuses.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status === 200 ? { accepted: 1, invalid: [] } : { title: 'boom' }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const quiet = { warn() {}, debug() {} };

function anInstance(serviceName: string, planName: string, id = uid()): MeteredInstance {
  const service = SERVICES.find((s) => s.name === serviceName)!;
  const plan = service.plans.find((p) => p.name === planName)!;
  const instance: Instance = {
    id,
    serviceId: service.id,
    planId: plan.id,
    parameters: {},
    maintenanceVersion: service.maintenance.version,
    status: 'provisioned',
    resource: {},
    createdAt: '2026-05-01T00:00:00.000Z',
    provisionedAt: '2026-05-01T00:00:00.000Z',
    lifecycle: [],
    operations: [],
  };
  return { instance, service, plan };
}

/** An emitter on a clock the test moves: one-minute intervals at timeScale 1. */
function anEmitter(url: string, instances: () => MeteredInstance[]) {
  const clock = { now: Date.parse('2026-05-04T10:00:30.000Z') };
  const emitter = new UsageEmitter(
    { url, token: 'ptk_test-token', intervalMs: 60_000 },
    1,
    instances,
    quiet,
    () => clock.now,
  );
  return { emitter, clock };
}

describe('usage reporting', () => {
  it('sends a CloudEvents batch per interval: one event per instance and metric, plausible values', async () => {
    const portal = await fakePortal();
    const live = [
      anInstance('virtual-machine', 'small'),
      anInstance('managed-postgresql', 'standard'),
      anInstance('object-storage', '1tb'),
    ];
    const { emitter } = anEmitter(portal.url, () => live);

    expect(await emitter.report()).toEqual({ delivered: 6, pending: 0 });
    expect(portal.received).toHaveLength(1);
    const [request] = portal.received;
    expect(request!.authorization).toBe('Bearer ptk_test-token');
    expect(request!.contentType).toBe('application/cloudevents-batch+json');
    const events = request!.events;
    for (const e of events) {
      expect(e).toMatchObject({
        specversion: '1.0',
        source: 'urn:portico:cloud-broker',
        // The interval that ended last: 10:00:00.
        time: '2026-05-04T10:00:00.000Z',
        datacontenttype: 'application/json',
      });
      expect(e.id).toBe(`${e.subject}:${e.id.split(':')[1]}:${Date.parse(e.time) / 60_000 - 1}`);
    }
    const by = (subject: string) =>
      Object.fromEntries(events.filter((e) => e.subject === subject).map((e) => [e.type, e.data]));
    const [vmUsage, dbUsage, bucketUsage] = live.map((l) => by(l.instance.id));
    expect(Object.keys(vmUsage!).sort()).toEqual([USAGE_EVENT_TYPES.egress, USAGE_EVENT_TYPES.snapshot]);
    // A VM sends 5–150 GB a month: at most 0.006 GB in a minute.
    expect(vmUsage![USAGE_EVENT_TYPES.egress]!.gb).toBeGreaterThan(0);
    expect(vmUsage![USAGE_EVENT_TYPES.egress]!.gb).toBeLessThan(0.006);
    // A standard database has 200 GB: 15–60 % used, grown a little in three days.
    expect(dbUsage![USAGE_EVENT_TYPES.databaseStorage]!.gb).toBeGreaterThan(30);
    expect(dbUsage![USAGE_EVENT_TYPES.databaseStorage]!.gb).toBeLessThan(125);
    expect(bucketUsage![USAGE_EVENT_TYPES.bucketStorage]!.gb).toBeGreaterThan(200);
    expect(Number.isInteger(bucketUsage![USAGE_EVENT_TYPES.bucketRequests]!.requests)).toBe(true);
    expect(dbUsage![USAGE_EVENT_TYPES.databaseStorage]).toMatchObject({
      service: 'managed-postgresql',
      plan: 'standard',
      interval: { start: '2026-05-04T09:59:00.000Z', end: '2026-05-04T10:00:00.000Z' },
    });
  });

  it('makes the same events for the same interval (ids and values), so a re-send is a duplicate', async () => {
    const portal = await fakePortal();
    const live = [anInstance('object-storage', '1tb'), anInstance('virtual-machine', 'medium')];
    await anEmitter(portal.url, () => live).emitter.report();
    await anEmitter(portal.url, () => live).emitter.report(); // a restarted broker
    expect(portal.received[1]!.events).toEqual(portal.received[0]!.events);
  });

  it('storage grows slowly from one interval to the next; each interval is sent once', async () => {
    const portal = await fakePortal();
    const live = [anInstance('managed-postgresql', 'dev')];
    const { emitter, clock } = anEmitter(portal.url, () => live);
    await emitter.report();
    await emitter.report(); // same interval: nothing new to send
    clock.now += 60_000 * 60 * 24 * 30; // a month later: the intervals of the last hour
    await emitter.report();
    expect(portal.received).toHaveLength(2);
    const levels = portal.received.flatMap((r) => r.events.map((e) => e.data.gb as number));
    expect(levels).toHaveLength(61);
    expect(levels[1]!).toBeGreaterThan(levels[0]!);
    expect(levels[1]! / levels[0]!).toBeLessThan(1.2);
  });

  it('sends the same events again after the portal answered 500 or could not be reached', async () => {
    const portal = await fakePortal([500]);
    const live = [anInstance('virtual-machine', 'small')];
    const { emitter, clock } = anEmitter(portal.url, () => live);

    expect(await emitter.report()).toEqual({ delivered: 0, pending: 2 });
    clock.now += 60_000;
    expect(await emitter.report()).toEqual({ delivered: 4, pending: 0 });
    const [failed, retried] = portal.received.map((r) => r.events.map((e) => e.id));
    expect(retried).toEqual([...failed!, ...failed!.map((id) => id.replace(/\d+$/, (n) => String(+n + 1)))]);

    const down = anEmitter('http://127.0.0.1:1', () => live);
    expect(await down.emitter.report()).toEqual({ delivered: 0, pending: 2 });
  });

  it('sends nothing for an instance that is gone', async () => {
    const portal = await fakePortal();
    const kept = anInstance('object-storage', '1tb');
    let live = [kept, anInstance('virtual-machine', 'small')];
    const { emitter, clock } = anEmitter(portal.url, () => live);
    await emitter.report();
    live = [kept];
    clock.now += 60_000;
    await emitter.report();
    expect(new Set(portal.received[1]!.events.map((e) => e.subject))).toEqual(new Set([kept.instance.id]));
  });
});

describe('the running broker', () => {
  it('reports what it provisioned every interval, and stops reporting an instance once deleted', async () => {
    const portal = await fakePortal([503]);
    // 60 s at timeScale 0.001: an interval every 60 ms.
    const { broker, osb } = await start({ usage: { url: portal.url, token: 'ptk_x', intervalMs: 60_000 } });
    const [machine, database, store] = [uid(), uid(), uid()];
    await osb.provisioned(machine, vm());
    await osb.provisioned(database, postgres());
    await osb.provisioned(store, bucket());
    await osb.provisioned(uid('fail-provision-'), vm()).catch(() => {}); // failed: never reports

    const subjects = () => new Set(portal.received.flatMap((r) => r.events.map((e) => e.subject)));
    await expect.poll(subjects, { timeout: 5_000 }).toEqual(new Set([machine, database, store]));
    expect(portal.received.length).toBeGreaterThan(1); // the 503 did not stop it

    const gone = await osb.deprovision(machine, ids('virtual-machine', 'small'));
    await osb.poll(machine, String(gone.body.operation));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const after = portal.received.length;
    await expect.poll(() => portal.received.length, { timeout: 5_000 }).toBeGreaterThan(after + 2);
    const later = portal.received.slice(after).flatMap((r) => r.events.map((e) => e.subject));
    expect(later).not.toContain(machine);
    expect(later).toContain(database);

    await broker.close();
    const closed = portal.received.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(portal.received.length).toBe(closed);
  });

  it('reports nothing unless configured', async () => {
    const { broker } = await start();
    expect(await broker.reportUsage()).toBeNull();
  });
});
