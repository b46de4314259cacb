// The fulfillers' view: team queues with claims and hand-overs that cannot overwrite each other,
// due times from the line's SLA in business hours, filters, and the "needs attention" queue
// (retry, or abandon the line: what was done is undone, last first — a VM provisioned through
// the simulated cloud broker is deprovisioned there).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBroker, type RunningBroker } from '@portico/cloud-broker';
import { FulfilmentDocument } from '@portico/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/platform/actor.ts';
import { rowsOf } from '../src/platform/db.ts';
import { aServiceDocument } from '../src/modules/catalog/catalog.factory.ts';
import { aPerson, aTeam } from '../src/modules/identity/identity.factory.ts';
import { saveServiceDocument } from '../src/workflows/catalog.workflow.ts';
import { signIn, testApp, type Client, type TestApp } from './harness.ts';
import { aWorld, type World } from './world.ts';

let t: TestApp;
let w: World;
let broker: RunningBroker;
let receiver: Server;
/** How the automation endpoint answers the next call. */
let answer: (type: string, res: ServerResponse) => void;
let ops: { id: string; key: string; name: string };
let people: Record<'colleague' | 'bystander', { id: string; email: string; name: string }>;
let as: Record<
  'requester' | 'manager' | 'fulfiller' | 'colleague' | 'outsider' | 'admin' | 'bystander',
  Client
>;
const services = { desk: '', phone: '', vm: '' };

const BROKER = { username: 'portico', password: 'broker-password-for-tests' };

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function receive(req: IncomingMessage, res: ServerResponse) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  answer((JSON.parse(raw) as { type: string }).type, res);
}

async function aService(name: string, plan: Record<string, unknown>) {
  const doc = aServiceDocument({ name, category: w.vm.category.slug, team: ops.key });
  Object.assign(doc.plans[0]!, plan);
  return (await t.database.transaction((tx) => saveServiceDocument(tx, systemActor('test'), doc))).service
    .slug;
}

beforeAll(async () => {
  broker = await startBroker({ ...BROKER, timeScale: 0.001 });
  receiver = createServer((req, res) => void receive(req, res));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t = await testApp({ PUBLIC_URL: 'http://portal.test' });
  w = await aWorld(t.database);
  const made = await t.database.transaction(async (tx) => {
    const colleague = await aPerson(tx, { name: 'Cole Colleague', roles: ['requester', 'fulfiller'] });
    // In the team, but not a fulfiller: tasks cannot go to them.
    const bystander = await aPerson(tx, { name: 'Bea Bystander', roles: ['requester'] });
    const admin = await aPerson(tx, { name: 'Ada Admin', roles: ['requester', 'admin'] });
    const team = await aTeam(tx, [w.fulfiller.id, colleague.id, bystander.id]);
    return { colleague, bystander, admin, team };
  });
  ops = made.team;
  people = { colleague: made.colleague, bystander: made.bystander };
  as = {
    requester: await signIn(t.app, w.requester.email, w.password),
    manager: await signIn(t.app, w.manager.email, w.password),
    fulfiller: await signIn(t.app, w.fulfiller.email, w.password),
    colleague: await signIn(t.app, made.colleague.email, w.password),
    outsider: await signIn(t.app, w.outsider.email, w.password),
    admin: await signIn(t.app, made.admin.email, w.password),
    bystander: await signIn(t.app, made.bystander.email, w.password),
  };
  // Monday to Friday, 09:00–17:00 UTC, no holidays: due times below are counted in it.
  const calendar = await as.admin.put('/api/business-calendar', {
    timezone: 'UTC',
    workdays: [1, 2, 3, 4, 5],
    dayStart: '09:00',
    dayEnd: '17:00',
    holidays: [],
  });
  expect(calendar.status).toBe(200);
  for (const [key, body] of Object.entries({
    cloud: { name: 'Cloud broker', type: 'osb', url: broker.url, ...BROKER, secret: BROKER.password },
    phones: {
      name: 'Phone automation',
      type: 'webhook',
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      secret: `whsec_${Buffer.from(randomUUID()).toString('base64')}`,
    },
  })) {
    const saved = await as.admin.put(`/api/fulfilment/adapters/${key}`, {
      ...body,
      team: ops.key,
      timeoutMs: 3_000,
      maxAttempts: 2,
    });
    expect(saved.status).toBe(200);
  }
  const sla = (responseHours: number, resolutionHours: number) => ({
    name: 'Silver',
    availability: '99.5%',
    supportHours: 'business hours',
    responseHours,
    resolutionHours,
  });
  services.desk = await aService('Standing desk', {
    leadTimeDays: 2,
    sla: sla(4, 8),
    fulfilment: FulfilmentDocument.parse({
      steps: [
        {
          type: 'manual',
          name: 'Deliver the desk',
          team: ops.key,
          instructions: 'Bring it up.',
          outputs: [{ key: 'asset', label: 'Asset tag', required: true }],
        },
      ],
    }),
  });
  services.phone = await aService('Desk phone', {
    sla: sla(1, 8),
    fulfilment: FulfilmentDocument.parse({
      steps: [
        {
          type: 'manual',
          name: 'Reserve a number',
          team: ops.key,
          instructions: 'Reserve an extension.',
          outputs: [{ key: 'extension', label: 'Extension', required: true }],
        },
        { type: 'webhook', name: 'Activate the line', adapter: 'phones' },
      ],
    }),
  });
  services.vm = await aService('Build box', {
    fulfilment: FulfilmentDocument.parse({
      steps: [
        { type: 'osb', name: 'Create the VM', adapter: 'cloud', service: 'virtual-machine', plan: 'small' },
        // The broker has no such plan: this step fails for good, after the VM exists.
        {
          type: 'osb',
          name: 'Add a GPU',
          adapter: 'cloud',
          service: 'virtual-machine',
          plan: 'gpu-monster',
          bind: false,
        },
      ],
    }),
  });
});
afterAll(async () => {
  await t.close();
  await broker.close();
  await new Promise((resolve) => receiver.close(resolve));
});

