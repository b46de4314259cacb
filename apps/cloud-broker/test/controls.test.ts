// The test double's controls under /admin: what a test in another process (the browser journey)
// uses instead of `setFailures`, and to see what the broker holds.
import { describe, expect, it } from 'vitest';
import { ids, start, uid, vm } from './osb-client.ts';

describe('PUT /admin/faults', () => {
  it('switches the faults of the running broker; needs the basic auth, not the OSB version header', async () => {
    const { osb } = await start();
    const faults = { http500Next: { count: 2, matching: 'vm-e2e-flaky' } };
    expect((await osb.request('PUT', '/admin/faults', { body: faults, noAuth: true })).status).toBe(401);

    const set = await osb.request('PUT', '/admin/faults', { body: faults, noVersion: true });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ faults });

    const id = uid();
    const body = vm({ hostname: 'vm-e2e-flaky' });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await osb.provision(id, body)).status);
    expect(statuses).toEqual([500, 500, 202]);

    // Back to no faults.
    expect((await osb.request('PUT', '/admin/faults', { body: {} })).status).toBe(200);
  });

  it('refuses what it does not know, naming it', async () => {
    const { osb } = await start();
    const answer = await osb.request('PUT', '/admin/faults', { body: { http500Nxt: { count: 2 } } });
    expect(answer.status).toBe(400);
    expect(String(answer.body.description)).toContain('http500Nxt');
    const count = await osb.request('PUT', '/admin/faults', { body: { http500Next: { count: 0 } } });
    expect(count.status).toBe(400);
    expect(String(count.body.description)).toContain('http500Next.count');
  });
});

describe('GET /admin/instances', () => {
  it('lists every instance with its service, plan, status and context, deleted ones too', async () => {
    const { osb } = await start();
    const kept = uid();
    const gone = uid();
    const context = { platform: 'portico', order_number: 'ORD-000007' };
    await osb.provisioned(kept, { ...vm({ hostname: 'vm-kept' }), context });
    await osb.provisioned(gone, vm());
    const del = await osb.deprovision(gone, ids('virtual-machine', 'small'));
    await osb.poll(gone, String(del.body.operation));

    const answer = await osb.request('GET', '/admin/instances', { noVersion: true });
    expect(answer.status).toBe(200);
    const instances = answer.body.instances as Record<string, unknown>[];
    const byId = new Map(instances.map((i) => [i.id, i]));
    expect(byId.get(kept)).toMatchObject({
      service: 'virtual-machine',
      plan: 'small',
      status: 'provisioned',
      parameters: { hostname: 'vm-kept' },
      context,
      deletedAt: null,
    });
    expect(byId.get(gone)).toMatchObject({ status: 'deleted' });
    expect(byId.get(gone)?.deletedAt).toEqual(expect.any(String));
    expect((await osb.request('GET', '/admin/instances', { noAuth: true })).status).toBe(401);
  });
});
