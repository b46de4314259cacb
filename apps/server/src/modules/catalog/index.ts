export { catalogRoutes } from './catalog.routes.ts';
export {
  createCategory,
  createPlan,
  createService,
  orderablePlan,
  planRefs,
  serviceRefs,
} from './catalog.service.ts';
