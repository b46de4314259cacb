export { fulfilmentRoutes } from './fulfilment.routes.ts';
export {
  completeTask,
  fulfilmentDocument,
  isWorkingOn,
  setFulfilmentPlan,
  startLine,
  type FulfilmentPlanDocument,
  teamForPlan,
} from './fulfilment.service.ts';
