export { Calendar } from './business-calendar.ts';
export { slaRoutes } from './sla.routes.ts';
export { getCalendarSettings, loadCalendar, saveCalendar } from './sla.service.ts';
