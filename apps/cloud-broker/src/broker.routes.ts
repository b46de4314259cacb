// The OSB v2 HTTP surface: authentication, the version header, identity headers, fault
// injection, and one thin handler per endpoint that calls the CloudBroker and sends its answer.
// Plus two controls of the test double under /admin (same basic auth, no OSB version header):
// switch the faults of the running broker, and list what it holds, for tests that run the broker
// in another process (the browser journey) and cannot call `setFailures`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CloudBroker, Outcome } from './broker.service.ts';
import { catalogResponse } from './catalog.ts';
import { BrokerError, GoneError } from './errors.ts';
import { FaultsBody, parse } from './osb.schemas.ts';
import { parseTriggers, type Simulation } from './simulation.ts';
import type { Identity } from './state.store.ts';

/** 2.13 brought catalog schemas and the originating identity header; this broker implements 2.17. */
const MIN_MINOR = 13;

export interface RouteOptions {
  broker: CloudBroker;
  sim: Simulation;
  username: string;
  password: string;
  /** Resolves when the broker closes, so a deliberately slow answer does not hold the close up. */
  closing: AbortSignal;
}

declare module 'fastify' {
  interface FastifyRequest {
    originatingIdentity?: Identity;
  }
}

type Params = { instance_id: string; binding_id?: string };

export function registerRoutes(app: FastifyInstance, opts: RouteOptions): void {
  const { broker, sim } = opts;
  const expected = digest(`${opts.username}:${opts.password}`);

  app.decorateRequest('originatingIdentity', undefined);

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.addHook('onRequest', async (request, reply) => {
    const requestIdentity = request.headers['x-broker-api-request-identity'];
    if (typeof requestIdentity === 'string' && requestIdentity) {
      reply.header('x-broker-api-request-identity', requestIdentity);
    }
    if (request.url === '/healthz') return;
    if (!authorised(request, expected)) {
      reply.header('www-authenticate', 'Basic realm="portico-cloud-broker"');
      throw new BrokerError(
        401,
        'Unauthorized',
        'HTTP basic authentication with the broker credentials is required.',
      );
    }
    if (isControl(request)) return;
    checkVersion(request.headers['x-broker-api-version']);
    const identity = originatingIdentity(request);
    if (identity) {
      request.originatingIdentity = identity;
      request.log = request.log.child({ originatingIdentity: identity });
    }
  });

  // Before any handler: finish what is due, then maybe fail on purpose.
  app.addHook('preHandler', async (request) => {
    if (request.url === '/healthz') return;
    broker.settle();
    if (isControl(request)) return;
    const params = (request.params ?? {}) as Partial<Params>;
    const ids = [params.instance_id, params.binding_id].filter((id): id is string => !!id);
    const fault = sim.httpFault(
      ids,
      `${request.method} ${request.url} ${JSON.stringify(request.body ?? '')}`,
    );
    if (fault) throw new BrokerError(500, 'SimulatedFault', fault);
  });

  // The test double's controls: `setFailures` over HTTP, and everything it holds.
  app.put('/admin/faults', async (request) => {
    const faults = parse(FaultsBody, request.body, 'body');
    sim.setFailures(faults);
    request.log.warn({ faults }, 'faults switched by a test');
    return { faults };
  });

  app.get('/admin/instances', async () => ({ instances: broker.listInstances() }));

  app.addHook('onSend', async (_request, _reply, payload) => {
    const ms = sim.responseDelayMs();
    if (ms > 0) await pause(ms, opts.closing);
    return payload;
  });

  app.get('/v2/catalog', async () =>
    catalogResponse((service, plan) => sim.maximumPollingSeconds(service, plan)),
  );

  app.put<{ Params: Params }>('/v2/service_instances/:instance_id', async (request, reply) => {
    const { instance_id: id } = request.params;
    const outcome = broker.provision(id, request.body, request.query, {
      identity: request.originatingIdentity,
    });
    request.log.info({ instanceId: id, status: outcome.status, body: outcome.body }, 'provision');
    return afterCreate(id, outcome, reply, 'The service instance was created, but the answer was lost.');
  });

  app.get<{ Params: Params }>('/v2/service_instances/:instance_id', async (request, reply) =>
    send(reply, broker.fetchInstance(request.params.instance_id)),
  );

  app.patch<{ Params: Params }>('/v2/service_instances/:instance_id', async (request, reply) => {
    const { instance_id: id } = request.params;
    const outcome = broker.update(id, request.body, request.query);
    request.log.info({ instanceId: id, status: outcome.status, body: outcome.body }, 'update');
    return send(reply, outcome);
  });

  app.delete<{ Params: Params }>('/v2/service_instances/:instance_id', async (request, reply) => {
    const { instance_id: id } = request.params;
    const outcome = broker.deprovision(id, request.query);
    request.log.info({ instanceId: id, status: outcome.status, body: outcome.body }, 'deprovision');
    return send(reply, outcome);
  });

  app.get<{ Params: Params }>('/v2/service_instances/:instance_id/last_operation', async (request, reply) =>
    send(reply, broker.lastOperation(request.params.instance_id, request.query)),
  );

  app.put<{ Params: Required<Params> }>(
    '/v2/service_instances/:instance_id/service_bindings/:binding_id',
    async (request, reply) => {
      const { instance_id: id, binding_id: bindingId } = request.params;
      const outcome = broker.bind(id, bindingId, request.body, { identity: request.originatingIdentity });
      request.log.info({ instanceId: id, bindingId, status: outcome.status }, 'bind');
      return afterCreate(
        bindingId,
        outcome,
        reply,
        'The service binding was created, but the answer was lost.',
      );
    },
  );

  app.get<{ Params: Required<Params> }>(
    '/v2/service_instances/:instance_id/service_bindings/:binding_id',
    async (request, reply) =>
      send(reply, broker.fetchBinding(request.params.instance_id, request.params.binding_id)),
  );

  app.delete<{ Params: Required<Params> }>(
    '/v2/service_instances/:instance_id/service_bindings/:binding_id',
    async (request, reply) => {
      const { instance_id: id, binding_id: bindingId } = request.params;
      const outcome = broker.unbind(id, bindingId, request.query);
      request.log.info({ instanceId: id, bindingId, status: outcome.status }, 'unbind');
      return send(reply, outcome);
    },
  );

  /** The `slow-` and `orphan-` triggers act after the work is done, as a real timeout or lost answer would. */
  async function afterCreate(id: string, outcome: Outcome, reply: FastifyReply, lost: string) {
    const triggers = parseTriggers(id);
    if (triggers.slow) await pause(sim.slowResponseMs(), opts.closing);
    if (triggers.orphan && outcome.created) throw new BrokerError(500, 'SimulatedFault', lost);
    return send(reply, outcome);
  }
}

