// A resize: the OSB adapter moves an instance made by an earlier step to another plan (PATCH),
// against the simulated cloud broker over real HTTP, as in osb.adapter.test.ts. The broker's
// `fail-update-` prefix makes every update fail; a small stub server gives the answers the
// simulated broker never gives (a synchronous 200, a catalog that forbids plan changes).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBroker, type RunningBroker } from '@portico/cloud-broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineFacts, StepCall } from './adapter.ts';
import { drive, expectDone, expectFailed, expectWorking } from './adapter.test-support.ts';
import { fetchBrokerCatalog, osbAdapter, updateParametersFor, type OsbSettings } from './osb.adapter.ts';
import type { OsbCatalog } from './osb.client.ts';

const USER = 'portico';
const PASSWORD = 'broker-password-for-tests';

let broker: RunningBroker;
/** Slow enough to catch an update running: a VM update takes 0.3–0.8 s here. */
let watched: RunningBroker;
let catalog: OsbCatalog;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  broker = await startBroker({ username: USER, password: PASSWORD, timeScale: 0.001 });
  watched = await startBroker({ username: USER, password: PASSWORD, timeScale: 0.02 });
  catalog = await fetchBrokerCatalog(settings());
});

afterAll(async () => {
  await Promise.all([broker.close(), watched.close(), ...closers.map((close) => close())]);
});

function settings(overrides: Partial<OsbSettings> = {}): OsbSettings {
  return {
    url: broker.url,
    username: USER,
    password: PASSWORD,
    timeoutMs: 3_000,
    pollIntervalMs: 5,
    ...overrides,
  };
}

function line(options: Record<string, unknown> = {}): LineFacts {
  return {
    lineId: randomUUID(),
    orderId: randomUUID(),
    orderNumber: 'ORD-2026-00077',
    service: { slug: 'virtual-machine', name: 'Virtual Machine', version: 2 },
    plan: { slug: 'medium', name: 'Medium' },
    options,
    quantity: 1,
    requester: { id: randomUUID(), email: 'requester@example.com', name: 'Rita Requester' },
    costCentre: 'CC-1000',
  };
}

