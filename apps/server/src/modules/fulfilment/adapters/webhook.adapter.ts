// The HTTP webhook adapter: POSTs a signed event to a receiver that the service owner runs, and
// turns every way that can end into a StepResult the engine can act on.
//
// Signing follows Standard Webhooks (webhook-id / webhook-timestamp / webhook-signature), so a
// receiver can verify with any of that project's libraries. The webhook-id is the step's
// idempotency key, identical on every re-send, which is what lets the receiver deduplicate; the
// timestamp and signature are fresh per attempt (receivers reject timestamps older than 5 min).
//
// Outcomes, for the engine (details in httpFailure() and networkFailure()):
//   done                    – the receiver did the work synchronously
//   working, no pollAfterMs – accepted; the receiver reports later through the callback URL
//   failed, retryable       – try again with backoff; `ambiguous` when the receiver may have acted
//   failed, final           – the receiver said no (or answered nonsense) for good
import { STATUS_CODES } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { sha256 } from '../../../platform/crypto.ts';
import type { Adapter, StepCall, StepResult, WebhookCall } from './adapter.ts';
import { maybeSent, networkErrorCode, parseRetryAfter, readCapped, timedOut } from './http.ts';

export const STEP_REQUESTED = 'portico.fulfilment.step.requested';
export const STEP_UNDO = 'portico.fulfilment.step.undo';

/** A receiver's answer is read up to this size; a bigger success answer is refused. */
const MAX_BODY_BYTES = 1024 * 1024;
/** How much of a receiver's error message ends up in the step's error. */
const MAX_MESSAGE_CHARS = 500;

export const WebhookSettings = z.object({
  url: z.url({ protocol: /^https?$/ }),
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, { message: 'must look like whsec_<base64>', abort: true })
    // Standard Webhooks recommends 24 to 64 random bytes.
    .refine((s) => Buffer.from(s.slice('whsec_'.length), 'base64').length >= 24, {
      message: 'must hold at least 24 bytes',
      abort: true,
    })
    .refine(signable, { message: 'is not base64 the signing library can read' }),
  timeoutMs: z.number().int().positive().max(300_000),
});
export type WebhookSettings = z.infer<typeof WebhookSettings>;

const StringMap = z.record(z.string(), z.string());

const DoneBody = z.object({
  status: z.literal('done'),
  outputs: StringMap.optional(),
  credentials: StringMap.optional(),
  note: z.string().optional(),
});

/** What a receiver POSTs to the callback URL when it answered 202 earlier. */
export const CallbackBody = z.discriminatedUnion('status', [
  DoneBody,
  z.object({
    status: z.literal('failed'),
    error: z.string().trim().min(1),
    retryable: z.boolean().optional(),
  }),
]);
export type CallbackBody = z.infer<typeof CallbackBody>;

/** What a receiver may answer synchronously with 200/201. */
const SyncAnswer = z.discriminatedUnion('status', [
  DoneBody,
  z.object({ status: z.literal('accepted'), progress: z.string().optional() }),
]);

