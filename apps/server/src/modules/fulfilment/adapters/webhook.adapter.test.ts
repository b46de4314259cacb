import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LineFacts, WebhookCall } from './adapter.ts';
import {
  CallbackBody,
  callbackResult,
  hashCallbackToken,
  webhookAdapter,
  WebhookSettings,
} from './webhook.adapter.ts';

// A real receiver on a loopback port, playing the service owner's automation: it verifies every
// delivery with the Standard Webhooks reference library, refuses what does not verify, records
// what arrived, and then answers however the test tells it to.

interface Delivery {
  headers: Record<string, string>;
  raw: string;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
  verified: boolean;
}

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const verifier = new Webhook(secret);
const deliveries: Delivery[] = [];
let respond: (delivery: Delivery, res: ServerResponse) => void;
let server: Server;
let url: string;

const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, body === undefined ? headers : { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
};

async function receive(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const headers = req.headers as Record<string, string>;
  let verified = true;
  try {
    verifier.verify(raw, headers);
  } catch {
    verified = false;
  }
  const delivery = { headers, raw, body: JSON.parse(raw), verified };
  deliveries.push(delivery);
  if (!verified) {
    return send(
      res,
      401,
      { title: 'Unauthorized', detail: 'webhook signature does not verify' },
      {
        'content-type': 'application/problem+json',
      },
    );
  }
  respond(delivery, res);
}

const line: LineFacts = {
  lineId: 'line-1',
  orderId: 'order-1',
  orderNumber: 'PO-2026-0001',
  service: { slug: 'linux-vm', name: 'Linux VM', version: 3 },
  plan: { slug: 'medium', name: 'Medium' },
  options: { os: 'debian-13' },
  quantity: 1,
  requester: { id: 'user-1', email: 'requester@example.com', name: 'Rita Requester' },
  costCentre: 'CC-1001',
};

const call = (over: Partial<WebhookCall> = {}): WebhookCall => ({
  idempotencyKey: 'ful_step_8f3c2a',
  line,
  config: { playbook: 'create-vm' },
  outputs: { hostname: 'web-1.corp' },
  state: {},
  callbackUrl: 'https://portico.example/api/fulfilment/callbacks/one-time-token',
  ...over,
});

const adapter = (over: Partial<WebhookSettings> = {}) =>
  webhookAdapter({ url, secret, timeoutMs: 2_000, ...over });

