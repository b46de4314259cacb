import { describe, expect, it } from 'vitest';
import { WATCH_TIME_SCALE, bucket, ids, postgres, start, uid, vm } from './osb-client.ts';

describe('provisioning (PUT /v2/service_instances/:id)', () => {
  it('accepts asynchronously, reports progress, and succeeds; the instance is then fetchable', async () => {
    const { osb } = await start({ timeScale: WATCH_TIME_SCALE });
    const id = uid();
    const put = await osb.provision(id, postgres({ highAvailability: true }));
    expect(put.status).toBe(202);
    expect(put.body.operation).toMatch(/^provision-[0-9a-f]{12}$/);
    expect(put.body.metadata).toMatchObject({
      labels: { service: 'managed-postgresql', plan: 'dev' },
      attributes: { port: 5432, region: 'dc1', vcpu: 2, memoryGb: 4, storageGb: 20 },
    });

    const during = await osb.lastOperation(id, String(put.body.operation));
    expect(during.status).toBe(200);
    expect(during.body.state).toBe('in progress');
    expect(during.body.description).toMatch(/^Creating database: .+ \(\d+% complete\)\.$/);
    expect((await osb.fetch(id)).status).toBe(404); // spec: 404 while provisioning

    const done = await osb.poll(id, String(put.body.operation));
    expect(done.body).toEqual({ state: 'succeeded', description: 'The database was created.' });

    const fetched = await osb.fetch(id);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({
      ...ids('managed-postgresql', 'dev'),
      // the schema's defaults are filled in
      parameters: {
        databaseName: 'orders',
        version: '17',
        highAvailability: true,
        extensions: [],
        region: 'dc1',
      },
      maintenance_info: { version: '17.6.0' },
    });
  });

  it('answers 422 AsyncRequired without accepts_incomplete=true, and creates nothing', async () => {
    const { osb } = await start();
    const id = uid();
    const put = await osb.provision(id, vm(), false);
    expect(put.status).toBe(422);
    expect(put.body).toEqual({
      error: 'AsyncRequired',
      description: expect.stringContaining('accepts_incomplete'),
    });
    expect((await osb.lastOperation(id)).status).toBe(404);
    expect((await osb.provision(id, vm(), true)).status).toBe(202); // the id is still free
  });

  it('is idempotent: the same PUT gets 202 with the same operation while running, then 200', async () => {
    const { osb } = await start({ timeScale: WATCH_TIME_SCALE });
    const id = uid();
    const body = vm({ extraDiskGb: 20 });
    const first = await osb.provision(id, body);
    expect(first.status).toBe(202);

    // Same attributes, keys in another order and a default spelled out: still the same request.
    const again = await osb.provision(id, {
      plan_id: body.plan_id,
      service_id: body.service_id,
      parameters: { region: 'dc1', extraDiskGb: 20 },
    });
    expect(again.status).toBe(202);
    expect(again.body.operation).toBe(first.body.operation);

    await osb.poll(id, String(first.body.operation));
    const after = await osb.provision(id, body);
    expect(after.status).toBe(200);
    expect(after.body.operation).toBeUndefined();
  });

  it('answers 409 Conflict when the same id comes with different attributes', async () => {
    const { osb } = await start();
    const id = uid();
    expect((await osb.provision(id, vm({}, 'small'))).status).toBe(202);
    const otherPlan = await osb.provision(id, vm({}, 'large'));
    expect(otherPlan.status).toBe(409);
    expect(otherPlan.body).toMatchObject({ error: 'Conflict', description: expect.stringContaining(id) });
    const otherParameters = await osb.provision(id, vm({ os: 'rhel-9' }, 'small'));
    expect(otherParameters.status).toBe(409);
  });

  it('answers 400 with what is wrong and where for bad parameters, plans and bodies', async () => {
    const { osb } = await start();
    const bad = async (body: unknown) => {
      const answer = await osb.request('PUT', `/v2/service_instances/${uid()}`, {
        body,
        query: { accepts_incomplete: 'true' },
      });
      expect(answer.status).toBe(400);
      expect(Object.keys(answer.body).sort()).toEqual(['description', 'error']);
      return answer.body;
    };

    expect(await bad(vm({ extraDiskGb: 15 }))).toEqual({
      error: 'InvalidParameters',
      description: 'parameters.extraDiskGb: Invalid number: must be a multiple of 10 (got 15)',
    });
    expect((await bad(vm({ region: 'mars' }))).description).toContain('parameters.region');
    expect((await bad(vm({ cpu: 64 }))).description).toBe('parameters.cpu: unknown field, not in the schema');
    expect((await bad(postgres({ databaseName: undefined }))).description).toContain(
      'parameters.databaseName',
    );
    expect((await bad({ ...vm(), plan_id: ids('object-storage', '1tb').plan_id })).description).toMatch(
      /^body\.plan_id: .* is not a plan of virtual-machine$/,
    );
    expect((await bad({ ...vm(), service_id: 'nope' })).description).toContain('body.service_id');
    expect((await bad({ plan_id: 'x' })).description).toContain('body.service_id');
    expect((await bad('{not json')).error).toBe('BadRequest');
    expect((await bad('[1,2]')).description).toBe('body: must be a JSON object');
  });

  it('refuses a taken bucket name, and a maintenance version the catalog does not offer', async () => {
    const { osb } = await start();
    const body = bucket();
    await osb.provisioned(uid(), body);
    const taken = await osb.provision(uid(), body);
    expect(taken.status).toBe(400);
    expect(taken.body.description).toContain('is already in use');

    const stale = await osb.provision(uid(), { ...vm(), maintenance_info: { version: '2020.1.0' } });
    expect(stale.status).toBe(422);
    expect(stale.body.error).toBe('MaintenanceInfoConflict');
  });
});

