// A small typed client for the Open Service Broker API v2.17 (openservicebrokerapi/servicebroker,
// spec.md): global fetch, HTTP basic auth, the three OSB headers, a timeout per request, and
// zod schemas for the broker answers that Portico reads. It only talks: what an answer means for
// a fulfilment step (done, working, retry, orphan mitigation) is decided in osb.adapter.ts.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { maybeSent, networkErrorCode, parseRetryAfter, readCapped, timedOut } from './http.ts';

export const OSB_API_VERSION = '2.17';
/** `context.platform` and the originating identity's platform (spec: they MUST be equal). */
export const OSB_PLATFORM = 'portico';

/** A broker answer is read up to this size (a catalog of many plans with schemas stays far below). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface OsbClientSettings {
  /** The broker's base URL; a path prefix is kept (`https://broker.example.com/osb`). */
  url: string;
  username: string;
  password: string;
  timeoutMs: number;
}

/** The Portico user a request acts for (spec, "Originating Identity"); left out for clean-up. */
export interface OriginatingIdentity {
  user_id: string;
  email?: string;
}

export interface OsbAnswer {
  status: number;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  json: unknown;
  text: string;
  /** The Retry-After header in ms, when the broker sent one (seconds or an HTTP date). */
  retryAfterMs: number | null;
  /** The X-Broker-API-Request-Identity this request carried, for the broker's logs and ours. */
  requestId: string;
}

/** No HTTP answer: a timeout, a refused connection, a reset, a TLS failure. */
export class OsbTransportError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
    /** False only when the request certainly never reached the broker (refused, no DNS, TLS). */
    readonly mayHaveReached: boolean,
    readonly requestId: string,
  ) {
    super(message);
    this.name = 'OsbTransportError';
  }
}

// ---- what the broker answers (unknown fields are ignored, as the spec requires) --------------

const JsonObject = z.record(z.string(), z.unknown());
const InputParameters = z.looseObject({ parameters: JsonObject.optional() });

export const OsbPlan = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().default(''),
  free: z.boolean().optional(),
  bindable: z.boolean().optional(),
  /** Overrides the service's: whether an instance on this plan may be moved to another plan. */
  plan_updateable: z.boolean().optional(),
  /** Seconds; the platform SHOULD stop polling after this and consider the operation failed. */
  maximum_polling_duration: z.number().nullish(),
  maintenance_info: z.looseObject({ version: z.string(), description: z.string().optional() }).nullish(),
  metadata: JsonObject.nullish(),
  schemas: z
    .looseObject({
      service_instance: z
        .looseObject({ create: InputParameters.nullish(), update: InputParameters.nullish() })
        .nullish(),
      service_binding: z.looseObject({ create: InputParameters.nullish() }).nullish(),
    })
    .nullish(),
});
export type OsbPlan = z.infer<typeof OsbPlan>;

export const OsbService = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().default(''),
  tags: z.array(z.string()).default([]),
  bindable: z.boolean(),
  instances_retrievable: z.boolean().optional(),
  /** Whether instances may change plan (spec: unless declared, they may not). */
  plan_updateable: z.boolean().optional(),
  bindings_retrievable: z.boolean().optional(),
  metadata: JsonObject.nullish(),
  plans: z.array(OsbPlan).min(1),
});
export type OsbService = z.infer<typeof OsbService>;

export const OsbCatalog = z.looseObject({ services: z.array(OsbService) });
export type OsbCatalog = z.infer<typeof OsbCatalog>;

/** 200/201/202 to a provision. `metadata` is OSB 2.16+ (labels, attributes). */
export const ProvisionAnswer = z.looseObject({
  dashboard_url: z.string().nullish(),
  operation: z.string().nullish(),
  metadata: z.looseObject({ labels: JsonObject.nullish(), attributes: JsonObject.nullish() }).nullish(),
});
export type ProvisionAnswer = z.infer<typeof ProvisionAnswer>;

