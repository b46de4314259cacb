// The OSB adapter against the simulated cloud broker over real HTTP on 127.0.0.1, at a time
// scale where a database is ready in well under a second. The broker's id prefixes (orphan-,
// slow-, stuck-, flaky2-, fail-provision-) make it misbehave on purpose; a few answers no
// well-behaved broker gives (a 201 that is not JSON, a 429) come from a small stub server.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBroker, type RunningBroker } from '@portico/cloud-broker';
import { ServiceDocument } from '@portico/shared';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineFacts, StepCall } from './adapter.ts';
import { drive, expectDone, expectFailed, expectWorking } from './adapter.test-support.ts';
import {
  bindingIdFor,
  fetchBrokerCatalog,
  instanceIdFor,
  osbAdapter,
  splitCredentials,
  uuidV5,
  type OsbSettings,
} from './osb.adapter.ts';
import { catalogToDrafts } from './osb.catalog.ts';
import type { OsbCatalog } from './osb.client.ts';

const USER = 'portico';
const PASSWORD = 'broker-password-for-tests';
const TIME_SCALE = 0.001;

let broker: RunningBroker;
/** For tests that must catch an operation running: a small VM takes 0.4–0.7 s, a dev database 1.2–1.8 s. */
let watched: RunningBroker;
const extraBrokers: RunningBroker[] = [];

beforeAll(async () => {
  broker = await startBroker({ username: USER, password: PASSWORD, timeScale: TIME_SCALE });
  watched = await startBroker({ username: USER, password: PASSWORD, timeScale: 0.02 });
});

afterAll(async () => {
  await Promise.all([broker, watched, ...extraBrokers].map((b) => b.close()));
});

async function anotherBroker(opts: Partial<Parameters<typeof startBroker>[0]> = {}): Promise<RunningBroker> {
  const started = await startBroker({ username: USER, password: PASSWORD, timeScale: TIME_SCALE, ...opts });
  extraBrokers.push(started);
  return started;
}

const settings = (overrides: Partial<OsbSettings> = {}): OsbSettings => ({
  url: broker.url,
  username: USER,
  password: PASSWORD,
  timeoutMs: 3_000,
  pollIntervalMs: 5,
  ...overrides,
});

function line(options: Record<string, unknown> = {}): LineFacts {
  return {
    lineId: randomUUID(),
    orderId: randomUUID(),
    orderNumber: 'ORD-2026-00042',
    service: { slug: 'managed-postgresql', name: 'Managed PostgreSQL', version: 3 },
    plan: { slug: 'dev', name: 'Development' },
    options,
    quantity: 1,
    requester: { id: randomUUID(), email: 'requester@example.com', name: 'Rita Requester' },
    costCentre: 'CC-1000',
  };
}

function stepCall(
  key: string,
  config: Record<string, unknown>,
  options: Record<string, unknown> = {},
  state: Record<string, unknown> = {},
): StepCall {
  return { idempotencyKey: key, line: line(options), config, outputs: {}, state };
}

const postgres = { service: 'managed-postgresql', plan: 'dev' };
const vm = { service: 'virtual-machine', plan: 'small' };
const bucket = { service: 'object-storage', plan: '1tb' };

/** Asks the broker directly, as an operator would. */
async function ask(
  path: string,
  on: RunningBroker = broker,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${on.url}${path}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
      'x-broker-api-version': '2.17',
    },
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function deleteInstance(id: string, serviceId: string, planId: string): Promise<number> {
  const url = `${broker.url}/v2/service_instances/${id}?service_id=${serviceId}&plan_id=${planId}&accepts_incomplete=true`;
  const response = await fetch(url, {
    method: 'DELETE',
    headers: {
      authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
      'x-broker-api-version': '2.17',
    },
  });
  await response.text();
  return response.status;
}