describe('updating (PATCH /v2/service_instances/:id)', () => {
  it('changes the plan asynchronously; the instance shows the new plan afterwards', async () => {
    const { osb } = await start({ timeScale: WATCH_TIME_SCALE });
    const id = uid();
    await osb.provisioned(id, vm({}, 'small'));
    const patch = await osb.update(id, {
      ...ids('virtual-machine', 'large'),
      parameters: { extraDiskGb: 100 },
    });
    expect(patch.status).toBe(202);
    expect(patch.body.operation).toMatch(/^update-/);

    expect((await osb.fetch(id)).body.error).toBe('ConcurrencyError'); // spec: 422 while updating
    const again = await osb.update(id, {
      ...ids('virtual-machine', 'large'),
      parameters: { extraDiskGb: 100 },
    });
    expect(again.body.operation).toBe(patch.body.operation);
    const other = await osb.update(id, ids('virtual-machine', 'medium'));
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('ConcurrencyError');

    expect((await osb.poll(id, String(patch.body.operation))).body.state).toBe('succeeded');
    const fetched = await osb.fetch(id);
    expect(fetched.body.plan_id).toBe(ids('virtual-machine', 'large').plan_id);
    expect(fetched.body.parameters).toMatchObject({ extraDiskGb: 100 });
    expect(fetched.body.metadata).toMatchObject({ attributes: { vcpu: 8, memoryGb: 32 } });

    // Sent again once applied (a platform that crashed before recording the answer): nothing is
    // left to change, so 200 at once and no second operation.
    const late = await osb.update(id, {
      ...ids('virtual-machine', 'large'),
      parameters: { extraDiskGb: 100 },
    });
    expect(late).toMatchObject({ status: 200, body: {} });
    expect((await osb.lastOperation(id)).body.state).toBe('succeeded');
  });

  it('answers 200 {} at once when nothing changes, and 422 without accepts_incomplete when something does', async () => {
    const { osb } = await start();
    const id = uid();
    await osb.provisioned(id, vm());
    const same = await osb.update(
      id,
      { service_id: ids('virtual-machine', 'small').service_id, context: { platform: 'portico' } },
      false,
    );
    expect(same).toMatchObject({ status: 200, body: {} });
    const sync = await osb.update(id, ids('virtual-machine', 'medium'), false);
    expect(sync.status).toBe(422);
    expect(sync.body.error).toBe('AsyncRequired');
  });

  it('refuses changes the simulated cloud cannot make', async () => {
    const { osb } = await start();
    const id = uid();
    await osb.provisioned(id, postgres({ version: '16' }, 'standard'));
    const { service_id } = ids('managed-postgresql', 'standard');

    const smaller = await osb.update(id, ids('managed-postgresql', 'dev'));
    expect(smaller.status).toBe(422);
    expect(smaller.body.error).toBe('ChangeNotSupported');

    const fixed = await osb.update(id, { service_id, parameters: { databaseName: 'other' } });
    expect(fixed.status).toBe(400);
    expect(fixed.body.description).toBe(
      'parameters.databaseName: cannot be changed after provisioning; create a new instance',
    );

    const downgrade = await osb.update(id, { service_id, parameters: { version: '15' } });
    expect(downgrade.status).toBe(422);

    const upgrade = await osb.update(id, {
      service_id,
      parameters: { version: '17', highAvailability: true },
    });
    expect(upgrade.status).toBe(202);
    expect((await osb.poll(id, String(upgrade.body.operation))).body.state).toBe('succeeded');
    expect((await osb.fetch(id)).body.parameters).toMatchObject({ version: '17', highAvailability: true });
  });

  it('answers 404 for an unknown instance', async () => {
    const { osb } = await start();
    expect((await osb.update(uid(), ids('virtual-machine', 'small'))).status).toBe(404);
  });
});

