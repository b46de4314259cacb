// The `portico` command: serve | worker | migrate | seed | catalog | billing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp, defineJobs } from './app.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { openDatabase } from './platform/db.ts';
import type { Deps } from './platform/deps.ts';
import { Jobs } from './platform/jobs.ts';
import { createMailer } from './platform/mailer.ts';
import { createLogger } from './platform/logger.ts';
import type { Logger } from 'pino';
import { loadSecrets } from './platform/secrets.ts';
import { systemActor } from './platform/actor.ts';
import { startBroker } from '@portico/cloud-broker';
import {
  configureDemoBroker,
  configureDemoUsage,
  DEMO_BROKER,
  DEMO_PASSWORD,
  demoAccounts,
  demoUsageToken,
  seedDemoOnce,
} from './seed/demo.seed.ts';
import { exportCatalog, importCatalog } from './workflows/catalog.workflow.ts';
import { Presets, SingleBar } from 'cli-progress';
import { closeMonth } from './modules/billing/index.ts';
import { AppError } from './platform/errors.ts';

const usage = `usage: portico <command>

  serve [--no-worker]   migrate, seed the demo data (SEED_DEMO=false to skip), serve the API
                        and the web app, and run the job workers unless --no-worker
  worker                run the job workers only
  migrate               apply database migrations
  seed                  migrate, then seed the demo data if it is not there yet
  catalog export        print the whole catalogue as YAML (docs/catalog-format.md)
  catalog import FILE [--dry-run]
                        upsert the catalogue in FILE by slug, all or nothing; --dry-run
                        prints what would change, as diffs, and changes nothing
  billing close YYYY-MM rate the month's fees and usage, write the statements and lock the
                        month; safe to run again (a closed month is not charged twice)`;

async function open(config: Config, supervise: boolean) {
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config);
  const jobs = new Jobs(database, logger, { supervise });
  const deps: Deps = { config, database, jobs, secrets: loadSecrets(config), mailer: createMailer(config) };
  defineJobs(deps);
  return { logger, deps };
}

const demoBroker = (deps: Deps) => ({
  url: `http://127.0.0.1:${deps.config.BROKER_PORT}`,
  secrets: deps.secrets,
});

async function prepare(deps: Deps, seed: boolean, logger: Logger) {
  await deps.database.migrate();
  await deps.jobs.install();
  if (!seed) return false;
  const seeded = await seedDemoOnce(deps.database, demoBroker(deps));
  const { tokenLive } = await deps.database.transaction(async (tx) => {
    // The broker's port may have changed since the demo was seeded.
    if (!seeded) await configureDemoBroker(tx, demoBroker(deps));
    // A demo seeded before usage reporting existed gets its account and meters now.
    return configureDemoUsage(tx, deps.secrets);
  });
  if (!tokenLive)
    logger.warn(
      'the demo usage account’s API token was revoked: the private cloud cannot report usage (a new SECRETS_KEY makes a new one)',
    );
  return seeded;
}

/** Where a process on this machine reaches the portal. */
function localUrl(config: Config): string {
  const host = ['0.0.0.0', '::', 'localhost'].includes(config.HOST)
    ? '127.0.0.1'
    : config.HOST.includes(':')
      ? `[${config.HOST}]`
      : config.HOST;
  return `http://${host}:${config.PORT}`;
}

/** The demo's private cloud: a simulated Open Service Broker on 127.0.0.1, state in the data dir. */
async function startDemoBroker(deps: Deps, logger: Logger) {
  const { config } = deps;
  try {
    return await startBroker({
      port: config.BROKER_PORT,
      host: '127.0.0.1',
      username: DEMO_BROKER.username,
      password: DEMO_BROKER.password,
      timeScale: config.BROKER_TIME_SCALE,
      dataDir: path.join(config.DATA_DIR, 'cloud-broker'),
      // It reports usage of what it provisioned to the portal, by the demo usage account's token
      // (prepare() stores its hash; until then a report is refused and sent again next interval).
      ...(config.BROKER_USAGE_INTERVAL_MS > 0 && config.PORT > 0
        ? {
            usage: {
              url: localUrl(config),
              token: demoUsageToken(deps.secrets),
              intervalMs: config.BROKER_USAGE_INTERVAL_MS,
              logger: logger.child({ component: 'cloud-broker' }),
            },
          }
        : {}),
    });
  } catch (err) {
    throw new ConfigError(
      `BROKER_PORT: the demo's cloud broker cannot listen on ${config.BROKER_PORT} (${(err as Error).message}); set another port, or DEMO_BROKER=false`,
    );
  }
}