describe('provisioning', () => {
  it('provisions with accepts_incomplete, polls last_operation, binds, and keeps secrets out of the outputs', async () => {
    const adapter = osbAdapter(settings({ url: watched.url }));
    const key = randomUUID();
    const call = stepCall(
      key,
      { ...postgres, parameters: { region: 'dc2' } },
      { databaseName: 'orders', version: '16', region: 'dc1', costCentreNote: 'Portico only' },
    );

    const first = expectWorking(await adapter.start(call));
    expect(first.state).toMatchObject({ phase: 'provisioning', instanceId: key, mayExist: true });
    expect(first.state.operation).toEqual(expect.any(String));
    expect(first.pollAfterMs).toBeGreaterThanOrEqual(5);

    const { result, progress } = await drive(adapter, { ...call, state: first.state });
    const done = expectDone(result);
    expect(progress.some((p) => /Creating database: .* complete/.test(p))).toBe(true);

    const credentials = done.credentials!;
    expect(credentials.password).toMatch(/.{16,}/);
    expect(credentials.uri).toContain(credentials.password);
    expect(done.outputs).toMatchObject({
      osbInstanceId: key,
      port: '5432',
      database: 'orders',
      region: 'dc2',
    });
    expect(done.outputs!.host).toMatch(/^pg-[0-9a-f]{8}\.dc2\.db\.cloud\.example\.com$/);
    expect(done.outputs!.uri).toMatch(/^postgresql:\/\/orders_rw_[0-9a-f]{6}@pg-/);
    for (const value of Object.values(done.outputs!)) expect(value).not.toContain(credentials.password);
    expect(done.state).toMatchObject({ phase: 'ready', bindingId: bindingIdFor(key) });

    // What the broker holds: the options its schema declares, the catalogue's fixed region over
    // the requester's, nothing it does not declare; and the binding with those credentials.
    const instance = await ask(`/v2/service_instances/${key}`, watched);
    expect(instance.status).toBe(200);
    expect(instance.body.parameters).toMatchObject({ databaseName: 'orders', version: '16', region: 'dc2' });
    expect(instance.body.parameters).not.toHaveProperty('costCentreNote');
    const binding = await ask(`/v2/service_instances/${key}/service_bindings/${bindingIdFor(key)}`, watched);
    expect(binding.status).toBe(200);
    expect((binding.body.credentials as Record<string, unknown>).password).toBe(credentials.password);
  });

  it('recognises a re-send after a crash: same instance, same operation, same credentials, no second instance', async () => {
    // The re-send must arrive while the instance is being built.
    const fresh = () => osbAdapter(settings({ url: watched.url }));
    const key = randomUUID();
    const hostname = `app-${key.slice(0, 8)}`;
    const call = stepCall(key, vm, { hostname, os: 'debian-12' });

    const before = expectWorking(await fresh().start(call));
    // The worker died before recording the answer: a new process, a new adapter, no state.
    const again = expectWorking(await fresh().start(call));
    expect(again.state.instanceId).toBe(before.state.instanceId);
    expect(again.state.operation).toBe(before.state.operation);

    const { result } = await drive(fresh(), { ...call, state: again.state });
    const done = expectDone(result);

    // And once more after it finished: 200 for the instance, 200 and the same binding.
    const replay = expectDone(await fresh().start(call));
    expect(replay.credentials!.password).toBe(done.credentials!.password);
    expect(replay.outputs!.host).toBe(done.outputs!.host);

    // The hostname is taken exactly once, by this step's instance.
    const other = expectFailed(await fresh().start(stepCall(randomUUID(), vm, { hostname })));
    expect(other.retryable).toBe(false);
    expect(other.error).toContain(`"${hostname}" is already in use`);
  });

  it('skips the bind when the step says so, and still reports what the broker built', async () => {
    const bucketName = `b-${randomUUID().slice(0, 8)}`;
    const { result } = await drive(
      osbAdapter(settings()),
      stepCall(randomUUID(), { ...bucket, bind: false }, { bucketName }),
    );
    const done = expectDone(result);
    expect(done.credentials).toBeUndefined();
    expect(done.outputs).toMatchObject({ bucket: bucketName, region: 'dc1' });
    expect(done.state).toMatchObject({ phase: 'ready', bindingId: null });
  });

  it('sends the version, request identity and originating identity headers', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (text: string) => void lines.push(JSON.parse(text)) });
    const logged = await anotherBroker({ logger });
    const call = stepCall(randomUUID(), bucket, { bucketName: `b-${randomUUID().slice(0, 8)}` });
    expectWorking(await osbAdapter(settings({ url: logged.url })).start(call));

    const provision = lines.find((l) => l.msg === 'provision');
    expect(provision).toMatchObject({
      originatingIdentity: {
        platform: 'portico',
        value: { user_id: call.line.requester.id, email: 'requester@example.com' },
      },
    });
    // Fastify names the request by X-Broker-API-Request-Identity (a fresh uuid per request).
    expect(provision!.reqId).toMatch(/^[0-9a-f-]{36}$/);
    const catalogLine = lines.find((l) => (l.req as { url?: string } | undefined)?.url === '/v2/catalog');
    expect(catalogLine?.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(catalogLine?.reqId).not.toBe(provision!.reqId);
  });
});

