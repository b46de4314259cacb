// Metering ingestion: a broker reports usage of a delivered subscription as CloudEvents (one
// event, a batch, or binary mode), each event counted once however often it is sent; bad events
// are named by index while the good ones are stored; usage for a subject nobody owns waits in a
// quarantine until an admin assigns or discards it.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/platform/actor.ts';
import { rowsOf } from '../src/platform/db.ts';
import { aServiceDocument } from '../src/modules/catalog/catalog.factory.ts';
import { aPerson } from '../src/modules/identity/identity.factory.ts';
import { saveServiceDocument } from '../src/workflows/catalog.workflow.ts';
import { aSubscriptionDelivered } from './deliveries.ts';
import { clientWith, signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let as: Record<'requester' | 'manager' | 'fulfiller' | 'admin' | 'finance' | 'reporter', Client>;
/** The reporter's API token (a machine account with the usage_reporter role only). */
let token: string;
let subscriptionId: string;
const instanceId = `inst-${randomUUID()}`;

beforeAll(async () => {
  t = await testApp();
  w = await aWorld(t.database);
  const [admin, finance, reporter] = await t.database.transaction(async (tx) => [
    await aPerson(tx, { name: 'Ada Admin', roles: ['requester', 'admin'] }),
    await aPerson(tx, { name: 'Fin Finance', roles: ['requester', 'finance'] }),
    await aPerson(tx, { name: 'Cloud Broker', roles: ['usage_reporter'] }),
  ]);
  as = {
    requester: await signIn(t.app, w.requester.email, w.password),
    manager: await signIn(t.app, w.manager.email, w.password),
    fulfiller: await signIn(t.app, w.fulfiller.email, w.password),
    admin: await signIn(t.app, admin!.email, w.password),
    finance: await signIn(t.app, finance!.email, w.password),
    reporter: await signIn(t.app, reporter!.email, w.password),
  };
  token = (await as.reporter.post('/api/me/tokens', { name: 'usage' })).body.token;
  subscriptionId = await aDeliveredSubscription();

  for (const [key, meter] of Object.entries({
    storage: { name: 'Storage', unit: 'GB-month', aggregation: 'time_weighted', valueProperty: 'usage.gb' },
    requests: { name: 'API requests', unit: 'request', aggregation: 'count' },
    users: { name: 'Active users', unit: 'user', aggregation: 'unique_count', valueProperty: 'user' },
  })) {
    const put = await as.admin.put(`/api/meters/${key}`, { ...meter, eventType: `com.example.${key}` });
    expect(put.status).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
});

/** A VM ordered, approved and handed over by a fulfiller who records the broker's instance id. */
async function aDeliveredSubscription(): Promise<string> {
  const doc = aServiceDocument({ name: 'Object storage', category: w.vm.category.slug, team: w.team.key });
  const step = doc.plans[0]!.fulfilment!.steps[0]!;
  if (step.type === 'manual') step.outputs.push({ key: 'osbInstanceId', label: 'Instance', required: true });
  const service = (await t.database.transaction((tx) => saveServiceDocument(tx, systemActor('test'), doc)))
    .service.slug;
  return aSubscriptionDelivered(t, w, as, {
    service,
    justification: 'Backups',
    outputs: { hostname: 'backup-01', osbInstanceId: instanceId },
  });
}

interface Sent {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

/** POST /api/usage as the broker (its bearer token unless `auth` says otherwise). */
async function post(
  body: unknown,
  contentType: string,
  headers: Record<string, string> = {},
  auth: Record<string, string> = { authorization: `Bearer ${token}` },
): Promise<Sent> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/usage',
    headers: { 'content-type': contentType, ...auth, ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.body ? res.json() : null };
}

const structured = (event: unknown, auth?: Record<string, string>) =>
  post(event, 'application/cloudevents+json', {}, auth);
const batch = (events: unknown[]) => post(events, 'application/cloudevents-batch+json');

/** A storage reading of `gb` for `subject`. */
const storageEvent = (gb: unknown, subject = `subscriptions/${subscriptionId}`, id = randomUUID()) => ({
  specversion: '1.0',
  id,
  source: '/brokers/cloud',
  type: 'com.example.storage',
  subject,
  time: '2026-05-04T10:00:00Z',
  datacontenttype: 'application/json',
  data: { usage: { gb } },
});

const stored = async (eventId: string) =>
  rowsOf<{
    status: string;
    subscription_id: string | null;
    value: string;
    meter_key: string;
    distinct_value: string | null;
    time: string;
  }>(
    await t.database.db.execute(
      sql`select status, subscription_id, value, meter_key, distinct_value,
        to_char(time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as time
        from usage_events where event_id = ${eventId}`,
    ),
  );

describe('usage ingestion', () => {
  it('structured mode: one event counts for the subscription its subject names', async () => {
    const event = storageEvent(12.5);
    const res = await structured(event);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0, quarantined: 0, invalid: [] });
    expect(res.body.message).toBe('Of 1 event: 1 event stored.');
    expect(await stored(event.id)).toEqual([
      {
        status: 'accepted',
        subscription_id: subscriptionId,
        value: '12.500000000',
        meter_key: 'storage',
        distinct_value: null,
        time: '2026-05-04T10:00:00Z',
      },
    ]);
  });

  it('binary mode: attributes in ce-* headers, the body is the data; the subject may be the broker instance', async () => {
    const id = randomUUID();
    const res = await post({ usage: { gb: '3.25' } }, 'application/json', {
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-source': '/brokers/cloud',
      'ce-type': 'com.example.storage',
      'ce-subject': instanceId,
      'ce-time': '2026-05-04T11:00:00Z',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, quarantined: 0 });
    expect(await stored(id)).toMatchObject([{ subscription_id: subscriptionId, value: '3.250000000' }]);

    const noSource = await post({ usage: { gb: 1 } }, 'application/json', {
      'ce-specversion': '1.0',
      'ce-id': randomUUID(),
      'ce-type': 'com.example.storage',
      'ce-subject': instanceId,
    });
    expect(noSource.status).toBe(400);
    expect(noSource.body.errors).toEqual([{ path: 'ce-source', message: 'is required' }]);
    expect(noSource.body.detail).toMatch(
      /^No event was stored: the event is invalid\. ce-source: is required/,
    );
  });

  it('a count meter needs no data; a unique count keeps the value it counts', async () => {
    const request = { specversion: '1.0', id: randomUUID(), source: 'api-gw', type: 'com.example.requests' };
    const user = { ...request, id: randomUUID(), type: 'com.example.users', data: { user: 'u-42' } };
    const res = await batch([
      { ...request, subject: subscriptionId },
      { ...user, subject: subscriptionId },
    ]);
    expect(res.body).toMatchObject({ accepted: 2, invalid: [] });
    expect(await stored(request.id)).toMatchObject([{ value: '1.000000000', meter_key: 'requests' }]);
    expect(await stored(user.id)).toMatchObject([{ value: '1.000000000', distinct_value: 'u-42' }]);
  });

  it('batch mode: invalid events are reported by index and field, the valid ones are stored', async () => {
    const good = storageEvent(1);
    const alsoGood = storageEvent(2);
    const res = await batch([
      good,
      { ...storageEvent(1), id: undefined },
      storageEvent('lots'),
      { ...storageEvent(1), type: 'com.example.unmetered' },
      alsoGood,
      { ...storageEvent(1), time: 'yesterday', specversion: '0.3' },
      storageEvent(-4),
      { ...storageEvent(1), subject: undefined },
      'not an event',
      { ...storageEvent(1), time: '2099-01-01T00:00:00+02:00' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 0, quarantined: 0 });
    expect(res.body.invalid).toEqual([
      { index: 1, field: 'id', reason: 'is required' },
      {
        index: 2,
        field: 'data.usage.gb',
        reason: 'must be a number (or a decimal string) for meter storage',
      },
      { index: 3, field: 'type', reason: 'no meter counts events of type "com.example.unmetered"' },
      { index: 5, field: 'specversion', reason: 'must be "1.0"' },
      { index: 5, field: 'time', reason: 'must be an RFC 3339 timestamp, e.g. 2026-05-01T12:00:00Z' },
      { index: 6, field: 'data.usage.gb', reason: 'must not be negative' },
      {
        index: 7,
        field: 'subject',
        reason: 'is required: the subscription id (or subscriptions/<id>), or its broker instance id',
      },
      { index: 8, field: 'event', reason: 'must be a JSON object (a CloudEvent)' },
      { index: 9, field: 'time', reason: 'is in the future' },
    ]);
    expect(res.body.message).toBe(
      'Of 10 events: 2 events stored; 8 invalid events not stored (see invalid).',
    );
    expect(await stored(good.id)).toHaveLength(1);
    expect(await stored(alsoGood.id)).toHaveLength(1);
  });

  it('a batch with no valid event stores nothing and answers 400, naming each by index', async () => {
    const res = await batch([{ ...storageEvent(1), source: undefined }, storageEvent(null)]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: '0.source', message: 'is required' },
      { path: '1.data.usage.gb', message: 'is required: meter storage (time_weighted) reads data.usage.gb' },
    ]);
    expect(res.body.detail).toMatch(/^No event was stored: all 2 events are invalid\./);
  });

  it('a duplicate (same source and id) is accepted with no effect, forever', async () => {
    const event = storageEvent(5);
    expect((await structured(event)).body).toMatchObject({ accepted: 1, duplicates: 0 });
    const again = await structured({ ...event, data: { usage: { gb: 500 } } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(again.body.message).toBe('Of 1 event: 0 events stored; 1 duplicate ignored (already received).');
    expect(await stored(event.id)).toMatchObject([{ value: '5.000000000' }]);
    // The same id from another source is another event.
    expect((await structured({ ...event, source: '/brokers/other' })).body).toMatchObject({ accepted: 1 });
  });

  it('the same batch sent twice at once is stored once', async () => {
    const events = Array.from({ length: 300 }, (_, i) => storageEvent(i));
    const [a, b] = await Promise.all([batch(events), batch(events)]);
    expect([a!.status, b!.status]).toEqual([200, 200]);
    expect(a!.body.accepted + b!.body.accepted).toBe(300);
    expect(a!.body.duplicates + b!.body.duplicates).toBe(300);
    const [row] = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`select count(*)::int as n from usage_events where event_id in (${sql.join(
          events.map((e) => sql`${e.id}`),
          sql`, `,
        )})`,
      ),
    );
    expect(row!.n).toBe(300);
  });

  it('a batch holds at most 10,000 events', async () => {
    const events = Array.from({ length: 10_001 }, (_, i) => ({
      specversion: '1.0',
      id: `big-${i}`,
      source: 's',
      type: 'com.example.requests',
      subject: subscriptionId,
    }));
    const res = await batch(events);
    expect(res.status).toBe(413);
    expect(res.body.detail).toBe(
      'A batch holds at most 10,000 events; this one has 10,001. Send it in smaller batches.',
    );
    expect(await stored('big-0')).toEqual([]);
  });

  it('refuses what is not a CloudEvent request, naming what to send', async () => {
    const res = await post({ usage: { gb: 1 } }, 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('content-type');
    const broken = await post('{"specversion":', 'application/cloudevents+json');
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].path).toBe('body');
  });
});

