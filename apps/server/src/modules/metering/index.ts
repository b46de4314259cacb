export { meteringRoutes } from './metering.routes.ts';
export {
  ensureMeter,
  allMeters,
  findMeter,
  usageOf,
  usageArrivedSince,
  usageLevels,
  usageTotals,
} from './metering.service.ts';
