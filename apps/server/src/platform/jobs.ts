// Background work on pg-boss, over whichever database the process uses. Jobs are enqueued
// on the caller's transaction, so a job exists exactly when the write that caused it commits;
// a handler runs in its own transaction and completes its job inside it, so its effects and
// the job's completion commit together.
import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { positional, rowsOf, type Database, type Executor, type Tx } from './db.ts';

export type JobHandler<T> = (tx: Tx, data: T) => Promise<void>;

/**
 * A handler that works outside a transaction (it calls other systems, which must not hold a
 * database connection or, on PGlite, the only one) and ends with `finish`: the work given to it
 * commits together with the job's completion. Until then a crash leaves the job to run again.
 */
export type StagedJobHandler<T> = (
  data: T,
  finish: (work: (tx: Tx) => Promise<void>) => Promise<void>,
) => Promise<void>;

interface QueueOptions {
  retryLimit?: number;
  /** A job still active after this long counts as failed (its worker died) and is retried. */
  expireInSeconds?: number;
}

type Definition = Required<QueueOptions> &
  ({ staged: false; handler: JobHandler<never> } | { staged: true; handler: StagedJobHandler<never> });

const queueDefaults: Required<QueueOptions> = { retryLimit: 5, expireInSeconds: 15 * 60 };

const onExecutor = (ex: Executor): PgBoss.Db => ({
  executeSql: async (text, values) => ({ rows: rowsOf(await ex.execute(positional(text, values))) }),
});

function bossDb(database: Database): PgBoss.Db {
  const lite = database.pglite;
  if (!lite) return onExecutor(database.db);
  return {
    // pg-boss sends its schema as one multi-statement script without parameters.
    executeSql: async (text, values) => {
      if (values?.length) return lite.query(text, values);
      const results = await lite.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}

export class Jobs {
  private readonly boss: PgBoss;
  private readonly definitions = new Map<string, Definition>();
  private readonly schedules = new Map<string, string>();

  /**
   * `supervise`: this process also runs the queue's maintenance (one process at a time does, by
   * a lock in the database): jobs whose worker died (crash, restart) expire and are retried.
   * Processes that run workers supervise; tests and one-shot commands do not.
   */
  constructor(
    private readonly database: Database,
    private readonly log: Logger,
    options: { supervise?: boolean; maintenanceIntervalSeconds?: number } = {},
  ) {
    this.boss = new PgBoss({
      db: bossDb(database),
      supervise: options.supervise ?? false,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
      // Cron schedules are kept by the supervising process too (pg-boss makes one job per tick,
      // whichever processes keep them).
      schedule: options.supervise ?? false,
    });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  define<T>(name: string, handler: JobHandler<T>, options: QueueOptions = {}): void {
    this.definitions.set(name, {
      ...queueDefaults,
      ...options,
      staged: false,
      handler: handler as JobHandler<never>,
    });
  }

  defineStaged<T>(name: string, handler: StagedJobHandler<T>, options: QueueOptions = {}): void {
    this.definitions.set(name, {
      ...queueDefaults,
      ...options,
      staged: true,
      handler: handler as StagedJobHandler<never>,
    });
  }

  /** Runs a defined job on a cron schedule, in UTC ("0 2 1 * *": 02:00 on the 1st of every month). */
  every(name: string, cron: string): void {
    if (!this.definitions.has(name)) throw new Error(`unknown job ${name}`);
    this.schedules.set(name, cron);
  }

  /** Installs or upgrades pg-boss's schema, the queues and the schedules; safe from every process. */
  async install(): Promise<void> {
    await this.boss.start();
    for (const [name, def] of this.definitions) {
      await this.boss.createQueue(name, {
        name,
        retryLimit: def.retryLimit,
        retryDelay: 5,
        retryBackoff: true,
        expireInSeconds: def.expireInSeconds,
      });
    }
    for (const [name, cron] of this.schedules) await this.boss.schedule(name, cron, {}, { tz: 'UTC' });
  }

  /** Enqueues on the caller's transaction; `startAfter` holds the job back until then. */
  async enqueue(
    tx: Executor,
    name: string,
    data: object,
    options: { startAfter?: Date } = {},
  ): Promise<void> {
    if (!this.definitions.has(name)) throw new Error(`unknown job ${name}`);
    await this.boss.send(name, data, { db: onExecutor(tx), ...options });
  }

  /** Starts polling every queue; used by `serve` (unless --no-worker) and `worker`. */
  async startWorkers(pollingIntervalSeconds = 1): Promise<void> {
    await this.retryJobsOfDeadProcess();
    for (const name of this.definitions.keys()) {
      await this.boss.work<object>(name, { pollingIntervalSeconds }, async ([job]) => {
        if (job) await this.run(name, job);
      });
    }
  }

  /**
   * An embedded database is open in one process only, so a job still active when workers start
   * was taken by a process that died with it (killed, out of memory, power cut). It fails now and
   * is retried as its queue says (counted, with backoff), instead of after its expiry: a step
   * job's is minutes. On PostgreSQL other processes may still be working on theirs, so jobs
   * there wait for their expiry.
   */
  private async retryJobsOfDeadProcess(): Promise<void> {
    if (this.database.kind !== 'pglite') return;
    const active = rowsOf<{ name: string; id: string }>(
      await this.database.db.execute(sql`select name, id from pgboss.job where state = 'active'`),
    );
    for (const { name, id } of active) {
      this.log.warn({ job: name, id }, 'retrying a job left active by a process that died');
      await this.boss.fail(name, id, { message: 'its process died before it finished' });
    }
  }

  /** Runs every job that is due, until none is left; for tests and one-shot commands. */
  async drain(): Promise<number> {
    let ran = 0;
    for (let found = true; found;) {
      found = false;
      for (const name of this.definitions.keys()) {
        for (const job of await this.boss.fetch<object>(name, { batchSize: 10 })) {
          found = true;
          ran++;
          try {
            await this.run(name, job);
          } catch (err) {
            await this.boss.fail(name, job.id, { message: String(err) });
            throw err;
          }
        }
      }
    }
    return ran;
  }

  private async run(name: string, job: PgBoss.Job<object>): Promise<void> {
    const def = this.definitions.get(name)!;
    const complete = (tx: Tx) => this.boss.complete(name, job.id, {}, { db: onExecutor(tx) });
    if (def.staged) {
      let finished = false;
      await def.handler(job.data as never, async (work) => {
        await this.database.transaction(async (tx) => {
          await work(tx);
          await complete(tx);
        });
        finished = true;
      });
      if (!finished) await this.database.transaction(complete);
    } else {
      await this.database.transaction(async (tx) => {
        await def.handler(tx, job.data as never);
        await complete(tx);
      });
    }
    this.log.debug({ job: name, id: job.id }, 'job done');
  }

  stop(): Promise<void> {
    return this.boss.stop({ graceful: true, wait: true, close: false });
  }
}
