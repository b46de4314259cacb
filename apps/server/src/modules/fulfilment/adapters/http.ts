// What the adapters' HTTP clients share: reading an answer without trusting its size, Retry-After,
// and telling from a failed fetch whether the request can have reached the other side.

/** Errors where the request never left this machine, so the other side cannot have acted on it. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** fetch wraps socket errors as TypeError('fetch failed', { cause }); the code is on the cause. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
    else current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

/** The request may have been read by the other side (a reset, an unknown error), or surely was not. */
export const maybeSent = (code: string | undefined) => code === undefined || !NOT_SENT.has(code);

/** The request's own timeout (AbortSignal.timeout) ran out. */
export const timedOut = (error: unknown) =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Reads at most `maxBytes`, so a runaway answer cannot fill the worker's memory. */
export async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), truncated: false };
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return {
        text: text + decoder.decode(value.subarray(0, value.byteLength - (size - maxBytes))),
        truncated: true,
      };
    }
    text += decoder.decode(value, { stream: true });
  }
}