/** 202 to a deprovision, bind (async) or unbind (async). */
export const OperationAnswer = z.looseObject({ operation: z.string().nullish() });

/**
 * 200/202 to an update. A `dashboard_url` replaces the old one; when there is none the old one
 * stays (spec). `metadata` (2.16+) describes the instance after a synchronous update.
 */
export const UpdateAnswer = ProvisionAnswer;

/** 200 to GET an instance (instances_retrievable): what it is now. */
export const InstanceAnswer = z.looseObject({
  plan_id: z.string().nullish(),
  dashboard_url: z.string().nullish(),
  metadata: z.looseObject({ labels: JsonObject.nullish(), attributes: JsonObject.nullish() }).nullish(),
});

export const LastOperation = z.looseObject({
  state: z.enum(['in progress', 'succeeded', 'failed']),
  description: z.string().nullish(),
});
export type LastOperation = z.infer<typeof LastOperation>;

export const BindingAnswer = z.looseObject({
  credentials: JsonObject.nullish(),
  endpoints: z
    .array(z.looseObject({ host: z.string(), ports: z.array(z.string()), protocol: z.string().optional() }))
    .nullish(),
});
export type BindingAnswer = z.infer<typeof BindingAnswer>;

/** Spec, "Service Broker Errors": `error` is one CamelCase word, `description` is for people. */
export const ErrorAnswer = z.looseObject({
  error: z.string().nullish(),
  description: z.string().nullish(),
});

/** Which plan an instance belongs to: required on DELETE, recommended on last_operation. */
export interface PlanRef {
  service_id: string;
  plan_id: string;
}

