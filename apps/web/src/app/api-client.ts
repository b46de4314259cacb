import type { Problem } from '@portico/shared';

/** A failed API call, carrying the server's RFC 9457 problem (or one made up for network failures). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** The parsed response body as sent, for answers that carry more than a problem (an import report). */
  readonly body: unknown;

  constructor(problem: Problem, body?: unknown) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.body = body;
  }

  /** Per-field messages keyed by the problem's `path` (e.g. `justification`, `outputs.hostname`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const key = e.path.replace(/^body\./, '');
      out[key] = out[key] ? `${out[key]}; ${e.message}` : e.message;
    }
    return out;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

// The CSRF token comes with Me; every cookie-authenticated write must echo it back.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  /** Sent as is (YAML, CSV), with `contentType`; `body` is sent as JSON. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.text !== undefined) headers['content-type'] = opts.contentType ?? 'text/plain';
  else if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.text ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      code: 'NetworkError',
      detail: 'Could not reach Portico. Check your connection and try again.',
    });
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) throw new ApiError(toProblem(res, data), data);
  return data as T;
}

function toProblem(res: Response, data: unknown): Problem {
  if (data && typeof data === 'object' && 'title' in data && 'status' in data) {
    const p = data as Partial<Problem>;
    return {
      type: p.type ?? 'about:blank',
      title: String(p.title),
      status: typeof p.status === 'number' ? p.status : res.status,
      code: p.code ?? 'Error',
      detail: p.detail,
      instance: p.instance,
      errors: p.errors,
    };
  }
  return {
    type: 'about:blank',
    title: res.statusText || 'Request failed',
    status: res.status,
    code: 'Error',
    detail:
      res.status >= 500
        ? 'Portico had a problem answering. Please try again in a moment.'
        : `The request failed (HTTP ${res.status}).`,
  };
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('POST', path, { body: body ?? {}, headers }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  postText: <T>(path: string, text: string, contentType: string) =>
    request<T>('POST', path, { text, contentType }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** Builds `path?a=b` leaving out empty values. */
export function withQuery(path: string, params: Record<string, string | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** RFC 4122 v4; crypto.randomUUID only exists in secure contexts, so fall back to getRandomValues. */
export function newUuid(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
