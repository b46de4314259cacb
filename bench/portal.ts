// Starts the portal in this process the way `portico serve --no-worker` does (same composition
// root, same database code, demo data), listening on 127.0.0.1 on a free port.
import { randomBytes } from 'node:crypto';
import { buildApp, defineJobs } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { Secrets } from '../apps/server/src/platform/secrets.ts';
import { openDatabase, type Database } from '../apps/server/src/platform/db.ts';
import type { Deps } from '../apps/server/src/platform/deps.ts';
import { Jobs } from '../apps/server/src/platform/jobs.ts';
import { createMailer } from '../apps/server/src/platform/mailer.ts';
import { createLogger } from '../apps/server/src/platform/logger.ts';
import { startBroker } from '../apps/cloud-broker/src/index.ts';
import { DEMO_BROKER, seedDemoOnce } from '../apps/server/src/seed/demo.seed.ts';
import { recordServerTimes, type ServerTimes } from './server-times.ts';

export interface Portal {
  url: string;
  database: Database;
  /** The portal's own time per response, for measure(). */
  serverTimes: ServerTimes;
  /** Its secrets key, which the demo's machine tokens are derived from. */
  secrets: Secrets;
  close(): Promise<void>;
}

/** `where` is either a PGlite data directory or a PostgreSQL URL. */
export async function startPortal(where: { dataDir: string } | { databaseUrl: string }): Promise<Portal> {
  // A clean environment: nothing from the caller's shell (a DATABASE_URL, say) leaks in.
  const config = loadConfig({
    ...('dataDir' in where ? { DATA_DIR: where.dataDir } : { DATABASE_URL: where.databaseUrl }),
    NODE_ENV: 'production',
    LOG_LEVEL: 'error', // quiet, but a 500 says why
    SEED_DEMO: 'true',
  });
  const logger = createLogger(config.LOG_LEVEL, false);
  const database = await openDatabase(config);
  const jobs = new Jobs(database, logger);
  const deps: Deps = {
    config,
    database,
    jobs,
    secrets: new Secrets(randomBytes(32)),
    mailer: createMailer(config),
  };
  defineJobs(deps);
  await database.migrate();
  await jobs.install();
  // The demo's broker: not called here (no job workers), but the demo catalogue names it.
  const broker = await startBroker({ ...DEMO_BROKER, timeScale: 0.01 });
  await seedDemoOnce(database, { url: broker.url, secrets: deps.secrets });
  const app = await buildApp(deps, logger);
  const serverTimes = recordServerTimes(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    serverTimes,
    secrets: deps.secrets,
    close: async () => {
      await app.close();
      await jobs.stop();
      await broker.close();
      await database.close();
    },
  };
}

export interface Credentials {
  /** `Authorization: Bearer …` of a fresh API token. */
  bearer: string;
  /** `Cookie: …` of a fresh session. */
  cookie: string;
}

/** A demo account's session: its cookie and the CSRF token its writes must send. */
export interface Session {
  cookie: string;
  csrfToken: string;
}

/** Signs a demo account in (password portico-demo). */
export async function login(portalUrl: string, email: string): Promise<Session> {
  const res = await fetch(`${portalUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'portico-demo' }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrfToken };
}

/** Signs the demo requester in, and creates an API token with that session. */
export async function requesterCredentials(portalUrl: string): Promise<Credentials> {
  const { cookie, csrfToken } = await login(portalUrl, 'requester@example.com');
  const created = await fetch(`${portalUrl}/api/me/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (created.status !== 201) throw new Error(`token: HTTP ${created.status} ${await created.text()}`);
  const { token } = (await created.json()) as { token: string };
  return { bearer: `Bearer ${token}`, cookie };
}
