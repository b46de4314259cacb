import { describe, expect, it } from 'vitest';
import { Calendar } from '../sla/index.ts';
import { HISTORY, projectDelivery, type StepAhead } from './fulfilment.forecast.ts';

// UTC, Monday to Friday 09:00–17:00, Wednesday 25 November 2026 a holiday.
const calendar = new Calendar({
  timezone: 'UTC',
  workdays: [1, 2, 3, 4, 5],
  dayStart: '09:00',
  dayEnd: '17:00',
  holidays: [{ date: '2026-11-25', name: 'Company day' }],
});
const min = 60_000;
const hour = 60 * min;
const history = new Map([
  ['broker', { key: 'broker', runs: 12, medianMs: 30 * min, p85Ms: 50 * min }],
  ['handover', { key: 'handover', runs: 7, medianMs: 3 * hour, p85Ms: 6 * hour }],
  ['new', { key: 'new', runs: HISTORY.minRuns - 1, medianMs: min, p85Ms: min }],
]);
const broker: StepAhead = { position: 1, key: 'broker', manual: false, startedAt: null };
const handover: StepAhead = { position: 2, key: 'handover', manual: true, startedAt: null };

describe('a delivery forecast from history', () => {
  it('adds up the steps ahead: automated ones around the clock, manual ones in working hours', () => {
    // Monday 23 Nov, 15:00: the broker takes 30 min (50), then 3 working hours (6) for the hand-over.
    const now = new Date('2026-11-23T15:00:00Z');
    const f = projectDelivery([handover, broker], history, now, calendar)!;
    expect(f).toMatchObject({
      basis: 'history',
      // 15:30, then 1.5 h until closing and 1.5 h on Tuesday morning.
      expectedAt: '2026-11-24T10:30:00.000Z',
      // 15:50, then 1 h 10 min until closing and 4 h 50 min on Tuesday.
      latestAt: '2026-11-24T13:50:00.000Z',
      runs: 7,
    });
    expect(f.steps.map((s) => [s.position, s.clock, s.medianMs, s.p85Ms])).toEqual([
      [1, 'wall', 30 * min, 50 * min],
      [2, 'business', 3 * hour, 6 * hour],
    ]);
  });

  it('counts a running step only for what is left of its usual time', () => {
    // Friday 27 Nov, 10:00: the hand-over has been with the team since Tuesday 16:00. Wednesday
    // is a holiday, so that is 1 h on Tuesday, 8 h on Thursday and 1 h today: 10 h, more than
    // even the slow runs took: it is due now, whatever the history.
    const now = new Date('2026-11-27T10:00:00Z');
    const late = { ...handover, startedAt: new Date('2026-11-24T16:00:00Z') };
    expect(projectDelivery([late], history, now, calendar)).toMatchObject({
      expectedAt: now.toISOString(),
      latestAt: now.toISOString(),
    });
    // Opened at 08:00 today, before opening time: only the hour since 09:00 counts.
    const early = { ...handover, startedAt: new Date('2026-11-27T08:00:00Z') };
    expect(projectDelivery([early], history, now, calendar)).toMatchObject({
      expectedAt: '2026-11-27T12:00:00.000Z',
      latestAt: '2026-11-27T15:00:00.000Z',
    });
    // The broker started 20 min ago: 10 min (30) left, counted in wall time on a Saturday too.
    const saturday = new Date('2026-11-28T12:00:00Z');
    const running = { ...broker, startedAt: new Date(saturday.getTime() - 20 * min) };
    expect(projectDelivery([running], history, saturday, calendar)).toMatchObject({
      expectedAt: '2026-11-28T12:10:00.000Z',
      latestAt: '2026-11-28T12:30:00.000Z',
    });
  });

  it('says nothing when a step ahead has too little history', () => {
    const now = new Date('2026-11-23T15:00:00Z');
    const fresh: StepAhead = { position: 3, key: 'new', manual: false, startedAt: null };
    expect(projectDelivery([broker, fresh], history, now, calendar)).toBeNull();
    expect(projectDelivery([{ ...fresh, key: 'never' }], history, now, calendar)).toBeNull();
  });

  it('is due now when no step is left', () => {
    const now = new Date('2026-11-23T15:00:00Z');
    expect(projectDelivery([], history, now, calendar)).toMatchObject({
      expectedAt: now.toISOString(),
      runs: null,
      steps: [],
    });
  });
});
