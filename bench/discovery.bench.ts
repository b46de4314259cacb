// Discovery at scale: search (GET /api/services?q=…) and category listing
// (GET /api/services?category=…) with 10,000 published services on top of the demo catalogue,
// as the demo requester sees them (session cookie), against the bare indexed-select baseline
// on the same database in the same run.
//
// The services are written through the real code path, saveServiceDocument (what the catalogue
// import runs for every service), so the catalogue, the plans' fulfilment and the search index
// (search_entries) are filled exactly as in production.
import { sql } from 'drizzle-orm';
import { positional, rowsOf, type Database } from '../apps/server/src/platform/db.ts';
import { systemActor } from '../apps/server/src/platform/actor.ts';
import { saveServiceDocument } from '../apps/server/src/workflows/catalog.workflow.ts';
import { startBaseline } from './baseline.ts';
import { benchCategories, generateServices, searchQueries } from './discovery.data.ts';
import { measure, type Measurement, type MeasureSettings } from './measure.ts';
import { requesterCredentials, startPortal } from './portal.ts';

export interface Seeding {
  engine: string;
  services: number;
  batchSize: number;
  /** Transactions writing at the same time. */
  concurrency: number;
  /** Whether the other engine was seeding at the same time (so they shared the cores). */
  concurrently?: boolean;
  /** Seconds to generate the documents (in memory). */
  generateSeconds: number;
  /** Seconds to write them through saveServiceDocument, batch by batch. */
  writeSeconds: number;
  /** Seconds of VACUUM ANALYZE after. */
  analyzeSeconds: number;
  /** Published rows in search_entries after seeding (the demo catalogue's too). */
  publishedEntries: number;
}

export interface Hits {
  path: string;
  /** `total` of the answer: how many services match. */
  total: number;
}

export const searchTarget = `search ?q= (${searchQueries.length} queries)`;
export const categoryTarget = `category ?category= (${benchCategories.length})`;

/**
 * One line that rewrites itself on a terminal, or a line every `every` items otherwise (also
 * when another seeding prints at the same time).
 */
function progress(label: string, total: number, log: (line: string) => void, every: number, tty: boolean) {
  const started = performance.now();
  let lastLogged = 0;
  return (done: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 1e-3);
    const eta = done < total ? `, ~${Math.ceil((total - done) / rate)} s left` : '';
    const width = 30;
    const bar = '#'.repeat(Math.round((done / total) * width)).padEnd(width, '.');
    const text = `${label} [${bar}] ${done}/${total} services, ${seconds.toFixed(1)} s (${rate.toFixed(0)}/s${eta})`;
    if (tty) {
      process.stdout.write(`\r${text}${done >= total ? '\n' : ''}`);
    } else if (done - lastLogged >= every || done >= total) {
      lastLogged = done;
      log(text);
    }
  };
}

