import type { BusinessCalendar } from '@portico/shared';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { recordAudit } from '../audit/index.ts';
import { Calendar, defaultCalendar } from './business-calendar.ts';
import * as repo from './sla.repo.ts';

export async function getCalendarSettings(ex: Executor): Promise<BusinessCalendar> {
  const { settings, holidays } = await repo.readCalendar(ex);
  if (!settings) return { ...defaultCalendar, holidays };
  const { timezone, workdays, dayStart, dayEnd } = settings;
  return { timezone, workdays, dayStart, dayEnd, holidays };
}

export const loadCalendar = async (ex: Executor) => new Calendar(await getCalendarSettings(ex));

export async function saveCalendar(tx: Tx, actor: Actor, input: BusinessCalendar): Promise<BusinessCalendar> {
  const before = await getCalendarSettings(tx);
  const { holidays, ...settings } = input;
  await repo.writeCalendar(
    tx,
    { ...settings, workdays: [...settings.workdays].sort() },
    [...holidays].sort((a, b) => a.date.localeCompare(b.date)),
  );
  const after = await getCalendarSettings(tx);
  await recordAudit(tx, actor, {
    action: 'business_calendar.changed',
    entityType: 'business_calendar',
    entityId: '1',
    before,
    after,
  });
  return after;
}
