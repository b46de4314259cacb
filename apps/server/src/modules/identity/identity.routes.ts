import { ApiToken, CreatedApiToken, CreateTokenBody, LoginBody, Me, page, Problem } from '@portico/shared';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { TokenParams } from './identity.schemas.ts';
import * as service from './identity.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session's CSRF token, handed to the web app through /api/me. */
    csrfToken: string | null;
  }
}

export const SESSION_COOKIE = 'portico_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const tags = ['identity'];

/**
 * Resolves who is calling, from a bearer token or the session cookie. Cookie-authenticated
 * writes must carry the session's CSRF token; bearer calls cannot be forged by a browser.
 */
export function installAuthentication(app: Http, deps: Deps): void {
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const header = req.headers.authorization;
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const cookie = req.cookies[SESSION_COOKIE];
    const who = bearer
      ? await service.authenticateToken(deps.database.db, bearer)
      : cookie
        ? await service.authenticateSession(deps.database.db, cookie)
        : null;
    if (bearer && !who) throw new AppError('Unauthorized', 'The API token is unknown or revoked');
    if (!who) return;
    if (
      who.via === 'session' &&
      !SAFE_METHODS.has(req.method) &&
      req.headers['x-csrf-token'] !== who.csrfToken
    ) {
      throw new AppError('Forbidden', 'x-csrf-token header: missing or does not match the session');
    }
    req.actor = { userId: who.userId, roles: who.roles, requestId: req.id };
    req.csrfToken = who.csrfToken;
  });
}

export function identityRoutes(app: Http, deps: Deps): void {
  const { database, config } = deps;

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in',
        body: LoginBody,
        response: { 200: Me, 401: Problem, 429: Problem },
      },
      config: { rateLimit: { max: config.LOGIN_RATE_LIMIT, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { session, userId } = await database.transaction((tx) =>
        service.login(tx, { ...req.body, ttlHours: config.SESSION_TTL_HOURS, requestId: req.id }),
      );
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        // Secure whenever the browser came over https (behind a TLS-terminating proxy too).
        secure: config.COOKIE_SECURE ?? (config.NODE_ENV === 'production' || req.protocol === 'https'),
        expires: session.expiresAt,
      });
      return service.me(database.db, userId, session.csrfToken);
    },
  );

  app.post('/api/auth/logout', { schema: { tags, summary: 'Sign out' } }, async (req, reply) => {
    const actor = actorOf(req);
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) await database.transaction((tx) => service.logout(tx, actor, cookie));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get(
    '/api/me',
    { schema: { tags, summary: 'Who am I', response: { 200: Me, 401: Problem } } },
    async (req) => service.me(database.db, actorOf(req).userId!, req.csrfToken),
  );

  app.get(
    '/api/me/tokens',
    { schema: { tags, summary: 'My API tokens', response: { 200: page(ApiToken) } } },
    async (req) => ({ items: await service.listTokens(database.db, actorOf(req)), nextCursor: null }),
  );

  app.post(
    '/api/me/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token (the secret is shown once)',
        body: CreateTokenBody,
        response: { 201: CreatedApiToken },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const created = await database.transaction((tx) => service.createToken(tx, actor, req.body.name));
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api/me/tokens/:id',
    { schema: { tags, summary: 'Revoke an API token', params: TokenParams } },
    async (req, reply) => {
      const actor = actorOf(req);
      await database.transaction((tx) => service.revokeToken(tx, actor, req.params.id));
      return reply.code(204).send();
    },
  );
}
