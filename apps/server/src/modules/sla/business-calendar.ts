// Calendar arithmetic in the company's business calendar: working days, working hours and
// holidays, in its time zone (Luxon does the zone arithmetic).
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '@portico/shared';

export class Calendar {
  private readonly holidays: Set<string>;
  private readonly start: { hour: number; minute: number };
  private readonly end: { hour: number; minute: number };

  constructor(readonly settings: BusinessCalendar) {
    this.holidays = new Set(settings.holidays.map((h) => h.date));
    const hm = (t: string) => ({ hour: Number(t.slice(0, 2)), minute: Number(t.slice(3, 5)) });
    this.start = hm(settings.dayStart);
    this.end = hm(settings.dayEnd);
  }

  private local(at: Date): DateTime {
    return DateTime.fromJSDate(at, { zone: this.settings.timezone });
  }

  isWorkingDay(day: DateTime): boolean {
    return this.settings.workdays.includes(day.weekday) && !this.holidays.has(day.toISODate()!);
  }

  /**
   * The date (in the calendar's zone) `days` working days after the day of `from`; 0 is that
   * day itself. A week of non-working days cannot loop forever: workdays is never empty.
   */
  addBusinessDays(from: Date, days: number): string {
    let day = this.local(from).startOf('day');
    for (let left = days; left > 0;) {
      day = day.plus({ days: 1 });
      if (this.isWorkingDay(day)) left--;
    }
    return day.toISODate()!;
  }

  /** The moment `hours` working hours after `from`, counting only working hours of working days. */
  addBusinessHours(from: Date, hours: number): Date {
    let left = hours * 3_600_000;
    let at = this.local(from);
    for (let guard = 0; guard < 3_700; guard++) {
      const opens = at.set({ ...this.start, second: 0, millisecond: 0 });
      const closes = at.set({ ...this.end, second: 0, millisecond: 0 });
      if (this.isWorkingDay(at) && at < closes) {
        const from = at < opens ? opens : at;
        const available = closes.toMillis() - from.toMillis();
        if (left <= available) return from.plus({ milliseconds: left }).toJSDate();
        left -= available;
      }
      at = at.plus({ days: 1 }).set({ ...this.start, second: 0, millisecond: 0 });
    }
    throw new Error('the business calendar has no working hours within ten years');
  }

  /** The working time between two moments, in milliseconds (0 when `to` is not after `from`). */
  businessMsBetween(from: Date, to: Date): number {
    const end = this.local(to);
    let total = 0;
    for (let day = this.local(from).startOf('day'); day <= end; day = day.plus({ days: 1 })) {
      if (!this.isWorkingDay(day)) continue;
      const opens = Math.max(day.set(this.start).toMillis(), from.getTime());
      const closes = Math.min(day.set(this.end).toMillis(), to.getTime());
      if (closes > opens) total += closes - opens;
    }
    return total;
  }

  /** The moment a working day (YYYY-MM-DD, in the calendar's zone) closes. */
  closeOf(date: string): Date {
    return DateTime.fromISO(date, { zone: this.settings.timezone }).set(this.end).toJSDate();
  }

  /** The date of a moment in the calendar's zone. */
  dateOf(at: Date): string {
    return this.local(at).toISODate()!;
  }
}

export const defaultCalendar: BusinessCalendar = {
  timezone: 'UTC',
  workdays: [1, 2, 3, 4, 5],
  dayStart: '09:00',
  dayEnd: '17:00',
  holidays: [],
};