beforeAll(async () => {
  server = createServer((req, res) => void receive(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/portico`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  deliveries.length = 0;
  respond = (_, res) => send(res, 500, { detail: 'the test did not say how to answer' });
});

describe('webhook adapter: start', () => {
  it('sends a signed event and takes a synchronous result with outputs and credentials', async () => {
    respond = (_, res) =>
      send(res, 200, {
        status: 'done',
        outputs: { ip: '10.1.2.3' },
        credentials: { rootPassword: 'hunter2' },
        note: 'VM is up',
      });

    const result = await adapter().start(call());

    expect(result).toEqual({
      status: 'done',
      outputs: { ip: '10.1.2.3' },
      credentials: { rootPassword: 'hunter2' },
      note: 'VM is up',
    });
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect(delivery!.verified).toBe(true);
    expect(delivery!.headers).toMatchObject({
      'webhook-id': 'ful_step_8f3c2a',
      'idempotency-key': 'ful_step_8f3c2a',
      'content-type': 'application/json',
    });
    expect(Math.abs(Number(delivery!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(delivery!.body).toEqual({
      type: 'portico.fulfilment.step.requested',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        step: 'ful_step_8f3c2a',
        line,
        config: { playbook: 'create-vm' },
        outputs: { hostname: 'web-1.corp' },
        callbackUrl: 'https://portico.example/api/fulfilment/callbacks/one-time-token',
      },
    });
  });

  it('waits for the callback after a 202, and the callback completes the step', async () => {
    respond = (_, res) => send(res, 202, { progress: 'queued behind 2 other builds' });

    const started = await adapter().start(call());

    expect(started).toMatchObject({ status: 'working', progress: 'queued behind 2 other builds' });
    expect(started).not.toHaveProperty('pollAfterMs');
    if (started.status !== 'working') throw new Error('expected working');
    // Nothing to poll: the adapter keeps waiting with the same state.
    expect(await adapter().poll(call({ state: started.state }))).toEqual({
      status: 'working',
      state: started.state,
    });

    // Later the receiver POSTs its result to the callback URL it was given.
    expect(deliveries[0]!.body.data.callbackUrl).toBe(call().callbackUrl);
    const posted: unknown = JSON.parse('{"status":"done","outputs":{"ip":"10.9.9.9"},"note":"built"}');
    expect(callbackResult(CallbackBody.parse(posted))).toEqual({
      status: 'done',
      outputs: { ip: '10.9.9.9' },
      note: 'built',
    });
  });

  it('treats 200 {"status":"accepted"} like a 202', async () => {
    respond = (_, res) => send(res, 200, { status: 'accepted' });
    const result = await adapter().start(call());
    expect(result).toMatchObject({ status: 'working' });
    expect(result).not.toHaveProperty('pollAfterMs');
  });

  it('re-sends a retry under the same webhook-id, so the receiver can deduplicate', async () => {
    let seen = 0;
    respond = (_, res) => (++seen === 1 ? send(res, 502) : send(res, 200, { status: 'done' }));

    const first = await adapter().start(call());
    const second = await adapter().start(call());

    expect(first).toMatchObject({ status: 'failed', retryable: true });
    expect(second).toEqual({ status: 'done' });
    expect(deliveries.map((d) => d.verified)).toEqual([true, true]);
    expect(deliveries.map((d) => d.headers['webhook-id'])).toEqual(['ful_step_8f3c2a', 'ful_step_8f3c2a']);
    expect(deliveries.map((d) => d.headers['idempotency-key'])).toEqual([
      'ful_step_8f3c2a',
      'ful_step_8f3c2a',
    ]);
  });

  it('is refused by a receiver that checks the signature when the secret is wrong', async () => {
    respond = (_, res) => send(res, 200, { status: 'done' });
    const wrongSecret = `whsec_${randomBytes(32).toString('base64')}`;

    const result = await adapter({ secret: wrongSecret }).start(call());

    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.verified).toBe(false);
    expect(result).toEqual({
      status: 'failed',
      retryable: false,
      error: 'the receiver answered 401 Unauthorized: webhook signature does not verify',
    });
  });

  it('gives up waiting after timeoutMs: retryable and ambiguous (the receiver may have acted)', async () => {
    respond = () => {}; // never answers
    const began = Date.now();

    const result = await adapter({ timeoutMs: 100 }).start(call());

    expect(result).toEqual({
      status: 'failed',
      retryable: true,
      ambiguous: true,
      error: expect.stringMatching(/^no answer from 127\.0\.0\.1:\d+ within 100 ms$/),
    });
    expect(Date.now() - began).toBeLessThan(1_500);
  }, 5_000);

  it('retries a 500, ambiguous because the receiver may have acted before failing', async () => {
    respond = (_, res) => send(res, 500, { detail: 'database is down' });
    expect(await adapter().start(call())).toEqual({
      status: 'failed',
      retryable: true,
      ambiguous: true,
      error: 'the receiver answered 500 Internal Server Error: database is down',
    });
  });

  it('passes a 503 Retry-After on as retryAfterMs', async () => {
    respond = (_, res) => send(res, 503, undefined, { 'retry-after': '7' });
    expect(await adapter().start(call())).toEqual({
      status: 'failed',
      retryable: true,
      ambiguous: true,
      error: 'the receiver answered 503 Service Unavailable',
      retryAfterMs: 7_000,
    });
  });

  it('reads a 429 Retry-After given as a date, and a 429 is not ambiguous', async () => {
    const at = new Date(Date.now() + 60_000);
    respond = (_, res) => send(res, 429, undefined, { 'retry-after': at.toUTCString() });

    const result = await adapter().start(call());

    expect(result).toMatchObject({ status: 'failed', retryable: true, ambiguous: false });
    if (result.status !== 'failed') throw new Error('expected failed');
    expect(result.retryAfterMs).toBeGreaterThan(55_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it.each([408, 425])('retries a %i without calling it ambiguous', async (status) => {
    respond = (_, res) => send(res, status);
    expect(await adapter().start(call())).toMatchObject({
      status: 'failed',
      retryable: true,
      ambiguous: false,
    });
  });

  it("fails for good on a 400, with the problem+json detail as the receiver's reason", async () => {
    respond = (_, res) =>
      send(
        res,
        400,
        {
          type: 'about:blank',
          title: 'Bad Request',
          detail: '  plan "medium" is not sold in region eu-2 \n',
        },
        { 'content-type': 'application/problem+json' },
      );
    expect(await adapter().start(call())).toEqual({
      status: 'failed',
      retryable: false,
      error: 'the receiver answered 400 Bad Request: plan "medium" is not sold in region eu-2',
    });
  });

  it('quotes a plain-text 4xx body, trimmed', async () => {
    respond = (_, res) => {
      res.writeHead(422, { 'content-type': 'text/plain' });
      res.end('\n  quota for CC-1001 exhausted\n');
    };
    expect(await adapter().start(call())).toEqual({
      status: 'failed',
      retryable: false,
      error: 'the receiver answered 422 Unprocessable Entity: quota for CC-1001 exhausted',
    });
  });

  it('reports a redirect instead of following it', async () => {
    respond = (_, res) => send(res, 302, undefined, { location: 'https://elsewhere.example/hook' });
    const result = await adapter().start(call());
    expect(result).toMatchObject({ status: 'failed', retryable: false });
    if (result.status !== 'failed') throw new Error('expected failed');
    expect(result.error).toContain('redirects to https://elsewhere.example/hook');
    expect(deliveries).toHaveLength(1);
  });

  it('retries a refused connection, not ambiguous: nothing reached a receiver', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const result = await adapter({ url: `http://127.0.0.1:${port}/hook` }).start(call());

    expect(result).toEqual({
      status: 'failed',
      retryable: true,
      ambiguous: false,
      error: `could not reach 127.0.0.1:${port} (ECONNREFUSED)`,
    });
  });

  it('retries a connection reset after the request was read, as ambiguous', async () => {
    respond = (_, res) => res.socket?.destroy();
    expect(await adapter().start(call())).toMatchObject({
      status: 'failed',
      retryable: true,
      ambiguous: true,
    });
    expect(deliveries).toHaveLength(1);
  });

  it('fails for good on a malformed 200 body, naming what is wrong, and asks for undo', async () => {
    respond = (_, res) => send(res, 200, { status: 'done', outputs: { ip: '10.1.2.3', port: 8080 } });
    const result = await adapter().start(call());
    expect(result).toMatchObject({ status: 'failed', retryable: false, ambiguous: true });
    if (result.status !== 'failed') throw new Error('expected failed');
    expect(result.error).toMatch(/^the receiver answered 200 OK with a malformed result: outputs\.port: /);
  });

  it.each([
    ['an empty body', '', /with an empty body/],
    ['text', 'OK', /with a body that is not JSON \(OK\)/],
    ['an unknown status', '{"status":"maybe"}', /malformed result: status: /],
  ])('fails for good on a 200 with %s', async (_, body, message) => {
    respond = (_d, res) => {
      res.writeHead(200);
      res.end(body);
    };
    const result = await adapter().start(call());
    expect(result).toMatchObject({ status: 'failed', retryable: false, ambiguous: true });
    if (result.status !== 'failed') throw new Error('expected failed');
    expect(result.error).toMatch(message);
  });

  it('refuses to start without a callback URL, sending nothing', async () => {
    const { callbackUrl: _, ...withoutCallback } = call();
    expect(await adapter().start(withoutCallback)).toMatchObject({ status: 'failed', retryable: false });
    expect(deliveries).toHaveLength(0);
  });
});

