export { meteringRoutes } from './metering.routes.ts';
export {
  ensureMeter,
  findMeter,
  ingestUsage,
  usageArrivedSince,
  usageLevels,
  usageTotals,
} from './metering.service.ts';