describe('the quarantine', () => {
  it('keeps usage for an unknown subject until an admin assigns it; then it counts', async () => {
    const event = storageEvent(7, 'inst-nobody-knows');
    const res = await structured(event);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 0, quarantined: 1 });
    expect(res.body.message).toBe(
      'Of 1 event: 0 events stored; 1 quarantined (no subscription matches the subject).',
    );

    const open = await as.finance.get('/api/usage/quarantine');
    expect(open.status).toBe(200);
    const item = open.body.items.find((i: { eventId: string }) => i.eventId === event.id);
    expect(item).toMatchObject({
      status: 'quarantined',
      subject: 'inst-nobody-knows',
      meter: 'storage',
      value: '7.000000000',
      reason: 'no subscription matches the subject "inst-nobody-knows"',
      subscriptionId: null,
    });

    expect(
      (await as.finance.post(`/api/usage/quarantine/${item.id}/resolve`, { subscription: subscriptionId }))
        .status,
    ).toBe(403);
    const unknown = await as.admin.post(`/api/usage/quarantine/${item.id}/resolve`, {
      subscription: randomUUID(),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'subscription', message: 'no subscription has this id' }]);

    const assigned = await as.admin.post(`/api/usage/quarantine/${item.id}/resolve`, {
      subscription: subscriptionId,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'accepted', subscriptionId });
    expect(await stored(event.id)).toMatchObject([{ status: 'accepted', subscription_id: subscriptionId }]);
    const [audit] = rowsOf<{ action: string }>(
      await t.database.db.execute(
        sql`select action from audit_events where entity_type = 'usage_event' and entity_id = ${item.id}`,
      ),
    );
    expect(audit).toEqual({ action: 'usage_event.assigned' });

    const twice = await as.admin.post(`/api/usage/quarantine/${item.id}/resolve`, { discard: 'oops' });
    expect(twice.status).toBe(409);
    expect(
      (await as.admin.get('/api/usage/quarantine')).body.items.map((i: { id: string }) => i.id),
    ).not.toContain(item.id);
    // Sending it again changes nothing: it was received once.
    expect((await structured(event)).body).toMatchObject({ duplicates: 1, quarantined: 0 });
  });

  it('a discarded event is kept, marked, with the reason', async () => {
    const event = storageEvent(9, 'test-tenant');
    await structured(event);
    const item = (await as.admin.get('/api/usage/quarantine')).body.items.find(
      (i: { eventId: string }) => i.eventId === event.id,
    );
    const res = await as.admin.post(`/api/usage/quarantine/${item.id}/resolve`, {
      discard: 'A test tenant of the broker',
    });
    expect(res.status).toBe(200);
    const resolved = (await as.admin.get('/api/usage/quarantine?status=resolved')).body.items.find(
      (i: { id: string }) => i.id === item.id,
    );
    expect(resolved).toMatchObject({
      status: 'discarded',
      resolution: 'A test tenant of the broker',
      resolvedAt: expect.any(String),
    });
    expect(await stored(event.id)).toMatchObject([{ status: 'discarded', subscription_id: null }]);
  });
});

