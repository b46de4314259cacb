export { meteringRoutes } from './metering.routes.ts';
export {
  ensureMeter,
  allMeters,
  findMeter,
  ingestUsage,
  usageArrivedSince,
  usageOf,
  usageQuantities,
  type UsageQuantity,
} from './metering.service.ts';