describe('webhook adapter: undo', () => {
  it('sends the undo event under its own id, and a 404 means there is nothing left to undo', async () => {
    respond = (_, res) => send(res, 404, { detail: 'no such VM' });

    const result = await adapter().undo(call({ outputs: { hostname: 'web-1.corp', ip: '10.1.2.3' } }));

    expect(result).toMatchObject({ status: 'done' });
    const [delivery] = deliveries;
    expect(delivery!.verified).toBe(true);
    expect(delivery!.headers['webhook-id']).toBe('ful_step_8f3c2a:undo');
    expect(delivery!.headers['idempotency-key']).toBe('ful_step_8f3c2a:undo');
    expect(delivery!.body).toEqual({
      type: 'portico.fulfilment.step.undo',
      timestamp: expect.any(String),
      data: { step: 'ful_step_8f3c2a', line, outputs: { hostname: 'web-1.corp', ip: '10.1.2.3' } },
    });
  });

  it.each([200, 202, 204, 410])('counts %i as undone', async (status) => {
    respond = (_, res) => send(res, status);
    expect(await adapter().undo(call())).toMatchObject({ status: 'done' });
  });

  it('classifies other answers like start does', async () => {
    respond = (_, res) => send(res, 503, undefined, { 'retry-after': '2' });
    expect(await adapter().undo(call())).toMatchObject({
      status: 'failed',
      retryable: true,
      retryAfterMs: 2_000,
    });
    respond = (_, res) =>
      send(res, 403, { detail: 'not yours' }, { 'content-type': 'application/problem+json' });
    expect(await adapter().undo(call())).toEqual({
      status: 'failed',
      retryable: false,
      error: 'the receiver answered 403 Forbidden: not yours',
    });
  });
});

