// Policy-routed approvals, budgets, quotas, the cart, cancellation, delegation and escalation,
// through the HTTP API. With TEST_DATABASE_URL the concurrent calls race on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalPolicyBody } from '@portico/shared';
import { systemActor } from '../src/platform/actor.ts';
import { rowsOf } from '../src/platform/db.ts';
import { aServiceDocument } from '../src/modules/catalog/catalog.factory.ts';
import { aPerson, aTeam } from '../src/modules/identity/identity.factory.ts';
import { aDepartmentWithCostCentre } from '../src/modules/org/org.factory.ts';
import { saveServiceDocument } from '../src/workflows/catalog.workflow.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let extra: Awaited<ReturnType<typeof more>>;
let as: Record<'requester' | 'manager' | 'owner' | 'boss' | 'admin' | 'finance' | 'm1' | 'm2', Client>;

/** Beside the world: a cost-centre owner who is not the manager, the manager's boss, a board of two. */
async function more() {
  return t.database.transaction(async (tx) => {
    const boss = await aPerson(tx, { name: 'Bea Boss', roles: ['requester', 'approver'] });
    const owner = await aPerson(tx, { name: 'Olga Owner', roles: ['requester', 'approver'] });
    const admin = await aPerson(tx, { name: 'Ada Admin', roles: ['requester', 'admin'] });
    const finance = await aPerson(tx, { name: 'Fran Finance', roles: ['requester', 'finance'] });
    const m1 = await aPerson(tx, { name: 'Board One', roles: ['requester', 'approver'] });
    const m2 = await aPerson(tx, { name: 'Board Two', roles: ['requester', 'approver'] });
    const board = await aTeam(tx, [m1.id, m2.id]);
    await tx.execute(sql`update users set manager_id = ${boss.id} where id = ${w.manager.id}`);
    const org = await aDepartmentWithCostCentre(tx, owner.id);
    await tx.execute(sql`update placements set department_id = ${org.department.id},
      default_cost_centre_id = ${org.costCentre.id} where user_id = ${w.requester.id}`);
    const legacy = await saveServiceDocument(
      tx,
      systemActor('test'),
      aServiceDocument({
        name: 'Rack Server',
        category: w.vm.category.slug,
        team: w.team.key,
        kind: 'legacy',
      }),
    );
    const laptop = await saveServiceDocument(
      tx,
      systemActor('test'),
      aServiceDocument({
        name: 'Laptop',
        category: w.vm.category.slug,
        team: w.team.key,
        kind: 'hardware',
        plans: [
          {
            slug: 'standard',
            name: 'Standard',
            oneTimePrice: '1400.00',
            leadTimeDays: 5,
            quota: { perPerson: 1 },
            sla: {
              name: 'Std',
              availability: '99.0%',
              supportHours: 'office',
              responseHours: 8,
              resolutionHours: 40,
            },
            fulfilment: {
              steps: [{ type: 'manual', name: 'Ship', team: w.team.key, instructions: 'Ship it.' }],
            },
          },
        ],
      }),
    );
    return {
      boss,
      owner,
      admin,
      finance,
      m1,
      m2,
      board,
      org,
      legacy: legacy.service,
      laptop: laptop.service,
    };
  });
}

const policies: ApprovalPolicyBody[] = [];

beforeAll(async () => {
  t = await testApp();
  w = await aWorld(t.database);
  extra = await more();
  const login = (email: string) => signIn(t.app, email, w.password);
  as = {
    requester: await login(w.requester.email),
    manager: await login(w.manager.email),
    owner: await login(extra.owner.email),
    boss: await login(extra.boss.email),
    admin: await login(extra.admin.email),
    finance: await login(extra.finance.email),
    m1: await login(extra.m1.email),
    m2: await login(extra.m2.email),
  };
  policies.push(
    {
      name: 'Spending',
      priority: 10,
      rules: [
        { name: 'Small', when: { maxCost: '500' }, stages: [] },
        {
          name: 'Large',
          when: { minCost: '5000' },
          stages: [
            { name: 'Manager', approvers: { type: 'manager' } },
            { name: 'Owner', approvers: { type: 'cost_centre_owner' } },
          ],
        },
        { name: 'Else', stages: [{ name: 'Manager', approvers: { type: 'manager' } }] },
      ],
    },
    {
      name: 'Legacy review',
      priority: 20,
      rules: [
        {
          name: 'Legacy',
          when: { kinds: ['legacy'] },
          stages: [{ name: 'Board', approvers: { type: 'group', team: extra.board.key, mode: 'any' } }],
        },
      ],
    },
  );
  for (const p of policies) expect((await as.admin.post('/api/approval-policies', p)).status).toBe(201);
});
afterAll(() => t.close());

