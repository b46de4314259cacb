export { discoveryRoutes } from './discovery.routes.ts';
export { recordOrdered, reindex } from './discovery.service.ts';