/** Asks the broker directly, as an operator would. */
async function ask(
  path: string,
  on: RunningBroker,
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

function planId(service: string, plan: string): string {
  return catalog.services.find((s) => s.name === service)!.plans.find((p) => p.name === plan)!.id;
}

interface Made {
  /** The provision step's call and its final state: what `replaces` carries for a resize. */
  call: StepCall;
  state: Record<string, unknown>;
  outputs: Record<string, string>;
}

/** The earlier step: provisions (and binds) the instance the resize then changes. */
async function provisioned(
  on: RunningBroker,
  config: Record<string, unknown>,
  options: Record<string, unknown> = {},
  key: string = randomUUID(),
): Promise<Made> {
  const call: StepCall = { idempotencyKey: key, line: line(options), config, outputs: {}, state: {} };
  const done = expectDone((await drive(osbAdapter(settings({ url: on.url })), call)).result);
  return { call, state: done.state!, outputs: done.outputs! };
}

/** The resize step: its own key, the new plan's config, and the earlier step's state to change. */
function resize(
  made: Made,
  config: Record<string, unknown>,
  options: Record<string, unknown> = {},
): StepCall {
  return {
    idempotencyKey: randomUUID(),
    line: line(options),
    config,
    outputs: {},
    state: {},
    replaces: { state: made.state, outputs: made.outputs },
  };
}

const vm = (plan: string) => ({ service: 'virtual-machine', plan });
const postgres = (plan: string) => ({ service: 'managed-postgresql', plan });

describe('changing the plan of an instance', () => {
  it('PATCHes to the new plan, polls the update, and returns the instance’s state on the new plan with its new sizes', async () => {
    const hostname = `app-${randomUUID().slice(0, 8)}`;
    const made = await provisioned(
      watched,
      { ...vm('small'), parameters: { region: 'dc2' } },
      { hostname, extraDiskGb: 50 },
    );
    expect(made.outputs).toMatchObject({ vcpu: '2', memoryGb: '4' });
    const adapter = osbAdapter(settings({ url: watched.url }));
    // The same fixed region, and options that cannot change (hostname, os): left out of the PATCH,
    // which the broker would refuse with 400 otherwise; the larger disk is sent.
    const call = resize(
      made,
      { ...vm('medium'), parameters: { region: 'dc2' } },
      { hostname, os: 'debian-12', extraDiskGb: 100 },
    );

    const first = expectWorking(await adapter.start(call));
    expect(first.state).toMatchObject({
      phase: 'updating',
      instanceId: made.call.idempotencyKey,
      planId: planId('virtual-machine', 'small'),
      operation: expect.stringMatching(/^update-/),
      updatingTo: { planId: planId('virtual-machine', 'medium'), planName: 'medium', fromPlanName: 'small' },
    });
    const { result, progress } = await drive(adapter, { ...call, state: first.state });
    const done = expectDone(result);
    expect(progress.some((p) => /^Updating virtual machine: /.test(p))).toBe(true);

    expect(done.state).toEqual({
      ...made.state,
      planId: planId('virtual-machine', 'medium'),
      maxPollingSeconds: expect.any(Number),
      attributes: expect.objectContaining({ vcpu: '4', memoryGb: '16' }),
    });
    expect(done.state).not.toHaveProperty('updatingTo');
    expect(done.outputs).toMatchObject({
      osbInstanceId: made.call.idempotencyKey,
      vcpu: '4',
      memoryGb: '16',
    });
    // The credentials made by the earlier step stay as they were.
    expect(done.credentials).toBeUndefined();
    expect(done.note).toBe('Changed from the small plan to medium');

    const instance = await ask(`/v2/service_instances/${made.call.idempotencyKey}`, watched);
    expect(instance.body).toMatchObject({
      plan_id: planId('virtual-machine', 'medium'),
      parameters: { hostname, os: 'ubuntu-24-04', extraDiskGb: 100, region: 'dc2' },
    });

    // The engine writes the state back onto the earlier step: a decommission then deletes the
    // instance under its new plan.
    const undone = await drive(adapter, { ...made.call, state: done.state! }, 'undo');
    expect(expectDone(undone.result).state).toMatchObject({ phase: 'gone' });
    expect(
      (await ask(`/v2/service_instances/${made.call.idempotencyKey}/last_operation`, watched)).status,
    ).toBe(410);
  });

  it('a PATCH re-sent after a crash gets the same operation, and once applied a 200: one update', async () => {
    const made = await provisioned(watched, vm('small'));
    const fresh = () => osbAdapter(settings({ url: watched.url }));
    const call = resize(made, vm('large'));

    const before = expectWorking(await fresh().start(call));
    // The worker died before recording the answer: a new process, a new adapter, no state.
    const again = expectWorking(await fresh().start(call));
    expect(again.state.operation).toBe(before.state.operation);

    const done = expectDone((await drive(fresh(), { ...call, state: again.state })).result);
    expect(done.state).toMatchObject({ phase: 'ready', planId: planId('virtual-machine', 'large') });

    // Died again, after the broker finished but before the engine recorded it: the re-sent PATCH
    // answers 200 at once (a second update would have been a 202 and a `working`).
    const replay = expectDone(await fresh().start(call));
    expect(replay.state).toEqual(done.state);

    const undone = await drive(fresh(), { ...made.call, state: replay.state! }, 'undo');
    expectDone(undone.result);
    expect(
      (await ask(`/v2/service_instances/${made.call.idempotencyKey}/last_operation`, watched)).status,
    ).toBe(410);
  });

  it('on the same plan already: done at once, without calling the broker', async () => {
    // An instance the broker never heard of: any PATCH would have been answered 404.
    const made = await provisioned(broker, vm('small'));
    const state = { ...made.state, instanceId: randomUUID() };
    const result = expectDone(await osbAdapter(settings()).start(resize({ ...made, state }, vm('small'))));
    expect(result.state).toEqual(state);
    expect(result.note).toBe('Already on the small plan: nothing to change');
  });

  it('fail-update-: the broker’s `failed` is final and not ambiguous; the instance stays on its old plan', async () => {
    const made = await provisioned(broker, vm('small'), {}, `fail-update-${randomUUID()}`);
    const adapter = osbAdapter(settings());
    const { result } = await drive(adapter, resize(made, vm('medium')));
    const failed = expectFailed(result);
    expect(failed.retryable).toBe(false);
    expect(failed.ambiguous).toBeUndefined();
    expect(failed.error).toMatch(
      /^the broker could not change the plan from small to medium: Live resize failed/,
    );

    const instance = await ask(`/v2/service_instances/${made.call.idempotencyKey}`, broker);
    expect(instance.status).toBe(200);
    expect(instance.body.plan_id).toBe(planId('virtual-machine', 'small'));
    // And the earlier step's state still works for a decommission.
    expectDone((await drive(adapter, { ...made.call, state: made.state }, 'undo')).result);
  });

  it('a change the broker refuses (a database cannot shrink) is final, in the broker’s words', async () => {
    const made = await provisioned(broker, postgres('standard'), { databaseName: 'ledger' });
    const result = expectFailed(await osbAdapter(settings()).start(resize(made, postgres('dev'))));
    expect(result.retryable).toBe(false);
    expect(result.ambiguous).toBeUndefined();
    expect(result.error).toMatch(
      /^change the managed-postgresql from standard to dev: the broker answered 422 ChangeNotSupported: A database cannot move to a smaller plan/,
    );
  });

  it('422 ConcurrencyError (another operation runs): retried after a pause, not ambiguous', async () => {
    const made = await provisioned(watched, vm('small'));
    const adapter = osbAdapter(settings({ url: watched.url, pollIntervalMs: 2_000 }));
    const running = expectWorking(await adapter.start(resize(made, vm('medium'))));
    // Someone else's change of the same instance, while this one runs.
    const result = expectFailed(await adapter.start(resize(made, vm('large'))));
    expect(result).toMatchObject({ retryable: true, retryAfterMs: 2_000 });
    expect(result.ambiguous).toBeUndefined();
    expect(result.error).toContain('422 ConcurrencyError');
    expectDone((await drive(adapter, { ...resize(made, vm('medium')), state: running.state })).result);
  });

  it('5xx: retried without orphan mitigation; the retry goes through', async () => {
    const own = await startBroker({ username: USER, password: PASSWORD, timeScale: 0.001 });
    closers.push(() => own.close());
    const made = await provisioned(own, vm('small'));
    const adapter = osbAdapter(settings({ url: own.url }));
    const call = resize(made, vm('medium'));
    expectDone(await adapter.start(resize(made, vm('small')))); // reads the catalog while it answers
    own.setFailures({ http500Rate: 1 });
    const failed = expectFailed(await adapter.start(call));
    expect(failed.retryable).toBe(true);
    expect(failed.ambiguous).toBeUndefined();
    expect(failed.error).toMatch(/^change the virtual-machine from small to medium: .*500 SimulatedFault/);
    own.setFailures({});
    const done = expectDone((await drive(adapter, { ...call, state: failed.state! })).result);
    expect(done.state).toMatchObject({ planId: planId('virtual-machine', 'medium') });
  });

  it('refuses to move an instance to a plan of another service', async () => {
    const made = await provisioned(broker, vm('small'));
    const result = expectFailed(await osbAdapter(settings()).start(resize(made, postgres('dev'))));
    expect(result.retryable).toBe(false);
    expect(result.error).toMatch(/an update cannot move an instance to another service/);
  });

  it('does not undo a change of plan (the engine never asks; deleting the instance would be wrong)', async () => {
    const made = await provisioned(broker, vm('small'));
    const result = expectFailed(await osbAdapter(settings()).undo(resize(made, vm('medium'))));
    expect(result.retryable).toBe(false);
    expect((await ask(`/v2/service_instances/${made.call.idempotencyKey}`, broker)).status).toBe(200);
  });
});

describe('answers the simulated broker never gives (a stub server)', () => {
  type Reply = { status: number; body?: unknown };
  interface Stub {
    url: string;
    /** Every request but the catalog's: method, path, body. */
    requests: { method: string; path: string; body: unknown }[];
    catalogReads: () => number;
  }

  const basePlans = [
    { id: 'p-small', name: 'small', description: 'Small.' },
    { id: 'p-large', name: 'large', description: 'Large.' },
  ];

  async function stub(service: Record<string, unknown>, replies: Record<string, Reply> = {}): Promise<Stub> {
    const requests: Stub['requests'] = [];
    let catalogReads = 0;
    const served = {
      services: [
        {
          id: 'svc-1',
          name: 'thing',
          description: 'A thing.',
          bindable: false,
          plans: basePlans,
          ...service,
        },
      ],
    };
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const path = new URL(request.url!, 'http://x').pathname;
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        if (path === '/v2/catalog') catalogReads += 1;
        else requests.push({ method: request.method!, path, body: text ? JSON.parse(text) : undefined });
        const reply =
          path === '/v2/catalog'
            ? { status: 200, body: served }
            : (replies[`${request.method} ${path}`] ?? { status: 599 });
        response.writeHead(reply.status, { 'content-type': 'application/json' });
        response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      requests,
      catalogReads: () => catalogReads,
    };
  }

  /** An instance on the stub's small plan, as the provision step left it. */
  const onSmall = (instanceId = randomUUID()): Made => ({
    call: {
      idempotencyKey: instanceId,
      line: line(),
      config: { service: 'thing', plan: 'small' },
      outputs: {},
      state: {},
    },
    state: {
      phase: 'ready',
      instanceId,
      bindingId: null,
      serviceId: 'svc-1',
      planId: 'p-small',
      operation: null,
      pollingSince: null,
      maxPollingSeconds: null,
      mayExist: true,
      dashboardUrl: 'https://dash.example.com/old',
      attributes: { size: 'small' },
    },
    outputs: { osbInstanceId: instanceId, size: 'small' },
  });
  const toLarge = { service: 'thing', plan: 'large' };

  it('200: done at once, with previous_values, no parameters without an update schema, and the sizes the broker reports', async () => {
    const made = onSmall();
    const path = `/v2/service_instances/${made.call.idempotencyKey}`;
    const { url, requests } = await stub(
      { plan_updateable: true, instances_retrievable: true },
      {
        [`PATCH ${path}`]: { status: 200, body: {} },
        [`GET ${path}`]: {
          status: 200,
          body: { plan_id: 'p-large', metadata: { attributes: { size: 'large' } } },
        },
      },
    );
    const done = expectDone(
      await osbAdapter(settings({ url })).start(resize(made, toLarge, { colour: 'blue' })),
    );
    expect(done.state).toEqual({ ...made.state, planId: 'p-large', attributes: { size: 'large' } });
    expect(done.outputs).toMatchObject({ size: 'large', dashboardUrl: 'https://dash.example.com/old' });
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH ${path}`, `GET ${path}`]);
    expect(requests[0]!.body).toEqual({
      service_id: 'svc-1',
      plan_id: 'p-large',
      context: expect.objectContaining({ platform: 'portico' }),
      previous_values: { service_id: 'svc-1', plan_id: 'p-small' },
    });
  });

  it('a broker that cannot describe the instance afterwards: still done, the old sizes kept, and a note says so', async () => {
    const made = onSmall();
    const path = `/v2/service_instances/${made.call.idempotencyKey}`;
    const { url } = await stub(
      { plan_updateable: true, instances_retrievable: true },
      { [`PATCH ${path}`]: { status: 200, body: { dashboard_url: 'https://dash.example.com/new' } } },
    );
    const done = expectDone(await osbAdapter(settings({ url })).start(resize(made, toLarge)));
    expect(done.state).toMatchObject({ planId: 'p-large', attributes: { size: 'small' } });
    expect(done.outputs!.dashboardUrl).toBe('https://dash.example.com/new');
    expect(done.note).toMatch(
      /^Changed from the small plan to large; the sizes shown are from before the change .*599/,
    );
  });

  it('plan_updateable: the plan the instance is on overrides its service, and undeclared means no; nothing is sent', async () => {
    const made = onSmall();
    const cases: { service: Record<string, unknown>; allowed: boolean }[] = [
      { service: {}, allowed: false },
      { service: { plan_updateable: false }, allowed: false },
      {
        service: {
          plan_updateable: true,
          plans: [{ ...basePlans[0], plan_updateable: false }, basePlans[1]],
        },
        allowed: false,
      },
      // Only where the instance is counts: the target plan may forbid moving on from it.
      {
        service: {
          plan_updateable: false,
          plans: [
            { ...basePlans[0], plan_updateable: true },
            { ...basePlans[1], plan_updateable: false },
          ],
        },
        allowed: true,
      },
    ];
    for (const { service, allowed } of cases) {
      const { url, requests } = await stub(service, {
        [`PATCH /v2/service_instances/${made.call.idempotencyKey}`]: { status: 200, body: {} },
      });
      const result = await osbAdapter(settings({ url })).start(resize(made, toLarge));
      if (allowed) {
        expectDone(result);
        expect(requests).toHaveLength(1);
        continue;
      }
      const failed = expectFailed(result);
      expect(failed).toMatchObject({ retryable: false });
      expect(failed.ambiguous).toBeUndefined();
      expect(failed.error).toBe(
        'the broker does not let a thing on the small plan change plan (plan_updateable is not true), so it cannot become large; order a new one and move over',
      );
      expect(requests).toEqual([]);
    }
  });

  it('422 MaintenanceInfoConflict: retried, with the catalog read again first', async () => {
    const made = onSmall();
    const stubbed = await stub(
      { plan_updateable: true },
      {
        [`PATCH /v2/service_instances/${made.call.idempotencyKey}`]: {
          status: 422,
          body: { error: 'MaintenanceInfoConflict', description: 'The maintenance information has changed.' },
        },
      },
    );
    const adapter = osbAdapter(settings({ url: stubbed.url }));
    const first = expectFailed(await adapter.start(resize(made, toLarge)));
    expect(first).toMatchObject({ retryable: true });
    expect(first.ambiguous).toBeUndefined();
    expect(first.error).toContain('422 MaintenanceInfoConflict: The maintenance information has changed.');
    expect(stubbed.catalogReads()).toBe(1);
    expectFailed(await adapter.start({ ...resize(made, toLarge), state: first.state! }));
    expect(stubbed.catalogReads()).toBe(2);
  });
});

describe('updateParametersFor', () => {
  it('sends only what the update schema declares, fixed parameters included; nothing without a schema', () => {
    const schema = { type: 'object', properties: { extraDiskGb: {}, backup: {} } };
    expect(
      updateParametersFor(
        schema,
        { extraDiskGb: 100, hostname: 'app-1', backup: '' },
        { backup: false, region: 'dc2' },
      ),
    ).toEqual({ extraDiskGb: 100, backup: false });
    expect(updateParametersFor(null, { extraDiskGb: 100 }, { backup: false })).toEqual({});
  });
});