function onShutdown(stop: () => Promise<void>) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'no-worker': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (
    values.help ||
    !command ||
    !['serve', 'worker', 'migrate', 'seed', 'catalog', 'billing'].includes(command)
  ) {
    console.log(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const config = loadConfig();
  const started = performance.now();
  // Processes that run workers also expire and retry the jobs of workers that died.
  const { logger, deps } = await open(
    config,
    command === 'worker' || (command === 'serve' && !values['no-worker']),
  );
  const { database, jobs } = deps;

  if (command === 'migrate' || command === 'seed') {
    const seeded = await prepare(deps, command === 'seed', logger);
    logger.info({ seeded }, `${command} done`);
    await jobs.stop();
    await database.close();
    return;
  }

  if (command === 'catalog') {
    await deps.database.migrate();
    process.exitCode = await catalogCommand(deps, positionals.slice(1), values['dry-run']);
    await database.close();
    return;
  }

  if (command === 'billing') {
    await deps.database.migrate();
    process.exitCode = await billingCommand(deps, positionals.slice(1));
    await database.close();
    return;
  }

  if (command === 'worker') {
    await jobs.install();
    await jobs.startWorkers();
    logger.info({ mail: deps.mailer.destination }, 'worker running');
    onShutdown(async () => {
      await jobs.stop();
      await database.close();
    });
    return;
  }

  const broker = config.SEED_DEMO && config.DEMO_BROKER ? await startDemoBroker(deps, logger) : null;
  const seeded = await prepare(deps, config.SEED_DEMO, logger);
  const app = await buildApp(deps, logger);
  await app.listen({ port: config.PORT, host: config.HOST });
  if (!values['no-worker']) {
    await jobs.startWorkers();
    logger.info({ mail: deps.mailer.destination }, 'e-mail goes to');
  }
  onShutdown(async () => {
    await app.close();
    await jobs.stop();
    await broker?.close();
    await database.close();
  });

  const port = (app.server.address() as { port: number }).port;
  const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.DATA_DIR}`;
  const logins = config.SEED_DEMO
    ? `\n  Demo accounts (password "${DEMO_PASSWORD}"${seeded ? ', just created' : ''}):\n` +
      demoAccounts.map((a) => `    ${a.email.padEnd(24)} ${a.does}`).join('\n')
    : '';
  console.log(
    `\n  Portico is ready at http://localhost:${port}  (${Math.round(performance.now() - started)} ms)\n` +
      `  Database: ${where}; job workers: ${values['no-worker'] ? 'off (--no-worker)' : 'on'}\n` +
      `  API reference: http://localhost:${port}/api/docs\n` +
      (broker ? `  Private cloud (a simulated service broker): ${broker.url}\n` : '') +
      `${logins}\n`,
  );
}

async function catalogCommand(deps: Deps, args: string[], dryRun: boolean): Promise<number> {
  const [verb, file] = args;
  if (verb === 'export') {
    process.stdout.write(await exportCatalog(deps.database.db));
    return 0;
  }
  if (verb !== 'import' || !file) {
    console.error(usage);
    return 2;
  }
  const text = readFileSync(file, 'utf8');
  const report = await deps.database.transaction((tx) =>
    importCatalog(tx, systemActor(`cli:catalog import ${file}`), text, dryRun),
  );
  for (const e of report.errors)
    console.error(`${file}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
  if (report.errors.length) {
    console.error(`${report.errors.length} problem(s); nothing was changed`);
    return 1;
  }
  for (const c of report.changes) {
    if (c.action === 'unchanged') continue;
    console.log(`${c.action === 'create' ? '+' : '~'} ${c.kind} ${c.slug}`);
    if (dryRun && c.diff) console.log(c.diff);
  }
  const count = (action: string) => report.changes.filter((c) => c.action === action).length;
  console.log(
    `${dryRun ? 'Dry run: would create' : 'Created'} ${count('create')}, ${dryRun ? 'update' : 'updated'} ${count('update')}, ` +
      `${count('unchanged')} unchanged${dryRun ? '; nothing was changed' : ''}`,
  );
  return 0;
}

async function billingCommand(deps: Deps, args: string[]): Promise<number> {
  const [verb, month] = args;
  if (verb !== 'close' || !month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    console.error(usage);
    return 2;
  }
  // A bar on a terminal (cli-progress writes nothing when the output is not one, as in CI).
  const bar = new SingleBar(
    {
      format: `Closing ${month} [{bar}] {value}/{total} cost centres · {duration_formatted}`,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  try {
    const result = await closeMonth(deps.database, month, new Date(), (done, total) => {
      if (!bar.isActive) bar.start(total, done);
      else bar.update(done);
    });
    bar.stop();
    console.log(
      result.linesWritten
        ? `Closed ${month}: ${result.linesWritten} statement line(s) written`
        : `${month} is closed; nothing was left to write`,
    );
    return 0;
  } catch (err) {
    bar.stop();
    if (!(err instanceof AppError)) throw err;
    console.error(`portico billing close ${month}: ${err.message}`);
    return 1;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`portico: configuration error: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
