// A small OSB platform for the tests: real HTTP with fetch, basic auth and the version header,
// plus helpers to name services and plans and to poll an operation to its end.
import { afterEach } from 'vitest';
import { SERVICES, startBroker, type BrokerOptions, type RunningBroker } from '../src/index.ts';

export const USER = 'platform';
export const PASSWORD = 'correct horse battery staple';

/** Fast enough that a database (60–240 demo seconds) is ready in well under a second. */
export const TEST_TIME_SCALE = 0.001;
/**
 * For tests that must see an operation still running: a small VM takes 0.4–0.7 s, a bucket
 * 40–120 ms, leaving room for a busy machine between two requests.
 */
export const WATCH_TIME_SCALE = 0.02;

const running: RunningBroker[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((b) => b.close()));
});

/** Starts a broker that is closed after the test. */
export async function start(
  opts: Partial<BrokerOptions> = {},
): Promise<{ broker: RunningBroker; osb: OsbClient }> {
  const broker = await startBroker({
    username: USER,
    password: PASSWORD,
    timeScale: TEST_TIME_SCALE,
    ...opts,
  });
  running.push(broker);
  return { broker, osb: new OsbClient(broker.url) };
}

export function ids(serviceName: string, planName: string): { service_id: string; plan_id: string } {
  const service = SERVICES.find((s) => s.name === serviceName);
  const plan = service?.plans.find((p) => p.name === planName);
  if (!service || !plan) throw new Error(`no plan ${serviceName}/${planName}`);
  return { service_id: service.id, plan_id: plan.id };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Send no Authorization / X-Broker-API-Version header. */
  noAuth?: boolean;
  noVersion?: boolean;
  signal?: AbortSignal;
}

let counter = 0;
/** A fresh id with optional trigger prefixes, e.g. uid('fail-provision-'). */
export function uid(prefix = ''): string {
  counter += 1;
  return `${prefix}t${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export class OsbClient {
  constructor(readonly url: string) {}

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Answer> {
    const url = new URL(path, this.url);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...opts.headers };
    if (!opts.noAuth)
      headers.authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    if (!opts.noVersion) headers['x-broker-api-version'] = '2.17';
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      ...(opts.body !== undefined
        ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
        : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      headers: response.headers,
    };
  }

  catalog() {
    return this.request('GET', '/v2/catalog');
  }

  provision(id: string, body: Record<string, unknown>, acceptsIncomplete = true, opts: RequestOptions = {}) {
    return this.request('PUT', `/v2/service_instances/${id}`, {
      ...opts,
      body,
      query: acceptsIncomplete ? { accepts_incomplete: 'true' } : {},
    });
  }

  update(id: string, body: Record<string, unknown>, acceptsIncomplete = true) {
    return this.request('PATCH', `/v2/service_instances/${id}`, {
      body,
      query: acceptsIncomplete ? { accepts_incomplete: 'true' } : {},
    });
  }

  deprovision(id: string, plan: { service_id: string; plan_id: string }, acceptsIncomplete = true) {
    return this.request('DELETE', `/v2/service_instances/${id}`, {
      query: { ...plan, ...(acceptsIncomplete ? { accepts_incomplete: 'true' } : {}) },
    });
  }

  fetch(id: string) {
    return this.request('GET', `/v2/service_instances/${id}`);
  }

  lastOperation(id: string, operation?: string) {
    return this.request('GET', `/v2/service_instances/${id}/last_operation`, {
      query: operation ? { operation } : {},
    });
  }

  bind(id: string, bindingId: string, body: Record<string, unknown>) {
    return this.request('PUT', `/v2/service_instances/${id}/service_bindings/${bindingId}`, { body });
  }

  fetchBinding(id: string, bindingId: string) {
    return this.request('GET', `/v2/service_instances/${id}/service_bindings/${bindingId}`);
  }

  unbind(id: string, bindingId: string, plan: { service_id: string; plan_id: string }) {
    return this.request('DELETE', `/v2/service_instances/${id}/service_bindings/${bindingId}`, {
      query: plan,
    });
  }

  /** Polls last_operation until it is no longer in progress (or 410), as a platform would. */
  async poll(id: string, operation?: string, timeoutMs = 5_000): Promise<Answer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.lastOperation(id, operation);
      if (answer.status !== 200 || answer.body.state !== 'in progress') return answer;
      if (Date.now() > deadline)
        throw new Error(`operation ${operation} on ${id} still in progress after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Provisions and waits for `succeeded`. */
  async provisioned(id: string, body: Record<string, unknown>): Promise<void> {
    const put = await this.provision(id, body);
    if (put.status !== 202) throw new Error(`provision ${id}: ${put.status} ${JSON.stringify(put.body)}`);
    const done = await this.poll(id, String(put.body.operation));
    if (done.body.state !== 'succeeded') throw new Error(`provision ${id}: ${JSON.stringify(done.body)}`);
  }
}

export const postgres = (parameters: Record<string, unknown> = {}, plan = 'dev') => ({
  ...ids('managed-postgresql', plan),
  parameters: { databaseName: 'orders', ...parameters },
});

export const vm = (parameters: Record<string, unknown> = {}, plan = 'small') => ({
  ...ids('virtual-machine', plan),
  parameters,
});

export const bucket = (parameters: Record<string, unknown> = {}, plan = '1tb') => ({
  ...ids('object-storage', plan),
  parameters: { bucketName: uid('b-'), ...parameters },
});