/** Orders the service; the manager approves; the jobs run until nothing is due. */
async function approvedLine(service: string): Promise<{ orderId: string; lineId: string; number: string }> {
  const placed = await as.requester.post(
    '/api/orders',
    {
      costCentre: w.org.costCentre.code,
      justification: 'Needed for work',
      slaAccepted: true,
      lines: [{ service, plan: 'small', quantity: 1 }],
    },
    { 'idempotency-key': randomUUID() },
  );
  expect(placed.status).toBe(201);
  const pending = (await as.manager.get('/api/approvals')).body.items.find(
    (a: { order: { id: string } }) => a.order.id === placed.body.id,
  );
  expect(
    (await as.manager.post(`/api/approvals/${pending.id}/decision`, { decision: 'approve' })).status,
  ).toBe(200);
  await t.jobs.drain();
  return { orderId: placed.body.id, lineId: placed.body.lines[0].id, number: placed.body.number };
}

/** Time passes until `done` holds (held-back jobs are due now, polls answered). */
async function until(done: () => Promise<boolean>, rounds = 40) {
  for (let i = 0; i < rounds && !(await done()); i++) {
    await t.database.db.execute(
      sql`update pgboss.job set start_after = now() - interval '1 minute' where state in ('created', 'retry')`,
    );
    await t.jobs.drain();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(await done()).toBe(true);
}

const stepsOf = async (lineId: string) =>
  rowsOf<{ id: string; status: string }>(
    await t.database.db.execute(
      sql`select id, status from line_steps where order_line_id = ${lineId} order by position`,
    ),
  );

const lineStatus = async (orderId: string) =>
  (await as.requester.get(`/api/orders/${orderId}`)).body.lines[0].status as string;

async function taskOf(orderId: string, who: Client = as.fulfiller, query = '') {
  const res = await who.get(`/api/tasks?limit=200${query}`);
  expect(res.status).toBe(200);
  return res.body.items.find((x: { order: { id: string } }) => x.order.id === orderId);
}

const attention = async (who: Client, query = '') =>
  (await who.get(`/api/fulfilment/attention${query}`)).body;

/** Working milliseconds between two moments in the test's calendar (Mon–Fri, 09–17 UTC), counted independently. */
function workingMs(from: Date, to: Date): number {
  let total = 0;
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  for (; day < to; day.setUTCDate(day.getUTCDate() + 1)) {
    if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
    const opens = day.getTime() + 9 * 3_600_000;
    const closes = day.getTime() + 17 * 3_600_000;
    total += Math.max(0, Math.min(closes, to.getTime()) - Math.max(opens, from.getTime()));
  }
  return total;
}

describe('team queues', () => {
  it('a task is due by the SLA in business hours: taken within the response time, done within the lead time', async () => {
    const { orderId } = await approvedLine(services.desk);
    const task = await taskOf(orderId);
    const opened = new Date(task.createdAt);
    const respondBy = new Date(task.respondBy);
    const dueAt = new Date(task.dueAt);
    // 4 response hours; 2 lead-time days of 8 working hours (more than the 8 resolution hours).
    // The task row's clock and the engine's differ by the time one transaction takes.
    expect(Math.abs(workingMs(opened, respondBy) - 4 * 3_600_000)).toBeLessThan(60_000);
    expect(Math.abs(workingMs(opened, dueAt) - 16 * 3_600_000)).toBeLessThan(60_000);
    for (const at of [respondBy, dueAt]) {
      expect([0, 6]).not.toContain(at.getUTCDay());
      expect(at.getUTCHours() * 60 + at.getUTCMinutes()).toBeGreaterThanOrEqual(9 * 60);
      expect(at.getUTCHours() * 60 + at.getUTCMinutes()).toBeLessThanOrEqual(17 * 60);
    }
  });

  it('two fulfillers take the same task at once: one gets it, the other a 409 saying who has it', async () => {
    const { orderId } = await approvedLine(services.desk);
    const task = await taskOf(orderId);
    expect(task.assignee).toBeNull();
    const [a, b] = await Promise.all([
      as.fulfiller.post(`/api/tasks/${task.id}/claim`),
      as.colleague.post(`/api/tasks/${task.id}/claim`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    expect(loser.body.detail).toBe(`${winner.body.assignee.name} took this task meanwhile`);
    // Taking one's own task again changes nothing; the queue shows who holds it.
    const again = await (winner === a ? as.fulfiller : as.colleague).post(`/api/tasks/${task.id}/claim`);
    expect(again.status).toBe(200);
    expect(again.body.assignedAt).toBe(winner.body.assignedAt);
    expect((await taskOf(orderId, as.colleague)).assignee.id).toBe(winner.body.assignee.id);
    const audit = rowsOf<{ action: string }>(
      await t.database.db.execute(
        sql`select action from audit_events where entity_type = 'task' and entity_id = ${task.id} order by id`,
      ),
    );
    expect(audit.map((r) => r.action)).toEqual(['task.created', 'task.assigned']);
    // Another team's fulfiller does not learn the task exists.
    expect((await as.outsider.post(`/api/tasks/${task.id}/claim`)).status).toBe(404);
    expect((await as.outsider.get(`/api/tasks/${task.id}`)).status).toBe(404);
    expect((await as.colleague.get(`/api/tasks/${task.id}`)).body.assignee.id).toBe(winner.body.assignee.id);
  });

  it('a task goes to a colleague of its team or back to the team; never to an outsider, never over a change', async () => {
    const { orderId } = await approvedLine(services.desk);
    const task = await taskOf(orderId);
    const url = `/api/tasks/${task.id}/assign`;
    const outsider = await as.fulfiller.post(url, { assignee: w.outsider.id, from: null });
    expect(outsider.status).toBe(400);
    expect(outsider.body.errors).toEqual([
      { path: 'assignee', message: `is not a fulfiller in ${ops.name}` },
    ]);
    const bystander = await as.fulfiller.post(url, { assignee: people.bystander.id, from: null });
    expect(bystander.body.errors[0].path).toBe('assignee');

    const given = await as.fulfiller.post(url, { assignee: people.colleague.id, from: null });
    expect(given.status).toBe(200);
    expect(given.body.assignee).toMatchObject({ id: people.colleague.id, name: 'Cole Colleague' });
    // Someone who still saw it unassigned cannot take it over silently.
    const stale = await as.fulfiller.post(url, { assignee: w.fulfiller.id, from: null });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toBe('Cole Colleague took this task meanwhile');
    expect((await as.fulfiller.post(`/api/tasks/${task.id}/claim`)).status).toBe(409);
    const back = await as.colleague.post(url, { assignee: null, from: people.colleague.id });
    expect(back.status).toBe(200);
    expect(back.body.assignee).toBeNull();

    const teams = (await as.fulfiller.get('/api/fulfilment/teams')).body.items;
    const mine = teams.find((x: { key: string }) => x.key === ops.key);
    expect(mine.members.map((m: { name: string }) => m.name)).toEqual(['Cole Colleague', 'Fay Fulfiller']);
  });

  it('filters: team, assigned to me or nobody, overdue, and search by order number or requester', async () => {
    const first = await approvedLine(services.desk);
    const second = await approvedLine(services.desk);
    const [one, two] = [await taskOf(first.orderId), await taskOf(second.orderId)];
    expect((await as.fulfiller.post(`/api/tasks/${one.id}/claim`)).status).toBe(200);
    await t.database.db.execute(
      sql`update tasks set due_at = now() - interval '1 hour' where id = ${two.id}`,
    );

    const ids = async (query: string) =>
      ((await as.fulfiller.get(`/api/tasks?limit=200&${query}`)).body.items as { id: string }[]).map(
        (x) => x.id,
      );
    expect(await ids('assignee=me')).toContain(one.id);
    expect(await ids('assignee=me')).not.toContain(two.id);
    expect(await ids('assignee=unassigned')).toContain(two.id);
    expect(await ids('assignee=unassigned')).not.toContain(one.id);
    expect(await ids('overdue=true')).toContain(two.id);
    expect(await ids('overdue=true')).not.toContain(one.id);
    expect(await ids(`q=${first.number.toLowerCase()}`)).toEqual([one.id]);
    expect(await ids(`q=${encodeURIComponent('rita standing')}`)).toEqual(
      expect.arrayContaining([one.id, two.id]),
    );
    expect(await ids('q=nobody-orders-this')).toEqual([]);
    expect(await ids(`team=${ops.key}`)).toEqual(expect.arrayContaining([one.id, two.id]));
    expect(await ids(`team=${w.team.key}`)).not.toContain(one.id);
    // Open tasks come soonest due first: the overdue one before the one due in two days.
    const open = await ids('');
    expect(open.indexOf(two.id)).toBeLessThan(open.indexOf(one.id));

    const foreign = await as.fulfiller.get('/api/tasks?team=no-such-team');
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].path).toBe('query.team');
    expect(
      (await as.outsider.get(`/api/tasks?limit=200`)).body.items.map((x: { id: string }) => x.id),
    ).not.toContain(one.id);
  });
});

describe('needs attention', () => {
  it('a failed step waits for its team with the error; a retry delivers the line', async () => {
    // A refusal for good (a 4xx), not a hiccup: no retries, no clean-up.
    answer = (_type, res) => json(res, 422, { detail: 'the number pool is empty' });
    const { orderId, lineId } = await approvedLine(services.phone);
    const reserve = await taskOf(orderId);
    expect(
      (await as.fulfiller.post(`/api/tasks/${reserve.id}/complete`, { outputs: { extension: '4711' } }))
        .status,
    ).toBe(200);
    await t.jobs.drain();
    const [, activate] = await stepsOf(lineId);
    expect(activate!.status).toBe('failed');

    const item = (await attention(as.fulfiller)).items.find(
      (i: { line: { id: string } }) => i.line.id === lineId,
    );
    expect(item).toMatchObject({
      step: {
        id: activate!.id,
        name: 'Activate the line',
        error: expect.stringContaining('the number pool is empty'),
        by: 'Phone automation',
      },
      team: { key: ops.key },
      order: { id: orderId, requester: { name: 'Rita Requester' } },
      abandonable: true,
      undoes: [`Reserve a number: an “Undo” task for ${ops.name}`],
    });
    expect((await attention(as.fulfiller, `?q=${item.order.number}`)).items).toHaveLength(1);
    const otherTeam = (await attention(as.fulfiller, `?team=${w.team.key}`)).items;
    expect(otherTeam.map((i: { step: { id: string } }) => i.step.id)).not.toContain(activate!.id);
    expect((await as.fulfiller.get('/api/fulfilment/attention?team=no-such-team')).body.errors[0].path).toBe(
      'query.team',
    );
    // Only the step's team (and admins) see it or act on it.
    expect(
      (await attention(as.outsider)).items.map((i: { step: { id: string } }) => i.step.id),
    ).not.toContain(activate!.id);
    expect((await attention(as.admin)).items.map((i: { step: { id: string } }) => i.step.id)).toContain(
      activate!.id,
    );
    expect((await as.outsider.post(`/api/fulfilment/steps/${activate!.id}/retry`)).status).toBe(404);
    expect((await as.requester.post(`/api/fulfilment/steps/${activate!.id}/retry`)).status).toBe(403);

    answer = (_type, res) => json(res, 200, { status: 'done', outputs: { number: '+49 30 4711' } });
    expect((await as.fulfiller.post(`/api/fulfilment/steps/${activate!.id}/retry`)).status).toBe(204);
    expect((await as.fulfiller.post(`/api/fulfilment/steps/${activate!.id}/retry`)).status).toBe(409);
    await t.jobs.drain();
    expect(await lineStatus(orderId)).toBe('delivered');
    expect(
      (await attention(as.fulfiller)).items.map((i: { line: { id: string } }) => i.line.id),
    ).not.toContain(lineId);
  });

  it('abandoning a line undoes its manual steps through "Undo" tasks in the team queue', async () => {
    answer = (_type, res) => json(res, 422, { detail: 'the exchange refuses the number' });
    const { orderId, lineId } = await approvedLine(services.phone);
    const reserve = await taskOf(orderId);
    await as.fulfiller.post(`/api/tasks/${reserve.id}/complete`, { outputs: { extension: '4712' } });
    await t.jobs.drain();
    const url = `/api/fulfilment/lines/${lineId}/abandon`;
    const noReason = await as.fulfiller.post(url, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('reason');
    expect((await as.outsider.post(url, { reason: 'not mine' })).status).toBe(404);
    expect((await as.fulfiller.post(url, { reason: 'The exchange will not take it' })).status).toBe(204);
    await t.jobs.drain();

    const undo = await taskOf(orderId);
    expect(undo).toMatchObject({ kind: 'undo', title: expect.stringMatching(/^Undo Reserve a number: /) });
    expect(undo.dueAt).toEqual(expect.any(String));
    expect(await lineStatus(orderId)).toBe('in_fulfilment');
    expect((await as.fulfiller.post(`/api/tasks/${undo.id}/complete`, {})).status).toBe(200);
    await t.jobs.drain();
    expect(await lineStatus(orderId)).toBe('cancelled');
  });

  it('abandoning a line whose VM was provisioned deprovisions it at the broker, cancels the line and tells the requester', async () => {
    const { orderId, lineId } = await approvedLine(services.vm);
    await until(async () => (await stepsOf(lineId))[1]?.status === 'failed');
    const [create, gpu] = await stepsOf(lineId);
    expect(create!.status).toBe('done');
    const instance = () =>
      fetch(`${broker.url}/v2/service_instances/${create!.id}`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${BROKER.username}:${BROKER.password}`).toString('base64')}`,
          'x-broker-api-version': '2.17',
        },
      });
    expect((await instance()).status).toBe(200);

    const item = (await attention(as.fulfiller)).items.find(
      (i: { step: { id: string } }) => i.step.id === gpu!.id,
    );
    expect(item.step.error).toMatch(/no plan "gpu-monster"/);
    expect(item.undoes).toEqual(['Create the VM: deprovisioned through Cloud broker']);

    const abandoned = await as.fulfiller.post(`/api/fulfilment/lines/${lineId}/abandon`, {
      reason: 'No GPUs in this data centre',
    });
    expect(abandoned.status).toBe(204);
    await until(async () => (await lineStatus(orderId)) === 'cancelled');
    expect((await instance()).status).toBe(404);
    expect((await stepsOf(lineId)).map((s) => s.status)).toEqual(['undone', 'abandoned']);
    const told = (await as.requester.get('/api/notifications?unread=true')).body.items;
    expect(told.map((n: { title: string }) => n.title)).toContain(
      `${(await as.requester.get(`/api/orders/${orderId}`)).body.number}: could not be delivered`,
    );
    // Nothing needs attention any more, so there is nothing left to abandon.
    expect(
      (await as.fulfiller.post(`/api/fulfilment/lines/${lineId}/abandon`, { reason: 'again' })).status,
    ).toBe(409);
  });

  it('a line with no failed step cannot be abandoned', async () => {
    const { lineId } = await approvedLine(services.desk);
    const res = await as.fulfiller.post(`/api/fulfilment/lines/${lineId}/abandon`, { reason: 'bored' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/needs attention/);
    expect((await as.outsider.post(`/api/fulfilment/lines/${lineId}/abandon`, { reason: 'x' })).status).toBe(
      404,
    );
    expect(
      (await as.fulfiller.post(`/api/fulfilment/lines/${randomUUID()}/abandon`, { reason: 'x' })).status,
    ).toBe(404);
  });
});
