import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createLogger } from '../src/platform/logger.ts';
import { clientWith, signIn, testApp, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await testApp({ LOGIN_RATE_LIMIT: '20', TRUST_PROXY: 'true' });
  w = await aWorld(t.database);
});
afterAll(() => t.close());

const login = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

describe('sessions', () => {
  it('signs in with an httpOnly, SameSite=Lax cookie and tells who I am', async () => {
    const res = await login(w.requester.email.toUpperCase(), w.password);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'portico_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(res.json()).toMatchObject({
      email: w.requester.email,
      roles: ['requester'],
      manager: { name: 'Mia Manager' },
      defaultCostCentre: { code: w.org.costCentre.code },
      csrfToken: expect.any(String),
    });
  });

  it('marks the cookie Secure when the browser came over https', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: w.requester.email, password: w.password },
    });
    expect(res.cookies.find((c) => c.name === 'portico_session')).toMatchObject({ secure: true });
  });

  it('refuses a wrong password or an unknown e-mail with the same 401', async () => {
    const wrong = await login(w.requester.email, 'nope');
    const unknown = await login('nobody@test.example', 'nope');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('names the bad field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'not-an-email' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['email', 'password']);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const res = await login(w.requester.email, w.password);
    const cookie = `portico_session=${res.cookies.find((c) => c.name === 'portico_session')!.value}`;
    const noToken = clientWith(t.app, { cookie });
    const denied = await noToken.post('/api/me/tokens', { name: 'ci' });
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain('x-csrf-token');
    expect((await noToken.get('/api/me')).status).toBe(200);
  });

  it('ends the session on logout', async () => {
    const client = await signIn(t.app, w.requester.email, w.password);
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/me')).status).toBe(401);
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, work as Bearer with the same authorization, and can be revoked', async () => {
    const client = await signIn(t.app, w.requester.email, w.password);
    const created = await client.post('/api/me/tokens', { name: 'deploy pipeline' });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^ptk_/);
    const listed = await client.get('/api/me/tokens');
    expect(listed.body.items[0]).toEqual(expect.not.objectContaining({ token: expect.anything() }));

    const bearer = clientWith(t.app, { authorization: `Bearer ${token}` });
    expect((await bearer.get('/api/me')).body.email).toBe(w.requester.email);
    // No CSRF token needed for bearer writes; still only the caller's own things.
    expect((await bearer.get('/api/tasks')).status).toBe(403);

    expect((await client.delete(`/api/me/tokens/${created.body.id}`)).status).toBe(204);
    expect((await bearer.get('/api/me')).status).toBe(401);
  });

  it('rejects an unknown token outright', async () => {
    const res = await clientWith(t.app, { authorization: 'Bearer ptk_made-up' }).get('/api/me');
    expect(res.status).toBe(401);
  });
});

describe('login rate limit', () => {
  it('answers 429 once the attempts per minute are used up, counted across instances', async () => {
    // A second instance of the portal on the same database: the counters are shared.
    const other = await buildApp(t.deps, createLogger('silent', false));
    const attempt = (i: number) =>
      (i % 2 ? other : t.app).inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '192.0.2.77',
        payload: { email: w.other.email, password: 'wrong' },
      });
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await attempt(i)).statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
    expect((await attempt(0)).json()).toMatchObject({ code: 'RateLimited' });
    expect((await login(w.requester.email, w.password)).statusCode).toBe(200);
    await other.close();
  });
});
