import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type ExtractTablesWithRelations, type Query, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<
  PgQueryResultHKT,
  Record<string, never>,
  ExtractTablesWithRelations<Record<string, never>>
>;
/** Anything queries can run on: the database or a transaction. Service functions take a Tx. */
export type Executor = Db | Tx;

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /**
   * Runs `fn` in one transaction; everything it writes commits or nothing does. A transaction
   * PostgreSQL aborts to break a deadlock or a serialization conflict runs again (a few times,
   * after a short random pause): `fn` must only touch the database.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /** Applied migrations vs. the committed journal, for /readyz. */
  migrationsCurrent(): Promise<boolean>;
  close(): Promise<void>;
  /** The underlying PGlite, when embedded (tests dump and load its data directory). */
  readonly pglite?: PGlite;
}

export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Turns `text` with $1..$n placeholders into a drizzle SQL object with bound parameters. */
export function positional(text: string, values: unknown[] = []): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, m.index)));
    chunks.push(sql`${sql.param(values[Number(m[1]) - 1] ?? null)}`);
    last = m.index + m[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}

const dialect = new PgDialect();

/** A statement built once (its values are sql.placeholder()s), to run as a named statement. */
export interface NamedStatement {
  name: string;
  query: Query;
}

/**
 * Builds `query` once: the name is `prefix` and a hash of the text, so each shape of a statement
 * gets its own. Values go in as sql.placeholder(name) and are given to executeNamed.
 */
export function namedStatement(prefix: string, query: SQL): NamedStatement {
  const built = dialect.sqlToQuery(query);
  return {
    name: `${prefix}_${createHash('sha1').update(built.sql).digest('base64url').slice(0, 24)}`,
    query: built,
  };
}

/**
 * Runs a named statement with the placeholders' values: on PostgreSQL each pool connection
 * parses it once, and after five executions may keep one generic plan instead of planning it on
 * every call. Only for statements that run often and take few shapes: every shape stays
 * prepared on every connection. PGlite runs it like any other statement.
 */
export function executeNamed(
  ex: Executor,
  statement: NamedStatement,
  values: Record<string, unknown> = {},
): Promise<unknown> {
  return ex._.session.prepareQuery(statement.query, undefined, statement.name, false).execute(values);
}

function journalLength(): number {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

async function appliedMigrations(db: Db): Promise<number> {
  try {
    const rows = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
    );
    return rows[0]?.n ?? 0;
  } catch {
    return 0;
  }
}

/** SQLSTATEs of a transaction that failed only because of another one: try it again. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 4;

function sqlState(err: unknown): string | undefined {
  for (let e = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export async function retryingConflicts<T>(
  run: () => Promise<T>,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= ATTEMPTS || !RETRYABLE.has(sqlState(err) ?? '')) throw err;
      await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
}

function wrap(
  kind: Database['kind'],
  db: Db,
  doMigrate: () => Promise<void>,
  close: () => Promise<void>,
  pglite?: PGlite,
): Database {
  return {
    kind,
    db,
    pglite,
    transaction: (fn) => retryingConflicts(() => db.transaction((tx) => fn(tx))),
    migrate: doMigrate,
    migrationsCurrent: async () => (await appliedMigrations(db)) >= journalLength(),
    close,
  };
}

export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { pg_trgm },
  });
  const db = drizzlePglite({ client }) as unknown as Db;
  return wrap(
    'pglite',
    db,
    async () => {
      await migratePglite(drizzlePglite({ client }), { migrationsFolder });
    },
    () => client.close(),
    client,
  );
}

export function openPostgres(url: string, max = 10): Database & { pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection the server drops (restart, failover) is replaced on next use; without
  // a listener its error would crash the process.
  pool.on('error', (err) => console.error(`database: idle connection lost: ${err.message}`));
  const db = drizzlePg({ client: pool }) as unknown as Db;
  return {
    ...wrap(
      'postgres',
      db,
      async () => {
        await migratePg(drizzlePg({ client: pool }), { migrationsFolder });
      },
      () => pool.end(),
    ),
    pool,
  };
}

export function openDatabase(config: { DATABASE_URL?: string; DATA_DIR: string }): Promise<Database> {
  return config.DATABASE_URL
    ? Promise.resolve(openPostgres(config.DATABASE_URL))
    : openPglite({ dataDir: config.DATA_DIR });
}
