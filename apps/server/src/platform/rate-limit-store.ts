// A @fastify/rate-limit store in PostgreSQL: a fixed window per key, counted with one upsert,
// so the limit holds across every instance of the portal (memory would count per process).
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './db.ts';
import { rateLimits } from './platform.tables.ts';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

export function pgRateLimitStore(database: Database, scope = 'global') {
  return class PgRateLimitStore implements FastifyRateLimitStore {
    // @fastify/rate-limit passes its options first; a route's child store gets its own prefix.
    constructor(
      _options?: unknown,
      readonly prefix = scope,
    ) {}

    incr(key: string, cb: Callback, timeWindow: number): void {
      const k = `${this.prefix}:${key}`;
      const expired = sql`${rateLimits.windowStart} + ${timeWindow} * interval '1 millisecond' <= now()`;
      database.db
        .execute(
          sql`insert into ${rateLimits} (key, window_start, count) values (${k}, now(), 1)
              on conflict (key) do update set
                count = case when ${expired} then 1 else ${rateLimits.count} + 1 end,
                window_start = case when ${expired} then now() else ${rateLimits.windowStart} end
              returning count,
                greatest(0, extract(epoch from (window_start + ${timeWindow} * interval '1 millisecond' - now())) * 1000)::int as ttl`,
        )
        .then(
          (result) => {
            const [row] = rowsOf<{ count: number; ttl: number }>(result);
            cb(null, { current: row!.count, ttl: row!.ttl });
          },
          (err: Error) => cb(err),
        );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // At run time the plugin passes its merged options, with the route under `routeInfo`.
      const route = (routeOptions as unknown as { routeInfo?: { method?: unknown; url?: string } }).routeInfo;
      return new PgRateLimitStore(undefined, `${String(route?.method)} ${route?.url}`);
    }
  };
}
