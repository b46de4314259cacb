// The HTTP shell: Fastify with zod validation, problem+json errors, security headers,
// request ids, the OpenAPI document and the web app's static files. No business rules.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Actor } from './actor.ts';
import type { Database } from './db.ts';
import { pgRateLimitStore } from './rate-limit-store.ts';
import { AppError, unauthorized, type ErrorCode, type FieldError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export type Http = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  ZodTypeProvider
>;

/** The signed-in actor of a request, or 401. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}

const PROBLEM = 'application/problem+json; charset=utf-8';

const titles: Record<ErrorCode, string> = {
  Invalid: 'Invalid request',
  Unauthorized: 'Sign-in required',
  Forbidden: 'Not allowed',
  NotFound: 'Not found',
  Conflict: 'Conflict',
  TooLarge: 'Content too large',
  RateLimited: 'Too many requests',
  Internal: 'Internal error',
  BadGateway: 'Bad gateway',
};

function problem(status: number, code: string, title: string, detail: string, extra = {}) {
  return { type: `https://portico.dev/problems/${code}`, title, status, code, detail, ...extra };
}

function validationProblem(err: FastifyError & { validationContext?: string }) {
  const context = err.validationContext === 'querystring' ? 'query' : err.validationContext;
  const where = context === 'body' ? '' : `${context}.`;
  const errors: FieldError[] = (err.validation ?? []).map((v) => ({
    path: where + v.instancePath.slice(1).replaceAll('/', '.') || (context ?? ''),
    message: v.message ?? 'is invalid',
  }));
  const detail = errors.map((e) => `${e.path || 'body'}: ${e.message}`).join('; ');
  return problem(400, 'Invalid', 'Invalid request', detail, { errors });
}

export interface HttpOptions {
  logger: Logger;
  /** Rate-limit counters live in the database, shared by all instances. */
  database: Database;
  webDist?: string;
  /** Send Strict-Transport-Security (production, served over https). */
  hsts: boolean;
  trustProxy: boolean;
}

export async function createHttp(opts: HttpOptions): Promise<Http> {
  const app = Fastify({
    loggerInstance: opts.logger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    trustProxy: opts.trustProxy,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>() as unknown as Http;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      const extra = err.errors ? { errors: err.errors } : {};
      return reply
        .code(err.status)
        .type(PROBLEM)
        .send(problem(err.status, err.code, titles[err.code], err.message, extra));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(400).type(PROBLEM).send(validationProblem(err));
    }
    if (err.statusCode === 429) {
      return reply
        .code(429)
        .type(PROBLEM)
        .send(problem(429, 'RateLimited', 'Too many requests', err.message));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply
        .code(err.statusCode)
        .type(PROBLEM)
        .send(problem(err.statusCode, 'Invalid', 'Bad request', err.message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .code(500)
      .type(PROBLEM)
      .send(problem(500, 'Internal', 'Internal error', `Something went wrong; quote request id ${req.id}`));
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
      },
    },
    hsts: opts.hsts,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false, store: pgRateLimitStore(opts.database) });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Portico API',
        version: '1.0.0',
        description:
          'The internal IT service storefront. Browsers authenticate with the session cookie and send `x-csrf-token` on writes; automation sends `Authorization: Bearer <token>`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'portico_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  const webDist = opts.webDist;
  const hasWeb = webDist !== undefined && existsSync(`${webDist}/index.html`);
  if (hasWeb) {
    // Files are looked up per request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root: webDist, index: 'index.html' });
  }
  app.setNotFoundHandler((req, reply) => {
    const wantsPage =
      req.method === 'GET' && !req.url.startsWith('/api/') && req.headers.accept?.includes('text/html');
    if (hasWeb && wantsPage) return reply.type('text/html').sendFile('index.html');
    return reply
      .code(404)
      .type(PROBLEM)
      .send(problem(404, 'NotFound', 'Not found', `No route for ${req.method} ${req.url.split('?')[0]}`));
  });
  return app;
}

/** A retry-safe write: the same key answers with what the first request did. */
export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string({ error: 'is required: send a unique key per checkout, and the same key when retrying it' })
    .regex(/^[\w-]{8,100}$/, 'must be 8 to 100 letters, digits, - or _'),
});