describe('webhook callbacks', () => {
  it('reports a failure the receiver posts, final unless it says otherwise', () => {
    expect(callbackResult(CallbackBody.parse({ status: 'failed', error: 'disk full' }))).toEqual({
      status: 'failed',
      error: 'disk full',
      retryable: false,
    });
    expect(callbackResult(CallbackBody.parse({ status: 'failed', error: 'busy', retryable: true }))).toEqual({
      status: 'failed',
      error: 'busy',
      retryable: true,
    });
  });

  it('refuses malformed callback bodies', () => {
    expect(CallbackBody.safeParse({ status: 'done', outputs: { port: 22 } }).success).toBe(false);
    expect(CallbackBody.safeParse({ status: 'failed' }).success).toBe(false);
    expect(CallbackBody.safeParse({ status: 'failed', error: '   ' }).success).toBe(false);
    expect(CallbackBody.safeParse({ status: 'working' }).success).toBe(false);
  });

  it('stores a callback token as its hash alone', () => {
    const token = 'Xb3kR0q9fJx7T2mPzQ8wVn4cL1sA6dE5gH0iJ9kM2oU';
    const hash = hashCallbackToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashCallbackToken(token)).toBe(hash);
    expect(hashCallbackToken(`${token}x`)).not.toBe(hash);
  });
});

describe('webhook settings', () => {
  it('accepts a Standard Webhooks secret and refuses what is not one', () => {
    const ok = { url: 'https://hooks.example/portico', secret, timeoutMs: 10_000 };
    expect(WebhookSettings.safeParse(ok).success).toBe(true);
    expect(WebhookSettings.safeParse({ ...ok, secret: 'hunter2' }).success).toBe(false);
    expect(WebhookSettings.safeParse({ ...ok, secret: 'whsec_c2hvcnQ=' }).success).toBe(false);
    expect(WebhookSettings.safeParse({ ...ok, url: 'ftp://hooks.example/' }).success).toBe(false);
    expect(WebhookSettings.safeParse({ ...ok, timeoutMs: 0 }).success).toBe(false);
  });

  it('fails the steps of a misconfigured adapter for good, saying why, and sends nothing', async () => {
    const broken = webhookAdapter({ url, secret: 'hunter2', timeoutMs: 1_000 });
    const expected = {
      status: 'failed',
      retryable: false,
      error: 'the webhook adapter is misconfigured: secret: must look like whsec_<base64>',
    };
    expect(await broken.start(call())).toEqual(expected);
    expect(await broken.undo(call())).toEqual(expected);
    expect(deliveries).toHaveLength(0);
  });
});
