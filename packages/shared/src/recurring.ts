// A subscription's recurring fee in one period, from its events (start, resize, transfer,
// extend, end: each carries the state after it and the exact moment). Each state runs from its
// event to the next one (or to `until`, or to the period's end) and is prorated by the second
// (pricing.ts); an `end` stops the fee. The bill and "cost so far" on a subscription both use
// this, so they agree.
import { monthOf, prorate, type Period } from './pricing.ts';

export interface FeeEvent {
  kind: 'start' | 'resize' | 'transfer' | 'extend' | 'end';
  at: Date;
  /** Per month, for the whole quantity, after this event. */
  monthlyPrice: string;
}

export interface FeeSegment<E extends FeeEvent> {
  /** The event whose state this segment charges (its cost centre, plan, price). */
  event: E;
  from: Date;
  to: Date;
  /** Unrounded; a statement rounds once per line. */
  amount: string;
}

/**
 * The segments of `period` (a UTC calendar month) that `events` (in the order they happened)
 * charge, up to `until` when the period is still running. A segment per state, so a transfer
 * mid-month charges each cost centre for its own part.
 */
export function recurringSegments<E extends FeeEvent>(
  events: readonly E[],
  period: Period,
  until: Date = period.end,
): FeeSegment<E>[] {
  const month = monthOf(period.start);
  if (month.start.getTime() !== period.start.getTime() || month.end.getTime() !== period.end.getTime())
    throw new RangeError('period must be a UTC calendar month, as monthOf() returns it');
  const stop = Math.min(until.getTime(), period.end.getTime());
  const segments: FeeSegment<E>[] = [];
  for (const [i, event] of events.entries()) {
    if (event.kind === 'end') break;
    const next = events[i + 1];
    const from = new Date(Math.max(event.at.getTime(), period.start.getTime()));
    const to = new Date(Math.min(next ? next.at.getTime() : stop, stop));
    if (to.getTime() <= from.getTime()) continue;
    segments.push({ event, from, to, amount: prorate(event.monthlyPrice, from, to, period) });
  }
  return segments;
}
