import { describe, expect, it } from 'vitest';
import { WATCH_TIME_SCALE, bucket, ids, postgres, start, uid, vm } from './osb-client.ts';

describe('bindings (PUT/GET/DELETE /v2/service_instances/:id/service_bindings/:bid)', () => {
  it('hands out database credentials: host, port, user, password, uri; unique per binding', async () => {
    const { osb } = await start();
    const id = uid();
    await osb.provisioned(id, postgres({ databaseName: 'billing' }));
    const plan = ids('managed-postgresql', 'dev');

    const first = await osb.bind(id, uid(), { ...plan, bind_resource: { app_guid: 'app-1' } });
    expect(first.status).toBe(201);
    const c = first.body.credentials as Record<string, unknown>;
    expect(c).toMatchObject({ port: 5432, database: 'billing', readOnly: false, sslmode: 'require' });
    expect(c.host).toMatch(/^pg-[0-9a-f]{8}\.dc1\.db\.cloud\.example\.com$/);
    expect(String(c.password).length).toBeGreaterThanOrEqual(24);
    expect(c.uri).toBe(
      `postgresql://${String(c.username)}:${String(c.password)}@${String(c.host)}:5432/billing?sslmode=require`,
    );
    expect(first.body.endpoints).toEqual([{ host: c.host, ports: ['5432'], protocol: 'tcp' }]);

    const second = await osb.bind(id, uid(), { ...plan, parameters: { readOnly: true } });
    const d = second.body.credentials as Record<string, unknown>;
    expect(d.host).toBe(c.host);
    expect(d.username).not.toBe(c.username);
    expect(d.password).not.toBe(c.password);
    expect(d.readOnly).toBe(true);
  });

  it('hands out access keys for buckets and an SSH login for Linux VMs (RDP for Windows)', async () => {
    const { osb } = await start();
    const b = uid();
    await osb.provisioned(b, bucket({ bucketName: `logs-${Date.now()}`, region: 'dc2' }));
    const keys = (await osb.bind(b, uid(), ids('object-storage', '1tb'))).body.credentials as Record<
      string,
      unknown
    >;
    expect(keys).toMatchObject({
      endpoint: 'https://s3.dc2.cloud.example.com',
      region: 'dc2',
      readOnly: false,
    });
    expect(keys.accessKeyId).toMatch(/^PTC[0-9A-F]{17}$/);
    expect(String(keys.secretAccessKey).length).toBeGreaterThanOrEqual(40);
    expect(keys.uri).toBe(`s3://${String(keys.bucket)}`);

    const linux = uid();
    await osb.provisioned(linux, vm({ hostname: `build-${process.pid}` }));
    const ssh = (
      await osb.bind(linux, uid(), { ...ids('virtual-machine', 'small'), parameters: { username: 'rita' } })
    ).body.credentials as Record<string, unknown>;
    expect(ssh).toMatchObject({
      protocol: 'ssh',
      port: 22,
      username: 'rita',
      host: `build-${process.pid}.dc1.cloud.example.com`,
    });
    expect(ssh.uri).toBe(`ssh://rita@build-${process.pid}.dc1.cloud.example.com:22`);

    const windows = uid();
    await osb.provisioned(windows, vm({ os: 'windows-server-2025' }));
    const rdp = (await osb.bind(windows, uid(), ids('virtual-machine', 'small'))).body.credentials as Record<
      string,
      unknown
    >;
    expect(rdp).toMatchObject({ protocol: 'rdp', port: 3389 });
  });

  it('is idempotent (200 with the same credentials), 409 on different attributes, fetchable, and unbinds once', async () => {
    const { osb } = await start();
    const id = uid();
    const bid = uid();
    const plan = ids('managed-postgresql', 'dev');
    await osb.provisioned(id, postgres());

    const created = await osb.bind(id, bid, plan);
    expect(created.status).toBe(201);
    const again = await osb.bind(id, bid, plan);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    const different = await osb.bind(id, bid, { ...plan, parameters: { readOnly: true } });
    expect(different.status).toBe(409);

    const fetched = await osb.fetchBinding(id, bid);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual({ ...created.body, parameters: { readOnly: false } });

    expect(await osb.unbind(id, bid, plan)).toMatchObject({ status: 200, body: {} });
    expect((await osb.unbind(id, bid, plan)).status).toBe(410);
    expect((await osb.fetchBinding(id, bid)).status).toBe(404);
  });

  it('refuses to bind an instance that is not ready, does not exist, or with bad parameters', async () => {
    const { osb } = await start({ timeScale: WATCH_TIME_SCALE });
    const plan = ids('managed-postgresql', 'dev');
    expect((await osb.bind(uid(), uid(), plan)).status).toBe(404);

    const id = uid();
    await osb.provision(id, postgres());
    const early = await osb.bind(id, uid(), plan);
    expect(early.status).toBe(422);
    expect(early.body.error).toBe('ConcurrencyError');

    const ready = uid();
    const { osb: fast } = await start();
    await fast.provisioned(ready, postgres());
    const bad = await fast.bind(ready, uid(), { ...plan, parameters: { readOnly: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.description).toContain('parameters.readOnly');
    const rotation = await fast.bind(ready, uid(), { ...plan, predecessor_binding_id: 'old' });
    expect(rotation.status).toBe(400);
  });

  it('drops the bindings of a deprovisioned instance', async () => {
    const { osb } = await start();
    const id = uid();
    const bid = uid();
    const plan = ids('object-storage', '1tb');
    await osb.provisioned(id, bucket());
    await osb.bind(id, bid, plan);
    const del = await osb.deprovision(id, plan);
    expect((await osb.poll(id, String(del.body.operation))).status).toBe(410);
    expect((await osb.fetchBinding(id, bid)).status).toBe(404);
  });
});
