import { describe, expect, it } from 'vitest';
import { Calendar } from './business-calendar.ts';

// Europe/Berlin, Monday to Friday 09:00–17:00, with the demo's year-end holidays.
const berlin = new Calendar({
  timezone: 'Europe/Berlin',
  workdays: [1, 2, 3, 4, 5],
  dayStart: '09:00',
  dayEnd: '17:00',
  holidays: [
    { date: '2026-12-24', name: 'Christmas Eve' },
    { date: '2026-12-25', name: 'Christmas Day' },
    { date: '2026-12-31', name: 'New Year’s Eve' },
    { date: '2027-01-01', name: 'New Year’s Day' },
  ],
});

/** A wall-clock time in Berlin as an instant. */
const berlinTime = (local: string) => {
  const offset = local < '2026-10-25T03:00' || local >= '2027-03-28T02:00' ? '+02:00' : '+01:00';
  return new Date(`${local}:00${offset}`);
};
const inBerlin = (d: Date) =>
  d.toLocaleString('sv-SE', { timeZone: 'Europe/Berlin', hour12: false }).slice(0, 16).replace(' ', 'T');

describe('business days', () => {
  it('counts only working days after the starting day', () => {
    // Tuesday 24 Nov 2026 + 2 → Thursday; Friday + 1 → Monday.
    expect(berlin.addBusinessDays(berlinTime('2026-11-24T10:00'), 2)).toBe('2026-11-26');
    expect(berlin.addBusinessDays(berlinTime('2026-11-27T16:00'), 1)).toBe('2026-11-30');
    expect(berlin.addBusinessDays(berlinTime('2026-11-28T12:00'), 0)).toBe('2026-11-28');
  });

  it('skips holidays', () => {
    // Wednesday 23 Dec + 1 → Monday 28 Dec (24th and 25th are holidays, then the weekend);
    // + 3 → Wednesday 30 Dec; + 4 → Monday 4 Jan (31 Dec and 1 Jan are holidays).
    expect(berlin.addBusinessDays(berlinTime('2026-12-23T09:00'), 1)).toBe('2026-12-28');
    expect(berlin.addBusinessDays(berlinTime('2026-12-23T09:00'), 3)).toBe('2026-12-30');
    expect(berlin.addBusinessDays(berlinTime('2026-12-23T09:00'), 4)).toBe('2027-01-04');
  });

  it('takes the day in the calendar’s zone, not in UTC', () => {
    // 23:30 UTC on Thursday is already Friday in Berlin: one working day later is Monday, not Friday.
    expect(berlin.addBusinessDays(new Date('2026-11-26T23:30:00Z'), 1)).toBe('2026-11-30');
  });
});

describe('business hours', () => {
  it('adds hours within the working day', () => {
    expect(inBerlin(berlin.addBusinessHours(berlinTime('2026-11-24T10:00'), 4))).toBe('2026-11-24T14:00');
  });

  it('carries what is left of the day over to the next working morning', () => {
    // 15:00 + 4 h = 2 h today, 2 h from 09:00 tomorrow.
    expect(inBerlin(berlin.addBusinessHours(berlinTime('2026-11-24T15:00'), 4))).toBe('2026-11-25T11:00');
    // A whole working day ends at closing time, not at the next opening.
    expect(inBerlin(berlin.addBusinessHours(berlinTime('2026-11-24T09:00'), 8))).toBe('2026-11-24T17:00');
  });

  it('starts counting at opening time when asked before it, after hours or at the weekend', () => {
    expect(inBerlin(berlin.addBusinessHours(berlinTime('2026-11-24T06:30'), 1))).toBe('2026-11-24T10:00');
    expect(inBerlin(berlin.addBusinessHours(berlinTime('2026-11-24T19:00'), 1))).toBe('2026-11-25T10:00');
    expect(inBerlin(berlin.addBusinessHours(berlinTime('2026-11-28T11:00'), 16))).toBe('2026-12-01T17:00');
  });

  it('skips holidays and keeps local hours across a clock change', () => {
    // Wednesday 23 Dec 16:00 + 4 h: 1 h that day, then nothing until Monday 28 Dec.
    expect(inBerlin(berlin.addBusinessHours(berlinTime('2026-12-23T16:00'), 4))).toBe('2026-12-28T12:00');
    // Friday 26 Mar 2027 16:00 + 2 h: Europe moves to summer time on Sunday; Monday opens at 09:00 local.
    const monday = berlin.addBusinessHours(berlinTime('2027-03-26T16:00'), 2);
    expect(inBerlin(monday)).toBe('2027-03-29T10:00');
    expect(monday.toISOString()).toBe('2027-03-29T08:00:00.000Z');
  });

  it('works for fractions of an hour', () => {
    expect(inBerlin(berlin.addBusinessHours(berlinTime('2026-11-24T16:45'), 0.5))).toBe('2026-11-25T09:15');
  });
});

describe('working time between two moments', () => {
  const hours = (from: string, to: string) =>
    berlin.businessMsBetween(berlinTime(from), berlinTime(to)) / 3_600_000;

  it('counts only the working hours of working days', () => {
    expect(hours('2026-11-24T10:00', '2026-11-24T14:30')).toBe(4.5);
    // Friday 16:00 to Monday 10:00: an hour on Friday, an hour on Monday.
    expect(hours('2026-11-27T16:00', '2026-11-30T10:00')).toBe(2);
    expect(hours('2026-11-28T10:00', '2026-11-29T18:00')).toBe(0);
    expect(hours('2026-11-24T14:00', '2026-11-24T10:00')).toBe(0);
  });

  it('skips holidays and undoes what adding working hours did', () => {
    expect(hours('2026-12-23T16:00', '2026-12-28T12:00')).toBe(4);
    const from = berlinTime('2027-03-26T16:00');
    expect(berlin.businessMsBetween(from, berlin.addBusinessHours(from, 2))).toBe(2 * 3_600_000);
  });
});

describe('days and their closing time', () => {
  it('names the day in the calendar’s zone and when that working day closes', () => {
    expect(berlin.dateOf(new Date('2026-11-26T23:30:00Z'))).toBe('2026-11-27');
    expect(inBerlin(berlin.closeOf('2026-11-27'))).toBe('2026-11-27T17:00');
  });
});
