import { describe, expect, it } from 'vitest';
import { monthOf } from './pricing.ts';
import { recurringSegments, type FeeEvent } from './recurring.ts';

const november = monthOf('2026-11-10T00:00:00Z'); // 30 days
const at = (iso: string) => new Date(iso);
const ev = (kind: FeeEvent['kind'], iso: string, monthlyPrice: string, costCentre = 'CC-1') => ({
  kind,
  at: at(iso),
  monthlyPrice,
  costCentre,
});
const total = (segments: { amount: string }[]) => segments.reduce((sum, s) => sum + Number(s.amount), 0);

describe('recurring fees', () => {
  it('charges a whole month exactly when it ran all month', () => {
    const s = recurringSegments([ev('start', '2026-10-20T09:30:00Z', '30.00')], november);
    expect(s.map((x) => [x.from.toISOString(), x.to.toISOString(), x.amount])).toEqual([
      ['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '30'],
    ]);
  });

  it('prorates a mid-month start by the second', () => {
    const s = recurringSegments([ev('start', '2026-11-16T00:00:00Z', '30.00')], november);
    expect(s.map((x) => x.amount)).toEqual(['15']);
    const late = recurringSegments([ev('start', '2026-11-30T23:59:59Z', '30.00')], november);
    // The last second of the month: 30 / 2,592,000, exactly as far as decimals go.
    expect(late[0]!.amount).toMatch(/^0\.0000115740740740740740740/);
  });

  it('charges each plan of a mid-month resize for its own part, and stops at the end', () => {
    const s = recurringSegments(
      [
        ev('start', '2026-11-01T00:00:00Z', '30.00'),
        ev('resize', '2026-11-11T00:00:00Z', '60.00'),
        ev('end', '2026-11-21T00:00:00Z', '60.00'),
        ev('start', '2026-11-25T00:00:00Z', '99.00'),
      ],
      november,
    );
    expect(s.map((x) => [x.event.kind, x.amount])).toEqual([
      ['start', '10'],
      ['resize', '20'],
    ]);
  });

  it('splits a transfer between the cost centres, each for its own days', () => {
    const s = recurringSegments(
      [
        ev('start', '2026-11-01T00:00:00Z', '30.00', 'CC-1'),
        ev('transfer', '2026-11-07T12:00:00Z', '30.00', 'CC-2'),
      ],
      november,
    );
    expect(s.map((x) => [x.event.costCentre, x.amount])).toEqual([
      ['CC-1', '6.5'],
      ['CC-2', '23.5'],
    ]);
    expect(total(s)).toBe(30);
  });

  it('counts a running month up to now, and nothing before a start or after an end', () => {
    const events = [ev('start', '2026-11-01T00:00:00Z', '30.00')];
    expect(recurringSegments(events, november, at('2026-11-06T00:00:00Z'))[0]!.amount).toBe('5');
    expect(recurringSegments(events, monthOf('2026-10-05T00:00:00Z'))).toEqual([]);
    expect(
      recurringSegments(
        [...events, ev('end', '2026-11-03T00:00:00Z', '30.00')],
        monthOf('2026-12-01T00:00:00Z'),
      ),
    ).toEqual([]);
  });

  it('takes calendar months only', () => {
    expect(() =>
      recurringSegments([], { start: at('2026-11-02T00:00:00Z'), end: at('2026-12-01T00:00:00Z') }),
    ).toThrow(/calendar month/);
  });
});
