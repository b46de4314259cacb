export { meteringRoutes } from './metering.routes.ts';
