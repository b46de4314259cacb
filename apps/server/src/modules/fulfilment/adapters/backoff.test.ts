import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.ts';

const policy = { baseMs: 1_000, capMs: 60_000 };
const top = () => 0.999999;

describe('backoffMs (exponential backoff, full jitter)', () => {
  it('doubles the window with every attempt', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffMs(attempt, policy, top))).toEqual([
      999, 1_999, 3_999, 7_999, 15_999,
    ]);
  });

  it('never lets the window grow past the cap, however many attempts', () => {
    expect(backoffMs(6, policy, top)).toBe(59_999); // 64 s window, capped at 60 s
    expect(backoffMs(50, policy, top)).toBe(59_999);
    expect(backoffMs(5_000, policy, top)).toBe(59_999); // 2 ** 5000 is Infinity
  });

  it('draws anywhere from zero to the window (full jitter, not equal jitter)', () => {
    expect(backoffMs(3, policy, () => 0)).toBe(0);
    expect(backoffMs(3, policy, () => 0.5)).toBe(4_000);
    expect(backoffMs(3, policy, () => 0.25)).toBe(2_000);
  });

  it('gives whole milliseconds', () => {
    expect(backoffMs(0, { baseMs: 3, capMs: 100 }, () => 0.5)).toBe(1);
  });

  it('spreads real random draws over the window', () => {
    const draws = Array.from({ length: 200 }, () => backoffMs(2, policy));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(4_000);
    expect(new Set(draws).size).toBeGreaterThan(100);
  });

  it('refuses nonsense input instead of returning NaN', () => {
    expect(() => backoffMs(-1, policy)).toThrow(RangeError);
    expect(() => backoffMs(1.5, policy)).toThrow(/whole number/);
    expect(() => backoffMs(1, { baseMs: 0, capMs: 10 })).toThrow(/baseMs > 0/);
    expect(() => backoffMs(1, { baseMs: Number.NaN, capMs: 10 })).toThrow(RangeError);
  });
});
