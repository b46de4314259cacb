export { fulfilmentRoutes } from './fulfilment.routes.ts';
export {
  completeTask,
  isWorkingOn,
  setFulfilmentPlan,
  startLine,
  teamForPlan,
} from './fulfilment.service.ts';
