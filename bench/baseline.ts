// The floor every benchmark compares with: a bare Fastify app in the same process, on the same
// `Database` object as the portal (the same driver, pool and data), whose one route runs one
// indexed select (the unique index on services.slug) and returns the row as JSON.
import Fastify from 'fastify';
import { positional, rowsOf, type Database } from '../apps/server/src/platform/db.ts';
import type { Target } from './measure.ts';
import { recordServerTimes } from './server-times.ts';

export const baselineName = 'baseline (1 indexed select)';

export async function startBaseline(database: Database) {
  const app = Fastify({ logger: false });
  const serverTimes = recordServerTimes(app);
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
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    /** The baseline target: the first published service by slug. */
    async target(): Promise<Target> {
      const [service] = rowsOf<{ slug: string }>(
        await database.db.execute(
          positional("select slug from services where status = 'published' order by slug limit 1"),
        ),
      );
      if (!service) throw new Error('no published service for the baseline');
      return {
        target: baselineName,
        origin,
        paths: [`/baseline/services/${service.slug}`],
        headers: {},
        serverTimes,
      };
    },
    close: () => app.close(),
  };
}
