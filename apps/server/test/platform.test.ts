import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  executeNamed,
  namedStatement,
  retryingConflicts,
  rowsOf,
  type NamedStatement,
} from '../src/platform/db.ts';
import { Jobs } from '../src/platform/jobs.ts';
import { createLogger } from '../src/platform/logger.ts';
import { testApp, testDatabase, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('platform', () => {
  it('answers health and readiness', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', migrationsCurrent: true });
  });

  it('answers unknown API routes with a 404 problem', async () => {
    const res = await t.app.inject('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 404,
      code: 'NotFound',
      detail: 'No route for GET /api/nothing-here',
    });
  });

  it('serves an OpenAPI 3.1 document of the API and a reference page', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/orders',
      '/api/approvals/{id}/decision',
      '/api/tasks/{id}/complete',
      '/api/tickets',
      '/api/services',
      '/api/compare',
      '/api/storefront',
      '/api/catalog/services/{slug}',
      '/api/catalog/import',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const post = doc.paths['/api/orders'].post;
    expect(post.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'idempotency-key' }),
    );
    expect((await t.app.inject('/api/docs/')).statusCode).toBe(200);
  });

  it('returns the request id and never a stack trace', async () => {
    const res = await t.app.inject({ url: '/api/orders', headers: { 'x-request-id': 'trace-me-123' } });
    expect(res.headers['x-request-id']).toBe('trace-me-123');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('enqueues a job only when the transaction that causes it commits', async () => {
    await expect(
      t.database.transaction(async (tx) => {
        await t.jobs.enqueue(tx, 'fulfilment.start', { lineId: '00000000-0000-0000-0000-000000000000' });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await t.jobs.drain()).toBe(0);
  });

  it('runs named statements again with other values, each shape under its own name', async () => {
    const plain = namedStatement('test', sql`select ${sql.placeholder('n')}::int as v`);
    const doubled = namedStatement('test', sql`select ${sql.placeholder('n')}::int * 2 as v`);
    expect(plain.name).not.toBe(doubled.name);
    const run = async (n: number, statement: NamedStatement) =>
      rowsOf<{ v: number }>(await executeNamed(t.database.db, statement, { n }))[0]!.v;
    // More runs than the pool has connections, so some reuse a connection that prepared it.
    for (let i = 0; i < 12; i++) {
      expect(await run(i, plain)).toBe(i);
      expect(await run(i, doubled)).toBe(i * 2);
    }
    const inTx = await t.database.transaction(async (tx) =>
      rowsOf<{ v: number }>(await executeNamed(tx, plain, { n: 5 })),
    );
    expect(inTx).toEqual([{ v: 5 }]);
  });
});

describe('transactions aborted by another one', () => {
  const failing = (codes: string[]) => {
    let calls = 0;
    const run = async () => {
      const code = codes[calls++];
      if (code) throw Object.assign(new Error('query failed'), { cause: { code } });
      return 'committed';
    };
    return { run, calls: () => calls };
  };
  const noWait = () => Promise.resolve();

  it('run again after a deadlock or a serialization conflict', async () => {
    const t = failing(['40P01', '40001']);
    await expect(retryingConflicts(t.run, noWait)).resolves.toBe('committed');
    expect(t.calls()).toBe(3);
  });

  it('give up after four attempts, and never retry other errors', async () => {
    const deadlocks = failing(['40P01', '40P01', '40P01', '40P01', '40P01']);
    await expect(retryingConflicts(deadlocks.run, noWait)).rejects.toThrow('query failed');
    expect(deadlocks.calls()).toBe(4);
    const unique = failing(['23505']);
    await expect(retryingConflicts(unique.run, noWait)).rejects.toThrow('query failed');
    expect(unique.calls()).toBe(1);
  });
});

describe('jobs whose worker died', () => {
  it('expire and run again once the process that supervises the queue does its maintenance', async () => {
    const database = await testDatabase();
    const jobs = new Jobs(database, createLogger('silent', false), {
      supervise: true,
      maintenanceIntervalSeconds: 1,
    });
    const ran: string[] = [];
    jobs.define<{ id: string }>('test.crash', async (_tx, data) => void ran.push(data.id), {
      expireInSeconds: 60,
    });
    try {
      await jobs.install();
      await database.transaction((tx) => jobs.enqueue(tx, 'test.crash', { id: 'lost' }));
      // A worker took it an hour ago and died with it: still active, long past its expiry.
      await database.db.execute(
        sql`update pgboss.job set state = 'active', started_on = now() - interval '1 hour' where name = 'test.crash'`,
      );
      expect(await jobs.drain()).toBe(0);
      const state = async () =>
        rowsOf<{ state: string }>(
          await database.db.execute(sql`select state from pgboss.job where name = 'test.crash'`),
        )[0]!.state;
      for (let i = 0; i < 50 && (await state()) === 'active'; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await state()).toBe('retry');
      await database.db.execute(
        sql`update pgboss.job set start_after = now() - interval '1 minute' where name = 'test.crash'`,
      );
      await jobs.drain();
      expect(ran).toEqual(['lost']);
    } finally {
      await jobs.stop();
      await database.close();
    }
  });

  it('on an embedded database, run again as soon as workers start; on PostgreSQL, wait for their expiry', async () => {
    const database = await testDatabase();
    const jobs = new Jobs(database, createLogger('silent', false));
    const ran: string[] = [];
    jobs.define<{ id: string }>('test.killed', async (_tx, data) => void ran.push(data.id));
    const state = async () =>
      rowsOf<{ state: string; retry_count: number }>(
        await database.db.execute(sql`select state, retry_count from pgboss.job where name = 'test.killed'`),
      )[0]!;
    try {
      await jobs.install();
      await database.transaction((tx) => jobs.enqueue(tx, 'test.killed', { id: 'left' }));
      // Taken a moment ago by a process that was killed: far from its expiry.
      await database.db.execute(
        sql`update pgboss.job set state = 'active', started_on = now() where name = 'test.killed'`,
      );
      await jobs.startWorkers(0.5);
      if (database.kind === 'postgres') {
        // Another process sharing the queue may still be working on it.
        expect((await state()).state).toBe('active');
        return;
      }
      expect((await state()).state).toBe('retry');
      // Retried like any failed job, after its queue's delay; not waiting for it here.
      await database.db.execute(
        sql`update pgboss.job set start_after = now() - interval '1 minute' where name = 'test.killed'`,
      );
      for (let i = 0; i < 50 && !ran.length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(ran).toEqual(['left']);
      expect(await state()).toEqual({ state: 'completed', retry_count: 1 });
    } finally {
      await jobs.stop();
      await database.close();
    }
  });
});
