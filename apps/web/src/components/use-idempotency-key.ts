import { useCallback, useRef } from 'react';
import { newUuid } from '../app/api-client.ts';

/**
 * One idempotency key per attempt: a retry of the same request (after a network error or a
 * 5xx) reuses the key, so the server acts at most once; a changed request is a new attempt
 * with a new key.
 */
export function useIdempotencyKey(): (body: unknown) => string {
  const attempt = useRef<{ key: string; body: string } | null>(null);
  return useCallback((body: unknown) => {
    const serialized = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== serialized) {
      attempt.current = { key: newUuid(), body: serialized };
    }
    return attempt.current.key;
  }, []);
}
