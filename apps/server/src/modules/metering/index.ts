export { meteringRoutes } from './metering.routes.ts';
export { ensureMeter, findMeter, usageLevels, usageTotals } from './metering.service.ts';