export function errorBody(error: unknown): { status: number; body: Record<string, unknown> } | null {
  if (error instanceof GoneError) return { status: 410, body: {} };
  if (error instanceof BrokerError) return { status: error.status, body: error.body() };
  return null;
}

function send(reply: FastifyReply, outcome: Outcome) {
  if (outcome.headers) reply.headers(outcome.headers);
  return reply.code(outcome.status).send(outcome.body);
}

function isControl(request: FastifyRequest): boolean {
  return request.url.startsWith('/admin/');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function authorised(request: FastifyRequest, expected: Buffer): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return false;
  // Compare digests: equal length for timingSafeEqual, and no early exit on the first wrong byte.
  return timingSafeEqual(digest(Buffer.from(match[1]!, 'base64').toString('utf8')), expected);
}

function checkVersion(header: string | string[] | undefined): void {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^(\d+)\.(\d+)$/.exec(value.trim()) : null;
  if (!match || Number(match[1]) !== 2 || Number(match[2]) < MIN_MINOR) {
    throw new BrokerError(
      412,
      'UnsupportedApiVersion',
      `X-Broker-API-Version must be 2.${MIN_MINOR} or a later 2.x (this broker implements 2.17); ` +
        (value ? `got "${value}".` : 'the header is missing.'),
    );
  }
}

/** `X-Broker-API-Originating-Identity: <platform> <base64 JSON>`; a malformed one is logged and ignored. */
function originatingIdentity(request: FastifyRequest): Identity | undefined {
  const header = request.headers['x-broker-api-originating-identity'];
  if (typeof header !== 'string' || !header) return undefined;
  const match = /^(\S+)\s+([A-Za-z0-9+/=_-]+)$/.exec(header.trim());
  try {
    if (!match) throw new Error('expected "<platform> <base64 JSON>"');
    const value: unknown = JSON.parse(Buffer.from(match[2]!, 'base64').toString('utf8'));
    return { platform: match[1]!, value };
  } catch (error) {
    request.log.warn(
      { header, reason: (error as Error).message },
      'ignoring a malformed X-Broker-API-Originating-Identity',
    );
    return undefined;
  }
}

function pause(ms: number, closing: AbortSignal): Promise<void> {
  if (closing.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      closing.removeEventListener('abort', done);
      resolve();
    }
    closing.addEventListener('abort', done, { once: true });
  });
}