/** Adds `services` generated services through saveServiceDocument, then VACUUM ANALYZE. */
export async function seedServices(
  engine: string,
  database: Database,
  services: number,
  batchSize: number,
  log: (line: string) => void,
  tty = process.stdout.isTTY,
): Promise<Seeding> {
  const taken = rowsOf<{ slug: string }>(await database.db.execute(positional('select slug from services')));
  let t = performance.now();
  const docs = generateServices(
    services,
    taken.map((r) => r.slug),
  );
  const generateSeconds = (performance.now() - t) / 1000;

  const actor = systemActor('bench-seed');
  const tick = progress(`  ${engine}: seeding`, docs.length, log, 1000, tty);
  // PostgreSQL writes two batches at a time (two cores); PGlite has one connection anyway.
  const concurrency = database.kind === 'postgres' ? 2 : 1;
  let next = 0;
  let done = 0;
  t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < docs.length) {
        const batch = docs.slice(next, (next += batchSize));
        await database.transaction(async (tx) => {
          for (const doc of batch) await saveServiceDocument(tx, actor, doc, true);
        });
        tick((done += batch.length));
      }
    }),
  );
  const writeSeconds = (performance.now() - t) / 1000;

  // What autovacuum does on its own within a minute or two of a bulk write (PGlite has no
  // autovacuum): VACUUM sets the visibility map, so index-only scans need not visit the table,
  // and ANALYZE gives the planner the new rows' statistics; the plans measured are the steady
  // state's. Without it, whether autovacuum had run yet would depend on the seconds elapsed.
  t = performance.now();
  await database.db.execute(sql`vacuum analyze`);
  const analyzeSeconds = (performance.now() - t) / 1000;

  const [row] = rowsOf<{ n: number }>(
    await database.db.execute(
      positional("select count(*)::int as n from search_entries where status = 'published'"),
    ),
  );
  const publishedEntries = row?.n ?? 0;
  if (publishedEntries < services) {
    throw new Error(`${engine}: ${publishedEntries} published search entries after seeding ${services}`);
  }
  log(
    `  ${engine}: seeded ${services} services in ${writeSeconds.toFixed(1)} s ` +
      `(${(services / writeSeconds).toFixed(0)}/s, batches of ${batchSize}, ${concurrency} at a time; generating ${generateSeconds.toFixed(1)} s, ` +
      `vacuum analyze ${analyzeSeconds.toFixed(1)} s); ${publishedEntries} published entries`,
  );
  return {
    engine,
    services,
    batchSize,
    concurrency,
    generateSeconds: +generateSeconds.toFixed(2),
    writeSeconds: +writeSeconds.toFixed(2),
    analyzeSeconds: +analyzeSeconds.toFixed(2),
    publishedEntries,
  };
}

export interface DiscoveryOptions {
  services: number;
  batchSize: number;
}

/**
 * A portal database with the demo catalogue and `services` generated services: what
 * discoveryBench then measures. Run apart from the measurements (run.ts seeds PostgreSQL in a
 * child process while PGlite seeds here), since it takes minutes.
 */
export async function seedDiscovery(
  engine: string,
  where: Parameters<typeof startPortal>[0],
  options: DiscoveryOptions,
  log: (line: string) => void,
  tty?: boolean,
): Promise<Seeding> {
  const portal = await startPortal(where);
  try {
    return await seedServices(engine, portal.database, options.services, options.batchSize, log, tty);
  } finally {
    await portal.close();
  }
}

/**
 * Loads search and category listing on a database seedDiscovery filled. `trySql`: statements
 * (separated by `;`) run on that database first, to try a database-side change (an index, a
 * function's cost) without touching the code.
 */
export async function discoveryBench(
  engine: string,
  where: Parameters<typeof startPortal>[0],
  settings: MeasureSettings,
  log: (line: string) => void,
  trySql = '',
): Promise<{ measurements: Measurement[]; hits: Hits[] }> {
  const portal = await startPortal(where);
  const baseline = await startBaseline(portal.database);
  try {
    const statements = trySql
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const statement of statements) {
      log(`  ${engine}: ${statement}`);
      await portal.database.db.execute(sql.raw(statement));
    }
    if (statements.length) await portal.database.db.execute(sql`analyze`);
    const credentials = await requesterCredentials(portal.url);
    const headers = { cookie: credentials.cookie };
    const searchPaths = searchQueries.map((q) => `/api/services?q=${encodeURIComponent(q)}`);
    const categoryPaths = benchCategories.map((c) => `/api/services?category=${c}`);

    // How much each path finds: a query that finds nothing would measure the cheap case.
    const hits: Hits[] = [];
    const measurements = await measure(
      'discovery',
      engine,
      [
        await baseline.target(),
        {
          target: searchTarget,
          origin: portal.url,
          paths: searchPaths,
          headers,
          serverTimes: portal.serverTimes,
        },
        {
          target: categoryTarget,
          origin: portal.url,
          paths: categoryPaths,
          headers,
          serverTimes: portal.serverTimes,
        },
      ],
      settings,
      log,
      (p) => {
        if (!p.path.startsWith('/api/services?')) return;
        const total = (JSON.parse(p.body) as { total: number }).total;
        if (total === 0) throw new Error(`${engine}: ${p.path} finds nothing`);
        hits.push({ path: p.path, total });
      },
    );
    return { measurements, hits };
  } finally {
    await baseline.close();
    await portal.close();
  }
}
