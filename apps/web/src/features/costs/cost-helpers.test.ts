import { describe, expect, it } from 'vitest';
import { currentMonth, feePart, formatQuantity, formatShare, monthName } from './cost-helpers.ts';

describe('months', () => {
  it('names the running month in UTC', () => {
    expect(currentMonth(new Date('2026-10-31T23:30:00-02:00'))).toBe('2026-11');
    expect(monthName('2026-10')).toBe('October 2026');
  });
});

describe('feePart', () => {
  const line = (from: string | null, to: string | null) => ({ from, to, chargePeriod: '2026-10' });

  it('says a fee covers the whole month', () => {
    expect(feePart(line('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'))).toBe('whole month');
  });

  it('names the days of a prorated part, the end being exclusive', () => {
    expect(feePart(line('2026-10-01T00:00:00Z', '2026-10-15T00:00:00Z'))).toBe('1–14 Oct (prorated)');
    expect(feePart(line('2026-10-15T09:30:00Z', '2026-11-01T00:00:00Z'))).toBe('15–31 Oct (prorated)');
    expect(feePart(line('2026-10-15T09:30:00Z', '2026-10-15T17:00:00Z'))).toBe('15 Oct (prorated)');
  });

  it('says nothing for a line without a part (usage)', () => {
    expect(feePart(line(null, null))).toBeNull();
  });
});

describe('numbers', () => {
  it('formats shares and quantities', () => {
    expect(formatShare('0.4231')).toBe('42%');
    expect(formatShare('0.0312')).toBe('3.1%');
    expect(formatQuantity('1234567.500')).toBe('1,234,567.5');
    expect(formatQuantity('-12')).toBe('−12');
    expect(formatQuantity('1124.884362321')).toBe('1,124.884');
    expect(formatQuantity('0.9996')).toBe('1');
    expect(formatQuantity('64.6915')).toBe('64.692');
  });
});
