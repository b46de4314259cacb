import { BusinessCalendar, BusinessCalendarBody, Problem } from '@portico/shared';
import { hasRole } from '../../platform/actor.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden } from '../../platform/errors.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import * as service from './sla.service.ts';

const tags = ['sla'];

export function slaRoutes(app: Http, { database }: Deps): void {
  app.get(
    '/api/business-calendar',
    {
      schema: {
        tags,
        summary: 'The business calendar: working days and hours, time zone and holidays',
        response: { 200: BusinessCalendar },
      },
    },
    async () => service.getCalendarSettings(database.db),
  );

  app.put(
    '/api/business-calendar',
    {
      schema: {
        tags,
        summary: 'Replace the business calendar (admins)',
        body: BusinessCalendarBody,
        response: { 200: BusinessCalendar, 400: Problem, 403: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      if (!hasRole(actor, 'admin')) throw forbidden('Only admins change the business calendar');
      return database.transaction((tx) => service.saveCalendar(tx, actor, req.body));
    },
  );
}
