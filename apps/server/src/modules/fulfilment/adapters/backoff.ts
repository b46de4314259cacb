// How long the engine waits before retrying a failed step: exponential backoff with "full
// jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"):
//   sleep = random_between(0, min(cap, base * 2 ** attempt))
// Full jitter spreads the retries of many steps that failed together (one receiver down, every
// line waiting on it) over the whole window instead of having them all arrive at once.

export interface BackoffPolicy {
  /** The window of the first retry (attempt 0), in ms. */
  baseMs: number;
  /** The window never grows past this, in ms. */
  capMs: number;
}

/**
 * The delay before retry number `attempt` (0 for the first retry), a whole number of ms in
 * `[0, min(capMs, baseMs * 2 ** attempt)]`. `random` returns a number in `[0, 1)`; tests pass
 * their own.
 */
export function backoffMs(
  attempt: number,
  { baseMs, capMs }: BackoffPolicy,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`attempt must be a whole number >= 0, got ${attempt}`);
  }
  if (!(baseMs > 0) || !(capMs >= 0) || !Number.isFinite(baseMs) || !Number.isFinite(capMs)) {
    throw new RangeError(`backoff needs baseMs > 0 and capMs >= 0, got ${baseMs} and ${capMs}`);
  }
  // 2 ** attempt overflows to Infinity after ~1000 attempts; min() then gives the cap, as it should.
  const window = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * window);
}