describe('deprovisioning (DELETE /v2/service_instances/:id)', () => {
  it('deletes asynchronously; afterwards last_operation, DELETE and GET say the instance is gone', async () => {
    const { osb } = await start({ timeScale: 0.1 }); // a bucket takes 0.1–0.4 s to delete
    const id = uid();
    const plan = ids('object-storage', '1tb');
    await osb.provisioned(id, bucket());

    const del = await osb.deprovision(id, plan);
    expect(del.status).toBe(202);
    expect(del.body.operation).toMatch(/^deprovision-/);
    expect((await osb.deprovision(id, plan)).body.operation).toBe(del.body.operation); // re-sent: same operation

    const done = await osb.poll(id, String(del.body.operation));
    expect(done.status).toBe(410);
    expect(done.body).toEqual({});
    expect((await osb.deprovision(id, plan)).status).toBe(410);
    expect((await osb.fetch(id)).status).toBe(404);
  });

  it('answers 410 for an instance it never had, and 400 without service_id and plan_id', async () => {
    const { osb } = await start();
    expect((await osb.deprovision(uid(), ids('virtual-machine', 'small'))).status).toBe(410);
    const id = uid();
    await osb.provisioned(id, vm());
    const missing = await osb.request('DELETE', `/v2/service_instances/${id}`, {
      query: { accepts_incomplete: 'true' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.description).toContain('query.service_id');
  });

  it('requires accepts_incomplete=true', async () => {
    const { osb } = await start();
    const id = uid();
    await osb.provisioned(id, vm());
    const sync = await osb.deprovision(id, ids('virtual-machine', 'small'), false);
    expect(sync.status).toBe(422);
    expect(sync.body.error).toBe('AsyncRequired');
  });

  it('halts a provision in progress and deletes what it made', async () => {
    const { osb } = await start({ timeScale: WATCH_TIME_SCALE });
    const id = uid();
    const put = await osb.provision(id, vm());
    const del = await osb.deprovision(id, ids('virtual-machine', 'small'));
    expect(del.status).toBe(202);
    const provision = await osb.lastOperation(id, String(put.body.operation));
    expect(provision.body).toEqual({
      state: 'failed',
      description: 'Provisioning was cancelled by a deprovision request.',
    });
    expect((await osb.poll(id, String(del.body.operation))).status).toBe(410);
  });
});
