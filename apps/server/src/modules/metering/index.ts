export { meteringRoutes } from './metering.routes.ts';
export { ensureMeter } from './metering.service.ts';
