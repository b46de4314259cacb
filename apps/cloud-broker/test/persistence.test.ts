import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker } from '../src/index.ts';
import { STATE_FILE } from '../src/state.store.ts';
import { PASSWORD, USER, ids, postgres, start, uid } from './osb-client.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-broker-test-'));
  dirs.push(dir);
  return dir;
};

describe('state survives a restart', () => {
  it('keeps instances, bindings and operations, and finishes an operation that ran while it was down', async () => {
    const dir = dataDir();
    const plan = ids('managed-postgresql', 'dev');
    const ready = uid();
    const running = uid();
    const bid = uid();

    // timeScale 0.01: a dev database takes 0.6–0.9 s, long enough to stop the broker mid-way.
    const { broker: first, osb: osb1 } = await start({ timeScale: 0.01, dataDir: dir });
    await osb1.provisioned(ready, postgres());
    const credentials = (await osb1.bind(ready, bid, plan)).body;
    const put = await osb1.provision(running, postgres());
    expect((await osb1.lastOperation(running)).body.state).toBe('in progress');
    await first.close();

    // Atomic writes leave the state file and nothing else behind.
    expect(readdirSync(dir)).toEqual([STATE_FILE]);
    expect(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8'))).toMatchObject({ version: 1 });

    const { osb } = await start({ timeScale: 0.01, dataDir: dir });
    expect((await osb.fetch(ready)).status).toBe(200);
    expect((await osb.fetchBinding(ready, bid)).body).toMatchObject(credentials);
    expect((await osb.bind(ready, bid, plan)).status).toBe(200); // still the same binding
    const done = await osb.poll(running, String(put.body.operation));
    expect(done.body).toEqual({ state: 'succeeded', description: 'The database was created.' });
  });

  it('remembers deletions: 410 after a restart', async () => {
    const dir = dataDir();
    const id = uid();
    const plan = ids('managed-postgresql', 'dev');
    const { broker: first, osb: osb1 } = await start({ dataDir: dir });
    await osb1.provisioned(id, postgres());
    const del = await osb1.deprovision(id, plan);
    expect((await osb1.poll(id, String(del.body.operation))).status).toBe(410);
    await first.close();

    const { osb } = await start({ dataDir: dir });
    expect((await osb.lastOperation(id)).status).toBe(410);
    expect((await osb.deprovision(id, plan)).status).toBe(410);
  });

  it('refuses to start over a corrupt state file, naming it', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, STATE_FILE), '{"version": 1, "instances": ');
    await expect(startBroker({ username: USER, password: PASSWORD, dataDir: dir })).rejects.toThrow(
      STATE_FILE,
    );
  });

  it('keeps nothing without a data directory', async () => {
    const id = uid();
    const { osb, broker } = await start();
    await osb.provisioned(id, postgres());
    await broker.close();
    const { osb: fresh } = await start();
    expect((await fresh.fetch(id)).status).toBe(404);
  });
});