export function osbClient(settings: OsbClientSettings) {
  const base = settings.url.replace(/\/+$/, '');
  const authorization = `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}`;

  async function request(
    method: 'GET' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: {
      query?: Record<string, string | undefined>;
      body?: unknown;
      identity?: OriginatingIdentity;
    } = {},
  ): Promise<OsbAnswer> {
    const url = new URL(base + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const requestId = randomUUID();
    const headers: Record<string, string> = {
      authorization,
      accept: 'application/json',
      'x-broker-api-version': OSB_API_VERSION,
      'x-broker-api-request-identity': requestId,
    };
    if (options.identity) {
      const value = Buffer.from(JSON.stringify(options.identity)).toString('base64');
      headers['x-broker-api-originating-identity'] = `${OSB_PLATFORM} ${value}`;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch(url, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        // Basic credentials have no business following a broker elsewhere: a 3xx is reported.
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      const { text, truncated } = await readCapped(response, MAX_BODY_BYTES);
      if (truncated) throw new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`);
      return {
        status: response.status,
        json: parseJson(text),
        text,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) ?? null,
        requestId,
      };
    } catch (error) {
      throw transportError(error, `${method} ${url.pathname}`, url.host, settings.timeoutMs, requestId);
    }
  }

  const instancePath = (instanceId: string) => `/v2/service_instances/${encodeURIComponent(instanceId)}`;
  const bindingPath = (instanceId: string, bindingId: string) =>
    `${instancePath(instanceId)}/service_bindings/${encodeURIComponent(bindingId)}`;

  return {
    catalog: () => request('GET', '/v2/catalog'),

    provision: (instanceId: string, body: Record<string, unknown>, identity?: OriginatingIdentity) =>
      request('PUT', instancePath(instanceId), { query: { accepts_incomplete: 'true' }, body, identity }),

    lastOperation: (instanceId: string, plan: PlanRef, operation?: string | null) =>
      request('GET', `${instancePath(instanceId)}/last_operation`, {
        query: { ...plan, operation: operation ?? undefined },
      }),

    update: (instanceId: string, body: Record<string, unknown>, identity?: OriginatingIdentity) =>
      request('PATCH', instancePath(instanceId), { query: { accepts_incomplete: 'true' }, body, identity }),

    fetchInstance: (instanceId: string) => request('GET', instancePath(instanceId)),

    deprovision: (instanceId: string, plan: PlanRef) =>
      request('DELETE', instancePath(instanceId), { query: { ...plan, accepts_incomplete: 'true' } }),

    bind: (
      instanceId: string,
      bindingId: string,
      body: Record<string, unknown>,
      identity?: OriginatingIdentity,
    ) =>
      request('PUT', bindingPath(instanceId, bindingId), {
        query: { accepts_incomplete: 'true' },
        body,
        identity,
      }),

    bindingLastOperation: (instanceId: string, bindingId: string, plan: PlanRef, operation?: string | null) =>
      request('GET', `${bindingPath(instanceId, bindingId)}/last_operation`, {
        query: { ...plan, operation: operation ?? undefined },
      }),

    fetchBinding: (instanceId: string, bindingId: string) =>
      request('GET', bindingPath(instanceId, bindingId)),

    unbind: (instanceId: string, bindingId: string, plan: PlanRef) =>
      request('DELETE', bindingPath(instanceId, bindingId), {
        query: { ...plan, accepts_incomplete: 'true' },
      }),
  };
}
export type OsbClient = ReturnType<typeof osbClient>;

/** The catalog could not be read; `retryable` when trying again later may help (5xx, 408, 429). */
export class OsbCatalogError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'OsbCatalogError';
  }
}

/**
 * GET /v2/catalog, checked against the spec's shape. Throws an OsbTransportError (no answer) or
 * an OsbCatalogError that says what is wrong: the status and the broker's words, or where the
 * shape fails.
 */
export async function fetchCatalog(client: OsbClient): Promise<OsbCatalog> {
  const answer = await client.catalog();
  if (answer.status !== 200) {
    const { status } = answer;
    const retryable = status >= 500 || status === 408 || status === 429;
    throw new OsbCatalogError(`GET /v2/catalog: ${describeAnswer(answer)}${hintFor(status)}`, retryable);
  }
  const parsed = OsbCatalog.safeParse(answer.json);
  if (!parsed.success) {
    throw new OsbCatalogError(`GET /v2/catalog: malformed catalog: ${describeIssues(parsed.error)}`, false);
  }
  return parsed.data;
}

/** What a person should check for the answers that mean "Portico is set up wrong". */
export function hintFor(status: number): string {
  if (status === 401 || status === 403) return " (check the adapter's broker username and password)";
  if (status === 412) return ` (the broker does not accept OSB API ${OSB_API_VERSION})`;
  if (status === 404) return " (check the adapter's broker URL)";
  return '';
}

/** `409 Conflict: Conflict: Service instance … already exists …` — status, the broker's code and words. */
export function describeAnswer(answer: OsbAnswer): string {
  const body = ErrorAnswer.safeParse(answer.json);
  const code = body.success ? body.data.error : null;
  const text = body.success && body.data.description ? body.data.description : answer.json ? '' : answer.text;
  const words = clip([code, text].filter(Boolean).join(': ')) || STATUS_CODES[answer.status] || '';
  return `${answer.status}${words ? ` ${words}` : ''}`;
}

/** The broker's error code (`ConcurrencyError`, `AsyncRequired` …), if it sent one. */
export function errorCode(answer: OsbAnswer): string | null {
  const body = ErrorAnswer.safeParse(answer.json);
  return body.success ? (body.data.error ?? null) : null;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

function clip(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function transportError(
  error: unknown,
  what: string,
  host: string,
  timeoutMs: number,
  requestId: string,
): OsbTransportError {
  if (timedOut(error)) {
    return new OsbTransportError(
      `${what}: the broker at ${host} did not answer within ${timeoutMs} ms`,
      true,
      true,
      requestId,
    );
  }
  const code = networkErrorCode(error);
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new OsbTransportError(
    `${what}: could not reach the broker at ${host} (${reason})`,
    false,
    maybeSent(code),
    requestId,
  );
}
