// Builds and starts the broker: a Fastify instance with the OSB routes, over a memory or file
// store. `startBroker` is what tests and the CLI use.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { CloudBroker } from './broker.service.ts';
import { errorBody, registerRoutes } from './broker.routes.ts';
import { Simulation, type FailureOptions } from './simulation.ts';
import { fileStore, memoryStore } from './state.store.ts';
import { UsageEmitter, type UsageOptions, type UsageReport } from './usage.emitter.ts';

export interface BrokerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** HTTP basic credentials the platform must send. */
  username: string;
  password: string;
  /** Multiplies every simulated duration: 1 for the demo (VMs take 20–60 s), 0.001 for tests. */
  timeScale?: number;
  failures?: FailureOptions;
  /** Keep state in `<dataDir>/cloud-broker-state.json`; unset: in memory, gone on close. */
  dataDir?: string;
  /** A pino logger; unset: silent. */
  logger?: FastifyBaseLogger;
  /** Report the instances' usage to Portico every interval (docs/usage-ingestion.md); unset: off. */
  usage?: UsageOptions & {
    /** Where reporting problems are logged; default the broker's logger. */
    logger?: FastifyBaseLogger;
  };
}

export interface RunningBroker {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234. */
  url: string;
  close(): Promise<void>;
  /** Replaces the failure behaviour while running (tests turn faults on and off). */
  setFailures(failures: FailureOptions): void;
  /** Reports usage now (what the timer does every interval); null when usage is not configured. */
  reportUsage(): Promise<UsageReport | null>;
}

export function buildBroker(
  opts: Omit<BrokerOptions, 'port' | 'host'>,
  closing: AbortSignal = new AbortController().signal,
): { app: FastifyInstance; sim: Simulation; usage: UsageEmitter | null } {
  const timeScale = opts.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale < 0)
    throw new Error(`timeScale must be a number ≥ 0, got ${timeScale}`);
  if (!opts.username || !opts.password) throw new Error('username and password must not be empty');
  const sim = new Simulation(timeScale, opts.failures ?? {});
  const store = opts.dataDir ? fileStore(opts.dataDir) : memoryStore();
  const broker = new CloudBroker(store, sim);

  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    // The platform's request id names the request in our logs too.
    requestIdHeader: 'x-broker-api-request-identity',
    forceCloseConnections: true,
  });

  // Spec ("Content Type"): a body without application/json MAY still be processed.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body).trim();
    if (!text) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(
        Object.assign(new Error(`body is not JSON: ${(error as Error).message}`), { statusCode: 400 }),
        undefined,
      );
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const known = errorBody(error);
    if (known) {
      if (known.status >= 500) request.log.warn({ err: error }, 'answering with a simulated fault');
      return reply.code(known.status).send(known.body);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own rejections: malformed JSON, empty JSON body, body too large.
      const code = status === 413 ? 413 : 400;
      return reply.code(code).send({ error: 'BadRequest', description: `body: ${(error as Error).message}` });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply
      .code(500)
      .send({ error: 'InternalError', description: 'The broker failed unexpectedly; see its log.' });
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'NotFound', description: `No OSB endpoint ${request.method} ${request.url}.` }),
  );

  registerRoutes(app, { broker, sim, username: opts.username, password: opts.password, closing });
  const usage = opts.usage
    ? new UsageEmitter(opts.usage, timeScale, () => broker.meteredInstances(), opts.usage.logger ?? app.log)
    : null;
  return { app, sim, usage };
}

export async function startBroker(opts: BrokerOptions): Promise<RunningBroker> {
  const closing = new AbortController();
  const { app, sim, usage } = buildBroker(opts, closing.signal);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  usage?.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    async close() {
      if (closing.signal.aborted) return;
      closing.abort();
      usage?.stop();
      await app.close();
    },
    setFailures: (failures) => sim.setFailures(failures),
    reportUsage: async () => (usage ? usage.report() : null),
  };
}
