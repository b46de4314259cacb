export { meteringRoutes } from './metering.routes.ts';
export { ensureMeter, findMeter, usageArrivedSince, usageLevels, usageTotals } from './metering.service.ts';