describe('meters', () => {
  it('admins define them; finance reads them; what a meter counts is fixed once it has usage', async () => {
    expect((await as.finance.get('/api/meters')).body.items.map((m: { key: string }) => m.key)).toEqual([
      'requests',
      'storage',
      'users',
    ]);
    expect((await as.finance.get('/api/meters/storage')).body).toMatchObject({
      unit: 'GB-month',
      aggregation: 'time_weighted',
      valueProperty: 'usage.gb',
      eventType: 'com.example.storage',
    });
    const body = {
      name: 'Block storage',
      unit: 'GB-month',
      aggregation: 'time_weighted',
      valueProperty: 'usage.gb',
      eventType: 'com.example.storage',
    };
    expect((await as.finance.put('/api/meters/storage', body)).status).toBe(403);
    const renamed = await as.admin.put('/api/meters/storage', body);
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Block storage');

    const changed = await as.admin.put('/api/meters/storage', { ...body, aggregation: 'max' });
    expect(changed.status).toBe(409);
    expect(changed.body.errors).toEqual([
      { path: 'aggregation', message: 'cannot change once the meter has usage; create a new meter instead' },
    ]);
    const taken = await as.admin.put('/api/meters/storage-2', body);
    expect(taken.status).toBe(409);
    expect(taken.body.errors).toEqual([
      { path: 'eventType', message: 'meter storage already counts events of this type' },
    ]);
    const noProperty = await as.admin.put('/api/meters/cpu', {
      ...body,
      eventType: 'cpu',
      aggregation: 'sum',
      valueProperty: undefined,
    });
    expect(noProperty.status).toBe(400);
    expect(noProperty.body.errors[0]).toMatchObject({ path: 'valueProperty' });
    expect((await as.admin.get('/api/meters/nope')).status).toBe(404);
  });
});

