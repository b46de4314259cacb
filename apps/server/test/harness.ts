// A real app on a private database copy, driven through app.inject (no port, no browser).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, defineJobs } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openPglite, openPostgres, type Database } from '../src/platform/db.ts';
import type { Deps } from '../src/platform/deps.ts';
import type { Http } from '../src/platform/http.ts';
import { Jobs } from '../src/platform/jobs.ts';
import { createMailer } from '../src/platform/mailer.ts';
import { Secrets } from '../src/platform/secrets.ts';
import { createLogger } from '../src/platform/logger.ts';
import { withDatabase } from './global-setup.ts';

/** A fresh database for one test file: PGlite by default, PostgreSQL with TEST_DATABASE_URL. */
export async function testDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dump = readFileSync(inject('pgliteTemplate'));
    return openPglite({ loadDataDir: new Blob([dump]) });
  }
  const copy = await postgresCopy(url);
  const database = openPostgres(copy.url);
  return {
    ...database,
    close: async () => {
      await database.close();
      await copy.drop();
    },
  };
}

/** A fresh PostgreSQL database made from the migrated template, by its URL (for another process too). */
export async function postgresCopy(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `portico_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  return {
    url: withDatabase(url, name),
    drop: async () => {
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface TestApp {
  app: Http;
  deps: Deps;
  database: Database;
  jobs: Jobs;
  close(): Promise<void>;
}

export async function testApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await testDatabase();
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', false);
  const jobs = new Jobs(database, logger);
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const deps: Deps = {
    config,
    database,
    jobs,
    secrets: new Secrets(randomBytes(32)),
    mailer: createMailer(config),
  };
  defineJobs(deps);
  await jobs.install();
  const app = await buildApp(deps, logger);
  await app.ready();
  return {
    app,
    deps,
    database,
    jobs,
    close: async () => {
      await app.close();
      await jobs.stop();
      await database.close();
    },
  };
}

export interface Client {
  get(url: string): Promise<Response>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  put(url: string, body: unknown): Promise<Response>;
  patch(url: string, body: unknown): Promise<Response>;
  delete(url: string): Promise<Response>;
}

export interface Response {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  headers: Record<string, unknown>;
}

/** Signs in through the API and returns a client that sends the cookie and CSRF token. */
export async function signIn(app: Http, email: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'portico_session')!;
  const csrf = res.json().csrfToken as string;
  return clientWith(app, { cookie: `portico_session=${cookie.value}`, 'x-csrf-token': csrf });
}

export function clientWith(app: Http, auth: Record<string, string>): Client {
  const send = async (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers = {},
  ) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...auth, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return {
      status: res.statusCode,
      body: res.body
        ? res.headers['content-type']?.toString().includes('json')
          ? res.json()
          : res.body
        : null,
      headers: res.headers,
    };
  };
  return {
    get: (url) => send('GET', url),
    post: (url, body, headers) => send('POST', url, body ?? {}, headers),
    put: (url, body) => send('PUT', url, body),
    patch: (url, body) => send('PATCH', url, body),
    delete: (url) => send('DELETE', url),
  };
}
