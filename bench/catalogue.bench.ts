// The catalogue listing, GET /api/services, as the demo requester sees it, against a baseline:
// a bare Fastify route doing one indexed select on the same database, in the same process.
// The ratio portal/baseline says what the portal's layers (auth, validation, the listing's
// queries, serialization) cost on top of the floor the runtime and the driver set.
import Fastify from 'fastify';
import { positional, rowsOf, type Database } from '../apps/server/src/platform/db.ts';
import { load, type LoadResult, type LoadSettings } from './load.ts';
import { requesterCredentials, startPortal } from './portal.ts';

export interface Measurement extends LoadResult {
  engine: string;
  target: string;
  path: string;
  /** Bytes of one response body. */
  bodyBytes: number;
}

async function startBaseline(database: Database) {
  const app = Fastify({ logger: false });
  app.get<{ Params: { slug: string } }>('/baseline/services/:slug', async (req, reply) => {
    const [row] = rowsOf<{ id: string; slug: string; name: string }>(
      await database.db.execute(
        positional('select id, slug, name from services where slug = $1', [req.params.slug]),
      ),
    );
    return row ?? reply.code(404).send({ error: 'not found' });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** One request first: a target that does not answer 200 with a body is a broken benchmark. */
async function probe(url: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${body.slice(0, 200)}`);
  return Buffer.byteLength(body);
}

export async function catalogueBench(
  engine: string,
  where: Parameters<typeof startPortal>[0],
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<Measurement[]> {
  const portal = await startPortal(where);
  const baseline = await startBaseline(portal.database);
  try {
    const credentials = await requesterCredentials(portal.url);
    const [service] = rowsOf<{ slug: string }>(
      await portal.database.db.execute(
        positional("select slug from services where status = 'published' order by slug limit 1"),
      ),
    );
    if (!service) throw new Error('the demo seed created no published service');

    const targets: { target: string; url: string; headers: Record<string, string> }[] = [
      {
        target: 'baseline (1 indexed select)',
        url: `${baseline.url}/baseline/services/${service.slug}`,
        headers: {},
      },
      {
        target: 'portal, Bearer token',
        url: `${portal.url}/api/services`,
        headers: { authorization: credentials.bearer },
      },
      {
        target: 'portal, session cookie',
        url: `${portal.url}/api/services`,
        headers: { cookie: credentials.cookie },
      },
    ];
    const results: Measurement[] = [];
    for (const t of targets) {
      const bodyBytes = await probe(t.url, t.headers);
      log(`  ${engine}: ${t.target} … ${settings.duration} s, ${settings.connections} connections`);
      const r = await load(t.url, t.headers, settings);
      if (r.errors || r.timeouts || r.non2xx) {
        throw new Error(
          `${engine} ${t.target}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`,
        );
      }
      results.push({ engine, target: t.target, path: new URL(t.url).pathname, bodyBytes, ...r });
    }
    return results;
  } finally {
    await baseline.close();
    await portal.close();
  }
}