describe('authorization', () => {
  it('only usage reporters and admins post usage; others are refused before anything is read', async () => {
    const event = storageEvent(1);
    expect((await structured(event, {})).status).toBe(401);
    const requesterToken = (await as.requester.post('/api/me/tokens', { name: 'mine' })).body.token;
    const refused = await structured(event, { authorization: `Bearer ${requesterToken}` });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe('Only usage reporter accounts (and admins) may post usage');
    expect(await stored(event.id)).toEqual([]);
    // A session works too (with its CSRF token), for an admin.
    const byAdmin = await as.admin.post('/api/usage', event, {
      'content-type': 'application/cloudevents+json',
    });
    expect(byAdmin.status).toBe(200);
  });

  it('a usage reporter can do nothing else; requesters see neither meters nor the quarantine', async () => {
    const reporter = clientWith(t.app, { authorization: `Bearer ${token}` });
    expect((await reporter.get('/api/meters')).status).toBe(403);
    expect((await reporter.get('/api/usage/quarantine')).status).toBe(403);
    expect((await as.requester.get('/api/meters')).status).toBe(403);
    expect((await as.requester.get('/api/usage/quarantine')).status).toBe(403);
    expect(
      (
        await as.requester.post('/api/usage', storageEvent(1), {
          'content-type': 'application/cloudevents+json',
        })
      ).status,
    ).toBe(403);
    expect((await clientWith(t.app, {}).get('/api/meters')).status).toBe(401);
  });
});
