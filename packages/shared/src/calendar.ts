// The business calendar (working days, hours and holidays: expected dates and reminders count
// in it) and in-app notifications.
import { z } from 'zod';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "09:00"');

export const BusinessCalendarBody = z
  .object({
    /** An IANA time zone, like "Europe/Berlin". */
    timezone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone like "Europe/Berlin"'),
    /** ISO weekdays: 1 is Monday, 7 is Sunday. */
    workdays: z
      .array(z.number().int().min(1).max(7))
      .min(1, 'needs at least one working day')
      .refine((d) => new Set(d).size === d.length, 'lists a day twice'),
    dayStart: time,
    dayEnd: time,
    holidays: z
      .array(z.object({ date: z.iso.date(), name: z.string().trim().min(1).max(80) }))
      .max(500)
      .refine((h) => new Set(h.map((x) => x.date)).size === h.length, 'lists a date twice'),
  })
  .superRefine((c, ctx) => {
    if (c.dayEnd <= c.dayStart)
      ctx.addIssue({ code: 'custom', path: ['dayEnd'], message: 'must be after dayStart' });
  });
export type BusinessCalendarBody = z.input<typeof BusinessCalendarBody>;
export type BusinessCalendar = z.output<typeof BusinessCalendarBody>;
export const BusinessCalendar = BusinessCalendarBody;

export const Notification = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** Where in the portal it leads, like "/approvals". */
  link: z.string().nullable(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});
export type Notification = z.infer<typeof Notification>;

export const Notifications = z.object({
  items: z.array(Notification),
  unread: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type Notifications = z.infer<typeof Notifications>;
