export { meteringRoutes } from './metering.routes.ts';
export {
  ensureMeter,
  findMeter,
  usageArrivedSince,
  usageQuantities,
  type UsageQuantity,
} from './metering.service.ts';