describe('failures, as the OSB spec classifies them', () => {
  it('400: a refusal is final and names the broker’s reason; nothing to clean up', async () => {
    const result = expectFailed(
      await osbAdapter(settings()).start(stepCall(randomUUID(), postgres, { version: '16' })),
    );
    expect(result).toMatchObject({ retryable: false });
    expect(result.ambiguous).toBeUndefined();
    expect(result.error).toMatch(/400 InvalidParameters: parameters\.databaseName/);
  });

  it('409: the same step sent with different parameters is final', async () => {
    const key = randomUUID();
    expectWorking(await osbAdapter(settings()).start(stepCall(key, postgres, { databaseName: 'first' })));
    const result = expectFailed(
      await osbAdapter(settings()).start(stepCall(key, postgres, { databaseName: 'second' })),
    );
    expect(result.retryable).toBe(false);
    expect(result.error).toMatch(/409 Conflict: .*different attributes/);
  });

  it('422 ConcurrencyError: retried, without orphan mitigation', async () => {
    const key = `stuck-${randomUUID()}`;
    const started = expectWorking(await osbAdapter(settings()).start(stepCall(key, vm)));
    const { serviceId, planId } = started.state as { serviceId: string; planId: string };
    // Someone deletes it meanwhile (a stuck instance stays "deprovisioning" for ever).
    expect(await deleteInstance(key, serviceId, planId)).toBe(202);

    const result = expectFailed(await osbAdapter(settings()).start(stepCall(key, vm)));
    expect(result.retryable).toBe(true);
    expect(result.ambiguous).toBeUndefined();
    expect(result.error).toContain('422 ConcurrencyError');
  });

  it('5xx: retryable (and ambiguous, a provision may have happened); the re-send then goes through', async () => {
    const adapter = osbAdapter(settings());
    const call = stepCall(`flaky2-${randomUUID()}`, bucket, { bucketName: `b-${randomUUID().slice(0, 8)}` });
    const first = expectFailed(await adapter.start(call));
    expect(first).toMatchObject({ retryable: true, ambiguous: true });
    expect(first.error).toMatch(/500 SimulatedFault/);
    const second = expectFailed(await adapter.start({ ...call, state: first.state! }));
    expect(second).toMatchObject({ retryable: true, ambiguous: true });

    const { result } = await drive(adapter, { ...call, state: second.state! });
    expect(expectDone(result).credentials!.secretAccessKey).toBeTruthy();
  });

  it('orphan-: a 500 after the broker created it is ambiguous, and undo deprovisions the orphan', async () => {
    const adapter = osbAdapter(settings());
    const key = `orphan-${randomUUID()}`;
    const call = stepCall(key, bucket, { bucketName: `b-${randomUUID().slice(0, 8)}` });
    const failed = expectFailed(await adapter.start(call));
    expect(failed).toMatchObject({ retryable: true, ambiguous: true });
    expect(failed.error).toContain('was created, but the answer was lost');
    expect((await ask(`/v2/service_instances/${key}/last_operation`)).status).toBe(200);

    const { result } = await drive(adapter, { ...call, state: failed.state! }, 'undo');
    expect(expectDone(result).state).toMatchObject({ phase: 'gone' });
    expect((await ask(`/v2/service_instances/${key}/last_operation`)).status).toBe(410);
  });

  it('slow-: a provision that times out is ambiguous, and undo deprovisions what it made', async () => {
    const slow = await anotherBroker({ failures: { slowResponseMs: 5_000 } });
    const adapter = osbAdapter(settings({ url: slow.url, timeoutMs: 1_000 }));
    const key = `slow-${randomUUID()}`;
    const call = stepCall(key, vm);
    const failed = expectFailed(await adapter.start(call));
    expect(failed).toMatchObject({ retryable: true, ambiguous: true });
    expect(failed.error).toContain('did not answer within 1000 ms');

    const { result } = await drive(adapter, { ...call, state: failed.state! }, 'undo');
    expectDone(result);
    expect((await ask(`/v2/service_instances/${key}/last_operation`, slow)).status).toBe(410);
  });

  it('fail-provision-: last_operation "failed" is final and ambiguous; undo removes the remains', async () => {
    const adapter = osbAdapter(settings());
    const key = `fail-provision-${randomUUID()}`;
    const call = stepCall(key, vm);
    const { result } = await drive(adapter, call);
    const failed = expectFailed(result);
    expect(failed).toMatchObject({ retryable: false, ambiguous: true });
    expect(failed.error).toMatch(
      /^the broker could not create the instance: .*(capacity|boot check|address pool)/,
    );
    expect((await ask(`/v2/service_instances/${key}/last_operation`)).body).toMatchObject({
      state: 'failed',
    });

    const undone = await drive(adapter, { ...call, state: failed.state! }, 'undo');
    expectDone(undone.result);
    expect((await ask(`/v2/service_instances/${key}/last_operation`)).status).toBe(410);
  });

  it('gives up, ambiguously, when polling outlasts the plan’s maximum_polling_duration', async () => {
    let clock = Date.now();
    const adapter = osbAdapter(settings(), { now: () => new Date(clock) });
    const catalog = await fetchBrokerCatalog(settings());
    const limit = catalog.services.find((s) => s.name === 'virtual-machine')!.plans[0]!
      .maximum_polling_duration!;
    const call = stepCall(`stuck-${randomUUID()}`, vm);

    const started = expectWorking(await adapter.start(call));
    const polled = expectWorking(await adapter.poll({ ...call, state: started.state }));
    expect(polled.progress).toMatch(/Creating virtual machine/);
    clock += limit * 1000 + 1;
    const gaveUp = expectFailed(await adapter.poll({ ...call, state: polled.state }));
    expect(gaveUp).toMatchObject({ retryable: false, ambiguous: true });
    expect(gaveUp.error).toMatch(/longer than the plan's maximum polling duration \(\d+(\.\d)? s\)/);

    // Orphan mitigation: the DELETE is accepted, but a stuck broker never finishes that either.
    const undoing = expectWorking(await adapter.undo({ ...call, state: gaveUp.state! }));
    expect(undoing.state).toMatchObject({ phase: 'deprovisioning' });
    clock += limit * 1000 + 1;
    const stuck = expectFailed(await adapter.undo({ ...call, state: undoing.state }));
    expect(stuck.retryable).toBe(false);
    expect(stuck.error).toMatch(/gave up on the deprovisioning/);
  });

  it('waits as long as Retry-After asks', async () => {
    const realTime = await anotherBroker({ timeScale: 1 });
    const adapter = osbAdapter(settings({ url: realTime.url }));
    const call = stepCall(`stuck-${randomUUID()}`, bucket, { bucketName: `b-${randomUUID().slice(0, 8)}` });
    const started = expectWorking(await adapter.start(call));
    const polled = expectWorking(await adapter.poll({ ...call, state: started.state }));
    // A stuck operation: the broker suggests 5 s (20 s of "remaining" time / 4).
    expect(polled.pollAfterMs).toBe(5_000);
  });

  it('a wrong password is final and says what to check', async () => {
    const result = expectFailed(
      await osbAdapter(settings({ password: 'wrong' })).start(stepCall(randomUUID(), postgres)),
    );
    expect(result.retryable).toBe(false);
    expect(result.error).toMatch(/401 Unauthorized/);
  });

  it('an unreachable broker is retryable and, since nothing was sent, not ambiguous', async () => {
    const gone = await anotherBroker();
    const url = gone.url;
    await gone.close();
    const result = expectFailed(await osbAdapter(settings({ url })).start(stepCall(randomUUID(), postgres)));
    expect(result.retryable).toBe(true);
    expect(result.ambiguous).toBeUndefined();
    expect(result.error).toMatch(/could not reach the broker at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('an unknown plan is final and lists what the broker offers', async () => {
    const result = expectFailed(
      await osbAdapter(settings()).start(
        stepCall(randomUUID(), { service: 'virtual-machine', plan: 'huge' }),
      ),
    );
    expect(result.retryable).toBe(false);
    expect(result.error).toBe(
      `the broker's virtual-machine has no plan "huge" (it has small, medium, large, xlarge)`,
    );
  });

  it('a misconfigured adapter refuses every call without calling anyone', async () => {
    const adapter = osbAdapter(settings({ url: 'ftp://broker.example.com' }));
    const result = expectFailed(await adapter.undo(stepCall(randomUUID(), vm)));
    expect(result.retryable).toBe(false);
    expect(result.error).toMatch(/misconfigured: url/);
  });
});

describe('undo', () => {
  it('unbinds a bound instance, then deprovisions it and polls until the broker says it is gone', async () => {
    const adapter = osbAdapter(settings());
    const key = randomUUID();
    const call = stepCall(key, postgres, { databaseName: 'ledger' });
    const done = expectDone((await drive(adapter, call)).result);
    const bindingPath = `/v2/service_instances/${key}/service_bindings/${bindingIdFor(key)}`;
    expect((await ask(bindingPath)).status).toBe(200);

    const first = expectWorking(await adapter.undo({ ...call, state: done.state! }));
    expect(first.state).toMatchObject({ phase: 'deprovisioning', operation: expect.any(String) });
    expect((await ask(bindingPath)).status).toBe(404);

    const { result } = await drive(adapter, { ...call, state: first.state }, 'undo');
    const undone = expectDone(result);
    expect(undone.state).toMatchObject({ phase: 'gone' });
    expect((await ask(`/v2/service_instances/${key}/last_operation`)).status).toBe(410);

    // Idempotent: once gone, undo is done at once.
    expectDone(await adapter.undo({ ...call, state: undone.state! }));
  });

  it('works from the idempotency key alone when no state was recorded', async () => {
    const key = `orphan-${randomUUID()}`;
    const call = stepCall(key, bucket, { bucketName: `b-${randomUUID().slice(0, 8)}` });
    expectFailed(await osbAdapter(settings()).start(call));
    const { result } = await drive(osbAdapter(settings()), call, 'undo');
    expectDone(result);
    expect((await ask(`/v2/service_instances/${key}/last_operation`)).status).toBe(410);
  });
});

describe('answers the simulated broker never gives (a stub server)', () => {
  const catalog = {
    services: [
      {
        id: 'svc-1',
        name: 'thing',
        description: 'A thing.',
        bindable: true,
        plans: [{ id: 'plan-1', name: 'basic', description: 'Basic.' }],
      },
    ],
  };
  type Reply = { status: number; body?: string; headers?: Record<string, string> };

  async function stub(replies: Record<string, Reply>): Promise<string> {
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const path = new URL(request.url!, 'http://x').pathname;
      const reply: Reply =
        path === '/v2/catalog'
          ? { status: 200, body: JSON.stringify(catalog) }
          : (replies[`${request.method} ${path.replace(/[^/]+-[0-9a-f-]{36}/g, ':id')}`] ?? { status: 599 });
      request.resume();
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    extraBrokers.push({
      url: '',
      setFailures: () => {},
      reportUsage: async () => null,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const thing = { service: 'thing', plan: 'basic' };
  const key = () => `k-${randomUUID()}`;

  it('a 422 other than ConcurrencyError is final, in the broker’s words', async () => {
    const url = await stub({
      'PUT /v2/service_instances/:id': {
        status: 422,
        body: JSON.stringify({
          error: 'QuotaExceeded',
          description: 'Cost centre CC-1000 has used its 10 instances.',
        }),
      },
    });
    const result = expectFailed(await osbAdapter(settings({ url })).start(stepCall(key(), thing)));
    expect(result.retryable).toBe(false);
    expect(result.ambiguous).toBeUndefined();
    expect(result.error).toContain('422 QuotaExceeded: Cost centre CC-1000 has used its 10 instances.');
  });

  it('a 201 whose body is not JSON may have created something: retry, ambiguous', async () => {
    const url = await stub({ 'PUT /v2/service_instances/:id': { status: 201, body: '<html>oops</html>' } });
    const result = expectFailed(await osbAdapter(settings({ url })).start(stepCall(key(), thing)));
    expect(result).toMatchObject({ retryable: true, ambiguous: true });
    expect(result.error).toMatch(
      /^create the thing \(basic\): the broker answered 201 with a malformed body/,
    );
  });

  it('a 429 is retried and not ambiguous', async () => {
    const url = await stub({
      'PUT /v2/service_instances/:id': { status: 429, headers: { 'retry-after': '30' } },
    });
    const result = expectFailed(await osbAdapter(settings({ url })).start(stepCall(key(), thing)));
    expect(result.retryable).toBe(true);
    expect(result.ambiguous).toBeUndefined();
    expect(result.error).toBe('create the thing (basic): the broker answered 429 Too Many Requests');
  });

  it('410 while provisioning means "keep polling" (retry), ambiguously', async () => {
    const url = await stub({
      'PUT /v2/service_instances/:id': { status: 202, body: JSON.stringify({ operation: 'op-1' }) },
      'GET /v2/service_instances/:id/last_operation': { status: 410, body: '{}' },
    });
    const adapter = osbAdapter(settings({ url }));
    const call = stepCall(key(), thing);
    const started = expectWorking(await adapter.start(call));
    const result = expectFailed(await adapter.poll({ ...call, state: started.state }));
    expect(result).toMatchObject({ retryable: true, ambiguous: true });
  });
});

describe('ids and credentials', () => {
  it('derives OSB ids from the idempotency key, deterministically', () => {
    // RFC 9562's example: uuid v5 of "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    const id = randomUUID();
    expect(instanceIdFor(id)).toBe(id);
    expect(instanceIdFor(`orphan-${id}`)).toBe(`orphan-${id}`);
    const derived = instanceIdFor('line 7 / step 2');
    expect(derived).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(instanceIdFor('line 7 / step 2')).toBe(derived);
    expect(bindingIdFor(id)).toBe(bindingIdFor(id));
    expect(bindingIdFor(id)).not.toBe(id);
  });

  it('splits credentials into what anyone may see and what only the owner may', () => {
    const { outputs, credentials } = splitCredentials({
      host: 'db.example.com',
      port: 5432,
      username: 'app',
      password: 's3cret-pass',
      uri: 'postgresql://app:s3cret-pass@db.example.com:5432/app',
      jdbcUrl: 'jdbc:postgresql://db.example.com:5432/app?user=app&password=s3cret-pass&sslmode=require',
      accessKeyId: 'PTC123',
      secretAccessKey: 'abcdefgh',
      note: 'password is s3cret-pass',
    });
    expect(outputs).toEqual({
      host: 'db.example.com',
      port: '5432',
      username: 'app',
      uri: 'postgresql://app@db.example.com:5432/app',
      jdbcUrl: 'jdbc:postgresql://db.example.com:5432/app?user=app&sslmode=require',
    });
    expect(Object.keys(credentials).sort()).toEqual([
      'accessKeyId',
      'jdbcUrl',
      'note',
      'password',
      'secretAccessKey',
      'uri',
    ]);
    expect(credentials.uri).toContain('s3cret-pass');
  });
});

describe('catalogToDrafts', () => {
  const options = {
    adapterKey: 'private-cloud',
    ownerTeam: 'cloud-ops',
    category: (service: { tags: string[] }) => (service.tags.includes('database') ? 'databases' : 'compute'),
  };

  it('turns the broker’s catalog into valid catalogue drafts', async () => {
    const catalog = await fetchBrokerCatalog(settings());
    const { drafts, skipped } = catalogToDrafts(catalog, options);
    expect(skipped).toEqual([]);
    const parsed = drafts.map((draft) => ServiceDocument.parse(draft));
    expect(parsed.map((d) => d.slug)).toEqual(['virtual-machine', 'managed-postgresql', 'object-storage']);

    const vmDraft = parsed[0]!;
    expect(vmDraft).toMatchObject({
      kind: 'cloud',
      status: 'draft',
      category: 'compute',
      ownerTeam: 'cloud-ops',
    });
    expect(vmDraft.options!.properties).toMatchObject({
      hostname: { type: 'string', title: 'Hostname', pattern: '^[a-z][a-z0-9-]{2,30}[a-z0-9]$' },
      os: {
        type: 'string',
        enum: expect.arrayContaining(['ubuntu-24-04', 'windows-server-2025']),
        default: 'ubuntu-24-04',
      },
      extraDiskGb: { type: 'integer', minimum: 0, maximum: 4000, multipleOf: 10, default: 0 },
      backup: { type: 'boolean', default: true },
    });
    expect(vmDraft.plans.map((p) => [p.slug, p.monthlyPrice, p.currency])).toEqual([
      ['small', '38.00', 'EUR'],
      ['medium', '76.00', 'EUR'],
      ['large', '152.00', 'EUR'],
      ['xlarge', '304.00', 'EUR'],
    ]);
    expect(vmDraft.plans[0]!.features).toContain('2 vCPU');
    expect(vmDraft.plans[0]!.fulfilment.steps).toEqual([
      expect.objectContaining({
        type: 'osb',
        adapter: 'private-cloud',
        service: 'virtual-machine',
        plan: 'small',
      }),
    ]);

    const pgDraft = parsed[1]!;
    expect(pgDraft.category).toBe('databases');
    expect(pgDraft.options!.required).toEqual(['databaseName']);
    expect(pgDraft.options!.properties.version).toMatchObject({ enum: ['17', '16', '15'], default: '17' });
    expect(pgDraft.options!.properties.extensions).toMatchObject({
      type: 'array',
      items: { type: 'string', enum: ['postgis', 'pgvector', 'pg_trgm', 'timescaledb'] },
      uniqueItems: true,
    });
  });

  it('leaves out what the order form cannot express, and says so', () => {
    const catalog: OsbCatalog = {
      services: [
        {
          id: 's',
          name: 'Message Queue!',
          description: 'Queues.',
          tags: [],
          bindable: true,
          plans: [
            {
              id: 'p1',
              name: 'Standard Plan',
              description: 'A queue.',
              free: false,
              metadata: {
                costs: [
                  { amount: { usd: 10, eur: 9.5 }, unit: 'MONTHLY' },
                  { amount: { eur: 0.01 }, unit: 'per 1000 messages' },
                ],
              },
              schemas: {
                service_instance: {
                  create: {
                    parameters: {
                      $schema: 'http://json-schema.org/draft-04/schema#',
                      type: 'object',
                      properties: {
                        name: { type: ['string', 'null'], maxLength: 40 },
                        contact: { type: 'string', format: 'email' },
                        limits: { type: 'object', properties: { max: { type: 'integer' } } },
                        mode: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
                        partitions: { type: 'integer', enum: [1, 2, 4] },
                        'bad-key': { type: 'string' },
                      },
                      required: ['limits', 'name'],
                    },
                  },
                },
              },
            },
            { id: 'p2', name: 'free', description: 'No cost.', free: false },
          ],
        },
      ],
    };
    const { drafts, skipped } = catalogToDrafts(catalog, { ...options, category: 'integration' });
    const draft = ServiceDocument.parse(drafts[0]);
    expect(draft.slug).toBe('message-queue');
    expect(draft.plans.map((p) => [p.slug, p.monthlyPrice, p.currency])).toEqual([
      ['standard-plan', '9.50', 'EUR'],
      ['free', '0.00', 'EUR'],
    ]);
    expect(draft.options).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', title: 'Name', maxLength: 40 },
        contact: { type: 'string', title: 'Contact' },
      },
      required: ['name'],
    });
    expect(skipped.map((s) => `${s.plan ?? '-'} ${s.field}: ${s.reason}`)).toEqual([
      'Standard Plan contact.format: left out: the order form cannot check format "email"',
      'Standard Plan limits: type "object" cannot be an order form field',
      'Standard Plan mode: uses anyOf, which the order form cannot express',
      'Standard Plan partitions: a number with fixed choices cannot be an order form field',
      'Standard Plan bad-key: the name is not letters, digits and _ (an order form key)',
      '- limits: is required by the broker but cannot be asked for on the order form: add it as a fixed parameter',
      'Standard Plan costs: the per 1000 messages cost needs a Portico meter (a metered price); add it by hand',
      'free costs: the plan is not free but names no monthly cost; the draft says 0.00',
    ]);
  });
});
