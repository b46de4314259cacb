// The failure triggers adapters are tested with: failed operations (orphan mitigation), lost and
// slow answers (timeouts), 500s on the first calls (retries, circuit breakers), stuck operations.
import { describe, expect, it } from 'vitest';
import { bucket, ids, postgres, start, uid, vm } from './osb-client.ts';

const small = ids('virtual-machine', 'small');

describe('failed operations', () => {
  it('fail-provision-: the operation ends failed with a reason; the platform can then deprovision (orphan mitigation)', async () => {
    const { osb } = await start();
    const id = uid('fail-provision-');
    const put = await osb.provision(id, vm());
    expect(put.status).toBe(202);
    const done = await osb.poll(id, String(put.body.operation));
    expect(done.body.state).toBe('failed');
    expect(String(done.body.description).length).toBeGreaterThan(20);
    expect((await osb.fetch(id)).status).toBe(404);

    const del = await osb.deprovision(id, small);
    expect(del.status).toBe(202);
    expect((await osb.poll(id, String(del.body.operation))).status).toBe(410);
  });

  it('a failure probability of 1 fails every provision; a re-sent PUT after the fault is gone tries again', async () => {
    const { osb, broker } = await start({ failures: { provision: 1 } });
    const id = uid();
    const first = await osb.provision(id, postgres());
    expect((await osb.poll(id, String(first.body.operation))).body.state).toBe('failed');

    broker.setFailures({});
    const retry = await osb.provision(id, postgres());
    expect(retry.status).toBe(202);
    expect(retry.body.operation).not.toBe(first.body.operation);
    expect((await osb.poll(id, String(retry.body.operation))).body.state).toBe('succeeded');
  });

  it('fail-update- and fail-deprovision-: the instance stays as it was', async () => {
    const { osb } = await start();
    const id = uid('fail-update-fail-deprovision-');
    await osb.provisioned(id, vm());

    const patch = await osb.update(id, ids('virtual-machine', 'large'));
    expect((await osb.poll(id, String(patch.body.operation))).body.state).toBe('failed');
    expect((await osb.fetch(id)).body.plan_id).toBe(small.plan_id);

    const del = await osb.deprovision(id, small);
    const deleted = await osb.poll(id, String(del.body.operation));
    expect(deleted.status).toBe(200);
    expect(deleted.body.state).toBe('failed');
    expect((await osb.fetch(id)).status).toBe(200);
  });

  it('the same seed replays the same random failures', async () => {
    const outcomes = async () => {
      const { osb } = await start({ failures: { seed: 42, provision: 0.5 } });
      const states: unknown[] = [];
      for (let i = 0; i < 8; i += 1) {
        const id = uid();
        const put = await osb.provision(id, bucket());
        states.push((await osb.poll(id, String(put.body.operation))).body.state);
      }
      return states;
    };
    const a = await outcomes();
    expect(a).toContain('failed');
    expect(a).toContain('succeeded');
    expect(await outcomes()).toEqual(a);
  });

  it('fail-bind- and fail-unbind-: 500 and nothing changes', async () => {
    const { osb } = await start();
    const id = uid();
    await osb.provisioned(id, vm());

    const bid = uid('fail-bind-');
    const bind = await osb.bind(id, bid, small);
    expect(bind.status).toBe(500);
    expect(bind.body.error).toBe('SimulatedFault');
    expect((await osb.fetchBinding(id, bid)).status).toBe(404);

    const keep = uid('fail-unbind-');
    expect((await osb.bind(id, keep, small)).status).toBe(201);
    expect((await osb.unbind(id, keep, small)).status).toBe(500);
    expect((await osb.fetchBinding(id, keep)).status).toBe(200);
  });
});

describe('lost, slow and refused answers', () => {
  it('orphan-: the PUT answers 500 although provisioning started, so the platform must clean up', async () => {
    const { osb } = await start();
    const id = uid('orphan-');
    const put = await osb.provision(id, vm());
    expect(put.status).toBe(500);
    expect(put.body).toEqual({
      error: 'SimulatedFault',
      description: expect.stringContaining('answer was lost'),
    });

    expect((await osb.poll(id)).body.state).toBe('succeeded'); // it exists all the same
    const del = await osb.deprovision(id, small);
    expect((await osb.poll(id, String(del.body.operation))).status).toBe(410);

    const bid = uid('orphan-');
    const other = uid();
    await osb.provisioned(other, vm());
    expect((await osb.bind(other, bid, small)).status).toBe(500);
    expect((await osb.fetchBinding(other, bid)).status).toBe(200);
  });

  it('slow-: the PUT answers only after slowResponseMs, past the client timeout; the work is done', async () => {
    const { osb } = await start({ failures: { slowResponseMs: 1_000 } });
    const id = uid('slow-');
    await expect(osb.provision(id, bucket(), true, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect((await osb.poll(id)).body.state).toBe('succeeded');
  });

  it('stuck-: the operation never leaves "in progress"', async () => {
    const { osb } = await start();
    const id = uid('stuck-');
    const put = await osb.provision(id, bucket());
    await new Promise((r) => setTimeout(r, 100)); // a bucket normally takes 2–6 ms here
    const answer = await osb.lastOperation(id, String(put.body.operation));
    expect(answer.body.state).toBe('in progress');
  });

  it('flaky<N>-: the first N calls naming the id answer 500, then it works', async () => {
    const { osb } = await start();
    const id = uid('flaky2-');
    expect((await osb.provision(id, vm())).status).toBe(500);
    expect((await osb.provision(id, vm())).status).toBe(500);
    expect((await osb.lastOperation(id)).status).toBe(404); // 500s changed nothing
    expect((await osb.provision(id, vm())).status).toBe(202);
  });

  it('http500FirstCalls: the first N requests fail, whatever they are; http500Rate: at random', async () => {
    const { osb, broker } = await start({ failures: { http500FirstCalls: 3 } });
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await osb.catalog()).status);
    expect(statuses).toEqual([500, 500, 500, 200, 200]);

    broker.setFailures({ http500Rate: 1 });
    expect((await osb.catalog()).status).toBe(500);
    broker.setFailures({});
    expect((await osb.catalog()).status).toBe(200);
  });

  it('http500Next: from when it is set, the next N requests naming a text fail; others go through', async () => {
    const { osb, broker } = await start();
    const id = uid();
    const order = { ...vm(), context: { platform: 'portico', order_number: 'ORD-000042' } };
    expect((await osb.catalog()).status).toBe(200);

    broker.setFailures({ http500Next: { count: 2, matching: 'ORD-000042' } });
    expect((await osb.catalog()).status).toBe(200); // does not name it
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await osb.provision(id, order)).status);
    expect(statuses).toEqual([500, 500, 202]);
    expect((await osb.provision(uid(), order)).status).toBe(202); // two, and no more

    broker.setFailures({ http500Next: { count: 1 } }); // anything
    expect((await osb.catalog()).status).toBe(500);
    expect((await osb.catalog()).status).toBe(200);
  });

  it('responseDelayMs: every answer waits', async () => {
    const { osb } = await start({ failures: { responseDelayMs: 150 } });
    const before = Date.now();
    expect((await osb.catalog()).status).toBe(200);
    expect(Date.now() - before).toBeGreaterThanOrEqual(140);
  });
});