const cc = () => extra.org.costCentre.code;
const order = (lines: { service: string; plan: string; quantity?: number }[], key = randomUUID()) =>
  as.requester.post(
    '/api/orders',
    { costCentre: cc(), justification: 'Needed for the project', slaAccepted: true, lines },
    { 'idempotency-key': key },
  );
const pendingFor = async (who: Client, orderId: string) =>
  (await who.get('/api/approvals')).body.items.filter(
    (a: { order: { id: string } }) => a.order.id === orderId,
  );
const decide = (who: Client, id: string, decision: 'approve' | 'reject', comment?: string) =>
  who.post(`/api/approvals/${id}/decision`, { decision, comment });
const count = async (query: ReturnType<typeof sql>) =>
  rowsOf<{ n: number }>(await t.database.db.execute(query))[0]!.n;

describe('approval policies', () => {
  it('only admins manage policies, and a named team must exist', async () => {
    expect((await as.manager.get('/api/approval-policies')).status).toBe(403);
    const bad = await as.admin.post('/api/approval-policies', {
      name: 'Typo',
      rules: [{ name: 'All', stages: [{ name: 'X', approvers: { type: 'group', team: 'no-such-team' } }] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('rules.0.stages.0.approvers.team');
  });

  it('below the threshold a line is approved automatically, and the chain says why', async () => {
    const placed = await order([{ service: w.vm.service.slug, plan: 'small' }]);
    expect(placed.status).toBe(201);
    const line = placed.body.lines[0];
    expect(line.status).toBe('approved');
    expect(line.approval.status).toBe('approved');
    expect(line.approval.summary).toMatch(/Approved automatically: Spending › Small/);
  });

  it('over the threshold: manager, then the cost-centre owner, each in turn', async () => {
    const placed = await order([{ service: w.vm.service.slug, plan: 'small', quantity: 12 }]); // 12 × 38 × 12 = 5,472
    const stages = placed.body.lines[0].approval.stages;
    expect(stages.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['Manager', 'pending'],
      ['Owner', 'waiting'],
    ]);
    // The requester sees who will be asked next, before they are.
    expect(stages[1].planned.map((p: { email: string }) => p.email)).toEqual([extra.owner.email]);
    expect(await pendingFor(as.owner, placed.body.id)).toHaveLength(0);
    const [first] = await pendingFor(as.manager, placed.body.id);
    expect(first.stage).toMatchObject({ position: 1, of: 2 });
    expect(first.matched).toEqual([{ policy: 'Spending', rule: 'Large' }]);
    expect(first.line.firstYearCost).toBe('5472.00');
    expect((await decide(as.manager, first.id, 'approve')).status).toBe(200);
    const [second] = await pendingFor(as.owner, placed.body.id);
    expect(second.stage.position).toBe(2);
    expect((await decide(as.owner, second.id, 'approve')).status).toBe(200);
    const after = (await as.requester.get(`/api/orders/${placed.body.id}`)).body;
    expect(after.lines[0].status).toBe('approved');
    expect(after.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'submitted',
      'stage_approved',
      'approved',
    ]);
    await t.jobs.drain();
    expect((await as.requester.get(`/api/orders/${placed.body.id}`)).body.lines[0].status).toBe(
      'in_fulfilment',
    );
  });

  it('a rejection at the first stage ends the line: the next stage never opens, nothing is fulfilled', async () => {
    const placed = await order([{ service: w.vm.service.slug, plan: 'small', quantity: 12 }]);
    const [first] = await pendingFor(as.manager, placed.body.id);
    expect((await decide(as.manager, first.id, 'reject', 'Use the shared cluster')).status).toBe(200);
    await t.jobs.drain();
    expect(await pendingFor(as.owner, placed.body.id)).toHaveLength(0);
    const after = (await as.requester.get(`/api/orders/${placed.body.id}`)).body;
    expect(after.status).toBe('rejected');
    expect(after.lines[0].approval.stages.map((s: { status: string }) => s.status)).toEqual([
      'rejected',
      'cancelled',
    ]);
    expect(await count(sql`select count(*)::int as n from tasks where order_id = ${placed.body.id}`)).toBe(0);
  });

  it('every active policy adds its stages: a legacy build also goes to the board', async () => {
    const placed = await order([{ service: extra.legacy.slug, plan: 'small', quantity: 2 }]);
    const names = placed.body.lines[0].approval.stages.map((s: { name: string }) => s.name);
    expect(names).toEqual(['Manager', 'Board']);
  });

  it('two board members deciding the same "any" stage at the same moment: exactly one counts', async () => {
    const placed = await order([{ service: extra.legacy.slug, plan: 'small', quantity: 2 }]);
    const [first] = await pendingFor(as.manager, placed.body.id);
    await decide(as.manager, first.id, 'approve');
    const [a] = await pendingFor(as.m1, placed.body.id);
    const [b] = await pendingFor(as.m2, placed.body.id);
    const results = await Promise.all([decide(as.m1, a.id, 'approve'), decide(as.m2, b.id, 'reject')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const decided = await count(
      sql`select count(*)::int as n from approvals where order_id = ${placed.body.id} and stage = 2 and status in ('approved', 'rejected')`,
    );
    expect(decided).toBe(1);
    const line = (await as.requester.get(`/api/orders/${placed.body.id}`)).body.lines[0];
    expect(['approved', 'rejected']).toContain(line.status);
  });

  it('the policy tester answers "who would approve this?" without ordering anything', async () => {
    const res = await as.admin.post('/api/approval-policies/test', {
      requester: w.requester.email,
      costCentre: cc(),
      service: extra.legacy.slug,
      plan: 'small',
      quantity: 20,
    });
    expect(res.status).toBe(200);
    expect(
      res.body.route.stages.map((s: { name: string; approvers: { name: string }[] }) => [
        s.name,
        s.approvers.map((p) => p.name),
      ]),
    ).toEqual([
      ['Manager', ['Mia Manager']],
      ['Owner', ['Olga Owner']],
      ['Board', ['Board One', 'Board Two']],
    ]);
    const asked = {
      requester: w.requester.email,
      costCentre: cc(),
      service: extra.legacy.slug,
      plan: 'small',
    };
    expect((await as.requester.post('/api/approval-policies/test', asked)).status).toBe(403);
  });
});

describe('budgets and quotas', () => {
  it('finance sets a budget; an overrun under "approval" adds the owner’s stage, under "block" refuses', async () => {
    const year = new Date().getUTCFullYear();
    expect(
      (
        await as.manager.put(`/api/cost-centres/${cc()}/budgets/${year}`, {
          annualAmount: '1200',
          onOverrun: 'block',
        })
      ).status,
    ).toBe(403);
    const set = await as.finance.put(`/api/cost-centres/${cc()}/budgets/${year}`, {
      annualAmount: '1200',
      onOverrun: 'approval',
    });
    expect(set.status).toBe(200);
    expect(set.body.budget.monthlyAmount).toBe('100.000000000');
    const over = await order([{ service: w.vm.service.slug, plan: 'small', quantity: 3 }]);
    expect(over.body.lines[0].approval.stages.map((s: { name: string }) => s.name)).toEqual([
      'Manager',
      'Budget overrun',
    ]);
    await as.finance.put(`/api/cost-centres/${cc()}/budgets/${year}`, {
      annualAmount: '1200',
      onOverrun: 'block',
    });
    const blocked = await order([{ service: w.vm.service.slug, plan: 'small', quantity: 3 }]);
    expect(blocked.status).toBe(400);
    expect(blocked.body.errors[0].path).toBe('costCentre');
    expect(blocked.body.errors[0].message).toMatch(/over its monthly budget/);
    await as.finance.put(`/api/cost-centres/${cc()}/budgets/${year}`, {
      annualAmount: '10000000',
      onOverrun: 'warn',
    });
  });

  it('a "block" budget with room for one more order: two checkouts at the same moment, exactly one fits', async () => {
    const year = new Date().getUTCFullYear();
    await as.finance.put(`/api/cost-centres/${cc()}/budgets/${year}`, {
      annualAmount: '1000000',
      onOverrun: 'warn',
    });
    const now = (await as.finance.get(`/api/cost-centres/${cc()}`)).body;
    // Room this month for one small VM (38.00), not for two — and the year has room for both.
    const monthly = Number(now.month.committed) + 50;
    const set = await as.finance.put(`/api/cost-centres/${cc()}/budgets/${year}`, {
      annualAmount: (monthly * 12).toFixed(2),
      onOverrun: 'block',
    });
    expect(set.status).toBe(200);
    const [a, b] = await Promise.all([
      order([{ service: w.vm.service.slug, plan: 'small' }]),
      order([{ service: w.vm.service.slug, plan: 'small' }]),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 400]);
    await as.finance.put(`/api/cost-centres/${cc()}/budgets/${year}`, {
      annualAmount: '10000000',
      onOverrun: 'warn',
    });
  });

  it('a plan’s quota per person is enforced at checkout, naming the line', async () => {
    expect((await order([{ service: extra.laptop.slug, plan: 'standard' }])).status).toBe(201);
    const second = await order([{ service: extra.laptop.slug, plan: 'standard' }]);
    expect(second.status).toBe(400);
    expect(second.body.errors[0]).toMatchObject({ path: 'lines.0.quantity' });
    expect(second.body.errors[0].message).toMatch(/allows 1 per person/);
  });
});

describe('the cart', () => {
  it('holds items with live estimates and routes, checks out once, and empties', async () => {
    const add = await as.requester.post('/api/cart/items', {
      service: w.vm.service.slug,
      plan: 'small',
      quantity: 2,
    });
    expect(add.status).toBe(201);
    await as.requester.post('/api/cart/items', { service: extra.legacy.slug, plan: 'small' });
    const cart = (await as.requester.get(`/api/cart?costCentre=${cc()}`)).body;
    expect(cart.items).toHaveLength(2);
    expect(cart.items[0].estimate).toMatchObject({ monthly: '76.00', firstYear: '912.00' });
    expect(cart.total.firstYear).toBe('1368.00');
    // 456 a year: too small for the spending policy, but a legacy build still goes to the board.
    expect(cart.items[1].approval.stages.map((s: { name: string }) => s.name)).toEqual(['Board']);
    expect(cart.budget.outcome).toBe('within');
    expect(cart.canCheckout).toBe(true);

    const patched = await as.requester.patch(`/api/cart/items/${cart.items[0].id}`, { quantity: 0 });
    expect(patched.status).toBe(400);
    expect(patched.body.errors[0].path).toBe('quantity');

    const key = randomUUID();
    const body = { costCentre: cc(), justification: 'Two things', slaAccepted: true };
    const first = await as.requester.post('/api/cart/checkout', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.body.lines).toHaveLength(2);
    const again = await as.requester.post('/api/cart/checkout', body, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect((await as.requester.get('/api/cart')).body.items).toHaveLength(0);
    const empty = await as.requester.post('/api/cart/checkout', body, { 'idempotency-key': randomUUID() });
    expect(empty.status).toBe(400);
  });

  it('a write answers with the cart previewed for the cost centre asked; one that cannot be charged undoes it', async () => {
    const add = await as.requester.post(`/api/cart/items?costCentre=${cc()}`, {
      service: w.vm.service.slug,
      plan: 'small',
    });
    expect(add.status).toBe(201);
    expect(add.body.costCentre.code).toBe(cc());
    expect(add.body.items[0].approval).not.toBeNull();

    const refused = await as.requester.post('/api/cart/items?costCentre=CC-NOT-MINE', {
      service: w.vm.service.slug,
      plan: 'small',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].path).toBe('costCentre');
    expect((await as.requester.get('/api/cart')).body.items).toHaveLength(1);

    const removed = await as.requester.delete(`/api/cart/items/${add.body.items[0].id}?costCentre=${cc()}`);
    expect(removed.body).toMatchObject({ items: [], costCentre: { code: cc() } });
  });

  it('another person cannot touch my cart items', async () => {
    const mine = (await as.requester.post('/api/cart/items', { service: w.vm.service.slug, plan: 'small' }))
      .body.items[0];
    expect((await as.manager.delete(`/api/cart/items/${mine.id}`)).status).toBe(404);
    expect((await as.requester.delete(`/api/cart/items/${mine.id}`)).status).toBe(200);
  });
});

describe('cancellation, delegation and escalation', () => {
  it('the requester cancels a pending line; its approvals stop waiting', async () => {
    const placed = await order([{ service: w.vm.service.slug, plan: 'small', quantity: 3 }]);
    const line = placed.body.lines[0];
    expect(line.cancellable).toBe(true);
    expect((await as.manager.post(`/api/orders/${placed.body.id}/lines/${line.id}/cancel`, {})).status).toBe(
      404,
    );
    const cancelled = await as.requester.post(`/api/orders/${placed.body.id}/lines/${line.id}/cancel`, {
      reason: 'Not needed',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await pendingFor(as.manager, placed.body.id)).toHaveLength(0);
  });

  it('while the manager is away, the delegate decides, and the decision says who', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const given = await as.manager.post('/api/delegations', {
      to: extra.boss.email,
      startsOn: today,
      endsOn: today,
    });
    expect(given.status).toBe(201);
    const placed = await order([{ service: w.vm.service.slug, plan: 'small', quantity: 3 }]);
    const [forBoss] = await pendingFor(as.boss, placed.body.id);
    expect(forBoss.onBehalfOf.name).toBe('Mia Manager');
    expect((await decide(as.boss, forBoss.id, 'approve')).body.decidedBy.name).toBe('Bea Boss');
    expect((await as.manager.delete(`/api/delegations/${given.body.id}`)).status).toBe(204);
  });

  it('an approval left waiting reminds its approver, then escalates to the approver’s manager (jobs)', async () => {
    const placed = await order([{ service: w.vm.service.slug, plan: 'small', quantity: 3 }]);
    // Time passes: the delayed jobs become due.
    await t.database.db.execute(
      sql`update pgboss.job set start_after = now() where name in ('approvals.remind', 'approvals.escalate')`,
    );
    await t.jobs.drain();
    const [waiting] = await pendingFor(as.manager, placed.body.id);
    const notes = (await as.manager.get('/api/notifications?unread=true')).body.items as {
      kind: string;
      link: string;
    }[];
    // Each notice leads to the decision screen of the approval it is about.
    expect(notes.filter((n) => n.link === `/approvals/${waiting.id}`).map((n) => n.kind)).toEqual(
      expect.arrayContaining(['approval.requested', 'approval.reminder']),
    );
    const [escalated] = await pendingFor(as.boss, placed.body.id);
    const bossNotes = (await as.boss.get('/api/notifications?unread=true')).body.items as { link: string }[];
    expect(bossNotes.map((n) => n.link)).toContain(`/approvals/${escalated.id}`);
    expect(escalated.reason).toMatch(/Escalated to you: Mia Manager/);
    expect((await decide(as.boss, escalated.id, 'approve')).status).toBe(200);
    expect(await pendingFor(as.manager, placed.body.id)).toHaveLength(0);
    const after = (await as.requester.get(`/api/orders/${placed.body.id}`)).body;
    expect(after.lines[0].status).toBe('approved');
    expect(after.timeline.map((e: { kind: string }) => e.kind)).toContain('escalated');
  });
});
