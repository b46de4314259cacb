// Due times of a task, counted in a business calendar from fixed moments (no clock involved).
import { describe, expect, it } from 'vitest';
import { Calendar } from '../sla/index.ts';
import { dueTimes } from './fulfilment.queue.service.ts';

// Monday to Friday, 09:00–17:00 in Berlin; 2026-12-25 (a Friday) is a holiday.
const calendar = new Calendar({
  timezone: 'Europe/Berlin',
  workdays: [1, 2, 3, 4, 5],
  dayStart: '09:00',
  dayEnd: '17:00',
  holidays: [{ date: '2026-12-25', name: 'Christmas' }],
});
const sla = { responseHours: 4, resolutionHours: 8 };
// Thursday 24 December 2026, 15:00 in Berlin.
const opened = new Date('2026-12-24T14:00:00Z');

describe('task due times', () => {
  it('respond within the response hours, done within the lead time, both in working hours', () => {
    const due = dueTimes(calendar, { sla, leadTimeDays: 2 }, 'do', opened);
    // 2 hours on Thursday, Friday is a holiday, 2 more on Monday: 11:00 in Berlin.
    expect(due.respondBy?.toISOString()).toBe('2026-12-28T10:00:00.000Z');
    // 16 working hours: 2 on Thursday, 8 on Monday, 6 on Tuesday: 15:00.
    expect(due.dueAt?.toISOString()).toBe('2026-12-29T14:00:00.000Z');
  });

  it('a plan that promises less than the SLA’s resolution time still gets the resolution time', () => {
    const due = dueTimes(calendar, { sla, leadTimeDays: 0 }, 'do', opened);
    // 8 working hours: 2 on Thursday, 6 on Monday: 15:00.
    expect(due.dueAt?.toISOString()).toBe('2026-12-28T14:00:00.000Z');
  });

  it('undoing is cleanup, not delivery: the resolution time, whatever the lead time', () => {
    const due = dueTimes(calendar, { sla, leadTimeDays: 30 }, 'undo', opened);
    // 8 working hours: 2 on Thursday, 6 on Monday: 15:00.
    expect(due.dueAt?.toISOString()).toBe('2026-12-28T14:00:00.000Z');
  });

  it('no SLA figures, no due times', () => {
    expect(dueTimes(calendar, { sla: {}, leadTimeDays: 0 }, 'do', opened)).toEqual({
      respondBy: null,
      dueAt: null,
    });
  });
});
