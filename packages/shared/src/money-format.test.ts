import { describe, expect, it } from 'vitest';
import { formatMoney } from './money-format.ts';

describe('formatMoney', () => {
  it('shows two decimals and the currency sign, exactly', () => {
    expect(formatMoney('4914', 'EUR')).toBe('€4,914.00');
    expect(formatMoney('12.500000000', 'EUR')).toBe('€12.50');
    expect(formatMoney('90071992547409.93', 'EUR')).toBe('€90,071,992,547,409.93');
  });
  it('keeps sub-cent prices up to four decimals', () => {
    expect(formatMoney('0.0035', 'EUR')).toBe('€0.0035');
    expect(formatMoney('0.02', 'USD')).toBe('US$0.02');
  });
  it('falls back to amount and code for a currency Intl does not know', () => {
    expect(formatMoney('-5.50', 'XX1')).toBe('-5.50 XX1');
  });
});
