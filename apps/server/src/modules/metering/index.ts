export { meteringRoutes } from './metering.routes.ts';
export { findMeter, usageLevels, usageTotals } from './metering.service.ts';
