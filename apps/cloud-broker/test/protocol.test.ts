import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { postgres, start, uid, vm } from './osb-client.ts';

describe('OSB headers, authentication and errors', () => {
  it('answers 401 with a Basic challenge without credentials or with wrong ones', async () => {
    const { osb } = await start();
    const none = await osb.request('GET', '/v2/catalog', { noAuth: true });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="portico-cloud-broker"');
    expect(none.body.error).toBe('Unauthorized');

    const wrong = await osb.request('GET', '/v2/catalog', {
      noAuth: true,
      headers: { authorization: `Basic ${Buffer.from('platform:guess').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    // Authentication comes first: nothing about the request is judged before it.
    expect(
      (await osb.request('PUT', `/v2/service_instances/${uid()}`, { noAuth: true, body: vm() })).status,
    ).toBe(401);
  });

  it('answers 412 when X-Broker-API-Version is missing, not 2.x, or older than 2.13', async () => {
    const { osb } = await start();
    const missing = await osb.request('GET', '/v2/catalog', { noVersion: true });
    expect(missing.status).toBe(412);
    expect(missing.body).toEqual({
      error: 'UnsupportedApiVersion',
      description: expect.stringContaining('the header is missing'),
    });
    for (const version of ['1.0', '2.12', '3.0', 'latest']) {
      const answer = await osb.request('GET', '/v2/catalog', {
        noVersion: true,
        headers: { 'x-broker-api-version': version },
      });
      expect(answer.status, version).toBe(412);
    }
    for (const version of ['2.13', '2.14', '2.17', '2.99']) {
      const answer = await osb.request('GET', '/v2/catalog', {
        noVersion: true,
        headers: { 'x-broker-api-version': version },
      });
      expect(answer.status, version).toBe(200);
    }
  });

  it('echoes X-Broker-API-Request-Identity and accepts an originating identity (even a malformed one)', async () => {
    const { osb } = await start();
    const identity = Buffer.from(JSON.stringify({ user_id: 'rita@example.com' })).toString('base64');
    const put = await osb.provision(uid(), vm(), true, {
      headers: {
        'x-broker-api-request-identity': 'req-42',
        'x-broker-api-originating-identity': `portico ${identity}`,
      },
    });
    expect(put.status).toBe(202);
    expect(put.headers.get('x-broker-api-request-identity')).toBe('req-42');

    const odd = await osb.request('GET', '/v2/catalog', {
      headers: { 'x-broker-api-originating-identity': 'no-value' },
    });
    expect(odd.status).toBe(200);
    expect(odd.headers.get('x-broker-api-request-identity')).toBeNull();
  });

  it('logs the originating identity and the platform request id with what was asked', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const { osb } = await start({ logger: pino({ level: 'info' }, sink) });
    const identity = Buffer.from(JSON.stringify({ user_id: 'rita@example.com' })).toString('base64');
    const id = uid();
    await osb.provision(id, vm(), true, {
      headers: {
        'x-broker-api-request-identity': 'req-77',
        'x-broker-api-originating-identity': `portico ${identity}`,
      },
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'provision',
        instanceId: id,
        reqId: 'req-77',
        originatingIdentity: { platform: 'portico', value: { user_id: 'rita@example.com' } },
      }),
    );
  });

  it('suggests a polling interval with Retry-After when an operation has seconds to go', async () => {
    const { osb } = await start({ timeScale: 1 }); // demo speed: a database takes minutes
    const id = uid();
    const put = await osb.provision(id, postgres());
    const answer = await osb.lastOperation(id, String(put.body.operation));
    expect(answer.body.state).toBe('in progress');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(10);
  });

  it('answers unknown endpoints with an OSB error body, and serves /healthz without credentials', async () => {
    const { osb } = await start();
    const unknown = await osb.request('GET', '/v2/nothing');
    expect(unknown).toMatchObject({ status: 404, body: { error: 'NotFound' } });
    const health = await osb.request('GET', '/healthz', { noAuth: true, noVersion: true });
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('processes a JSON body sent without a JSON content type (spec: MAY), and 400s one that is not JSON', async () => {
    const { broker } = await start();
    const auth = `Basic ${Buffer.from('platform:correct horse battery staple').toString('base64')}`;
    const send = (body: string) =>
      fetch(`${broker.url}/v2/service_instances/${uid()}?accepts_incomplete=true`, {
        method: 'PUT',
        headers: { authorization: auth, 'x-broker-api-version': '2.17', 'content-type': 'text/plain' },
        body,
      });
    expect((await send(JSON.stringify(vm()))).status).toBe(202);
    const bad = await send('service_id=1');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'BadRequest' });
  });
});
