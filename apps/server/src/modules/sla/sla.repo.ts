import { asc } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { businessCalendar, holidays } from './sla.tables.ts';

export async function readCalendar(ex: Executor) {
  const [settings] = await ex.select().from(businessCalendar);
  const days = await ex.select().from(holidays).orderBy(asc(holidays.date));
  return { settings, holidays: days };
}

export async function writeCalendar(
  ex: Executor,
  row: Omit<typeof businessCalendar.$inferInsert, 'id'>,
  days: { date: string; name: string }[],
) {
  await ex
    .insert(businessCalendar)
    .values({ id: 1, ...row })
    .onConflictDoUpdate({ target: businessCalendar.id, set: row });
  await ex.delete(holidays);
  if (days.length) await ex.insert(holidays).values(days);
}
