import { describe, expect, it } from 'vitest';
import { addBusinessDays } from './business-days.ts';

const day = (iso: string) => addBusinessDays(new Date(iso), 0).toISOString().slice(0, 10);
const plus = (iso: string, n: number) => addBusinessDays(new Date(iso), n).toISOString().slice(0, 10);

describe('addBusinessDays', () => {
  it('skips weekends', () => {
    expect(plus('2026-11-20T15:00:00Z', 1)).toBe('2026-11-23'); // Friday → Monday
    expect(plus('2026-11-23T08:00:00Z', 5)).toBe('2026-11-30'); // Monday → next Monday
    expect(plus('2026-11-21T10:00:00Z', 1)).toBe('2026-11-23'); // Saturday → Monday
  });

  it('counts nothing for zero days', () => {
    expect(day('2026-11-24T23:59:59Z')).toBe('2026-11-24');
  });
});