export function webhookAdapter(settings: WebhookSettings): Adapter {
  // Bad settings fail every step for good, with the reason, rather than throwing where the
  // engine builds the adapter (outside the code that records a step's failure).
  const checked = WebhookSettings.safeParse(settings);
  if (!checked.success) {
    const failure = final(`the webhook adapter is misconfigured: ${describeIssues(checked.error.issues)}`);
    return {
      start: async () => failure,
      poll: async (call) => ({ status: 'working', state: call.state }),
      undo: async () => failure,
    };
  }
  const signer = new Webhook(settings.secret);
  const host = new URL(settings.url).host;

  async function send(messageId: string, type: string, data: object): Promise<Answer> {
    const now = new Date();
    const payload = JSON.stringify({ type, timestamp: now.toISOString(), data });
    try {
      const response = await fetch(settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, application/problem+json;q=0.9, */*;q=0.1',
          'user-agent': 'Portico fulfilment webhook',
          'idempotency-key': messageId,
          'webhook-id': messageId,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signer.sign(messageId, now, payload),
        },
        body: payload,
        // A 301/302 would turn the POST into a GET, and a signed request has no business
        // following a receiver elsewhere: a redirect is reported, not followed.
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      const body = await readCapped(response, MAX_BODY_BYTES);
      return { kind: 'answer', response, ...body };
    } catch (error) {
      return { kind: 'error', error };
    }
  }

  return {
    async start(call) {
      if (!('callbackUrl' in call) || !call.callbackUrl) {
        return final('the webhook step was started without a callback URL (engine bug)');
      }
      const answer = await send(call.idempotencyKey, STEP_REQUESTED, requestedData(call));
      if (answer.kind === 'error') return networkFailure(answer.error, host, settings.timeoutMs);
      const { response, text, truncated } = answer;
      const status = response.status;

      if (status === 200 || status === 201) return syncAnswer(status, text, truncated);
      if (status === 202) {
        return { status: 'working', state: { acceptedAt: new Date().toISOString() }, ...progressOf(text) };
      }
      if (status >= 200 && status < 300) {
        return final(`${statusLine(status)} is not a result: answer 200 with {"status":"done"} or 202`, true);
      }
      return httpFailure(response, text);
    },

    // Nothing to ask a webhook receiver: it calls back. When waiting has gone on long enough is
    // the engine's call (a callback deadline), not something a poll can find out.
    async poll(call) {
      return { status: 'working', state: call.state };
    },

    async undo(call) {
      const key = `${call.idempotencyKey}:undo`;
      const answer = await send(key, STEP_UNDO, undoData(call));
      if (answer.kind === 'error') return networkFailure(answer.error, host, settings.timeoutMs);
      const { response, text } = answer;
      const status = response.status;
      // Undo has nothing to hand back, so any 2xx will do; 404/410 mean there is nothing to undo,
      // which is what undo wants.
      if (status >= 200 && status < 300) return { status: 'done', note: 'undone by the receiver' };
      if (status === 404 || status === 410) {
        return { status: 'done', note: `nothing to undo (${statusLine(status)})` };
      }
      return httpFailure(response, text);
    },
  };
}

/** Turns a callback the receiver POSTed (validated with CallbackBody) into the step's result. */
export function callbackResult(body: CallbackBody): StepResult {
  if (body.status === 'done') {
    return {
      status: 'done',
      ...(body.outputs && { outputs: body.outputs }),
      ...(body.credentials && { credentials: body.credentials }),
      ...(body.note !== undefined && { note: body.note }),
    };
  }
  // The receiver tells us what happened, so nothing is ambiguous about it.
  return { status: 'failed', error: body.error, retryable: body.retryable ?? false };
}

/**
 * What the engine stores of a step's callback token (which it derives from the step and a server
 * key), and looks the step up by: a leaked database row cannot be used to post a result.
 */
export const hashCallbackToken = (token: string): string => sha256(token);

// ---------------------------------------------------------------------------------------------

type Answer =
  | { kind: 'answer'; response: Response; text: string; truncated: boolean }
  | { kind: 'error'; error: unknown };

const requestedData = (call: WebhookCall) => ({
  step: call.idempotencyKey,
  line: call.line,
  config: call.config,
  outputs: call.outputs,
  callbackUrl: call.callbackUrl,
});

const undoData = (call: StepCall) => ({
  step: call.idempotencyKey,
  line: call.line,
  outputs: call.outputs,
});

function syncAnswer(status: number, text: string, truncated: boolean): StepResult {
  // The receiver answered with success, so it may well have acted: every refusal here is
  // ambiguous, and the engine cleans up with undo before giving up.
  if (truncated) return final(`${statusLine(status)} answer is larger than ${MAX_BODY_BYTES} bytes`, true);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const what = text.trim() === '' ? 'an empty body' : `a body that is not JSON (${clip(text)})`;
    return final(`${statusLine(status)} with ${what}; expected {"status":"done"}`, true);
  }
  const parsed = SyncAnswer.safeParse(json);
  if (!parsed.success) {
    return final(
      `${statusLine(status)} with a malformed result: ${describeIssues(parsed.error.issues, 'body')}`,
      true,
    );
  }
  const answer = parsed.data;
  if (answer.status === 'accepted') {
    return {
      status: 'working',
      state: { acceptedAt: new Date().toISOString() },
      ...(answer.progress && { progress: answer.progress }),
    };
  }
  return callbackResult(answer);
}

function describeIssues(issues: readonly z.core.$ZodIssue[], root = 'settings'): string {
  return issues.map((issue) => `${issue.path.join('.') || root}: ${issue.message}`).join('; ');
}

function signable(secret: string): boolean {
  try {
    new Webhook(secret);
    return true;
  } catch {
    return false;
  }
}

function progressOf(text: string): { progress?: string } {
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object' && 'progress' in body && typeof body.progress === 'string') {
      return { progress: body.progress };
    }
  } catch {
    // A 202 needs no body; whatever is there is only a nicety.
  }
  return {};
}

/**
 * A receiver that answered with an error status:
 *   408, 425, 429            retryable, not ambiguous (it says it did not process the request)
 *   5xx                      retryable, ambiguous (it may have acted before failing)
 *   429, 503 + Retry-After   also retryAfterMs
 *   3xx and other 4xx        final, with the receiver's own words
 */
function httpFailure(response: Response, text: string): StepResult {
  const { status } = response;
  const error = `${statusLine(status)}${describe(response, text)}`;
  if (status >= 500 || status === 408 || status === 425 || status === 429) {
    const retryAfterMs =
      status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
    return {
      status: 'failed',
      error,
      retryable: true,
      ambiguous: status >= 500,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  }
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    return final(`${error}${location ? ` (redirects to ${clip(location)}; configure the final URL)` : ''}`);
  }
  return final(error);
}

function networkFailure(error: unknown, host: string, timeoutMs: number): StepResult {
  if (timedOut(error)) {
    return {
      status: 'failed',
      error: `no answer from ${host} within ${timeoutMs} ms`,
      retryable: true,
      ambiguous: true,
    };
  }
  const code = networkErrorCode(error);
  const sent = maybeSent(code);
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return {
    status: 'failed',
    error: `could not reach ${host} (${reason})`,
    retryable: true,
    // A reset or an unknown error may come after the receiver read the request.
    ambiguous: sent,
  };
}

/** The receiver's reason: problem+json detail (or title), else its text, trimmed and clipped. */
function describe(response: Response, text: string): string {
  let message = text;
  if (/json/i.test(response.headers.get('content-type') ?? '')) {
    try {
      const body: unknown = JSON.parse(text);
      if (body && typeof body === 'object') {
        const record = body as Record<string, unknown>;
        const found = [record.detail, record.title, record.message, record.error].find(
          (candidate) => typeof candidate === 'string' && candidate.trim() !== '',
        );
        if (typeof found === 'string') message = found;
      }
    } catch {
      // Not JSON after all: the raw text is the best there is.
    }
  }
  const clipped = clip(message);
  return clipped === '' ? '' : `: ${clipped}`;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS - 1)}…` : flat;
}

const statusLine = (status: number) =>
  `the receiver answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();

function final(error: string, ambiguous = false): StepResult {
  return { status: 'failed', error, retryable: false, ...(ambiguous && { ambiguous }) };
}
