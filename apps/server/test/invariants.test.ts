// The journey's invariants under concurrency: on PGlite the calls interleave on one
// connection; with TEST_DATABASE_URL they race on separate PostgreSQL connections.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/platform/db.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let requester: Client;
let manager: Client;

beforeAll(async () => {
  t = await testApp();
  w = await aWorld(t.database);
  requester = await signIn(t.app, w.requester.email, w.password);
  manager = await signIn(t.app, w.manager.email, w.password);
});
afterAll(() => t.close());

const order = (key: string) =>
  requester.post(
    '/api/orders',
    {
      costCentre: w.org.costCentre.code,
      justification: 'Load test box',
      slaAccepted: true,
      lines: [{ service: w.vm.service.slug, plan: 'small' }],
    },
    { 'idempotency-key': key },
  );

const count = async (query: ReturnType<typeof sql>) =>
  rowsOf<{ n: number }>(await t.database.db.execute(query))[0]!.n;

describe('invariants', () => {
  it('the same checkout submitted concurrently creates one order', async () => {
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => order(key)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await count(sql`select count(*)::int as n from orders where idempotency_key = ${key}`)).toBe(1);
    expect(
      await count(sql`select count(*)::int as n from approvals where order_id = ${results[0]!.body.id}`),
    ).toBe(1);
  });

  it('different checkouts of the same service at the same moment all go through, each counted once', async () => {
    await t.jobs.drain();
    const before = await count(
      sql`select popularity as n from search_entries where service_id = ${w.vm.service.id}`,
    );
    const results = await Promise.all(Array.from({ length: 12 }, () => order(randomUUID())));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    await t.jobs.drain();
    expect(
      await count(sql`select popularity as n from search_entries where service_id = ${w.vm.service.id}`),
    ).toBe(before + 12);
  });

  it('two decisions on one approval at the same moment: exactly one counts', async () => {
    const placed = await order(randomUUID());
    const approval = (await manager.get('/api/approvals')).body.items.find(
      (a: { order: { id: string } }) => a.order.id === placed.body.id,
    );
    const other = await signIn(t.app, w.manager.email, w.password);
    const [a, b] = await Promise.all([
      manager.post(`/api/approvals/${approval.id}/decision`, { decision: 'approve' }),
      other.post(`/api/approvals/${approval.id}/decision`, { decision: 'reject' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? a.body.status : b.body.status;
    const after = await requester.get(`/api/orders/${placed.body.id}`);
    expect(after.body.lines[0].status).toBe(winner);
    expect(
      await count(
        sql`select count(*)::int as n from audit_events where entity_id = ${approval.id} and action like 'approval.%ed' and action <> 'approval.requested'`,
      ),
    ).toBe(1);
  });

  it('every state change of the journey left an audit row', async () => {
    const placed = await order(randomUUID());
    const approval = (await manager.get('/api/approvals')).body.items.find(
      (a: { order: { id: string } }) => a.order.id === placed.body.id,
    );
    await manager.post(`/api/approvals/${approval.id}/decision`, { decision: 'approve' });
    await t.jobs.drain();
    const actions = rowsOf<{ action: string }>(
      await t.database.db.execute(
        sql`select action from audit_events where entity_id in (${placed.body.id}, ${placed.body.lines[0].id}, ${approval.id}) order by id`,
      ),
    ).map((r) => r.action);
    expect(actions).toEqual([
      'order.submitted',
      'approval.requested',
      'approval.approved',
      'order_line.approved',
      'order.status_changed',
      'order_line.in_fulfilment',
      'order.status_changed',
    ]);
  });
});
