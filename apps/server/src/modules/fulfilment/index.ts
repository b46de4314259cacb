export { fulfilmentRoutes } from './fulfilment.routes.ts';
export {
  completeTask,
  fulfilmentDocument,
  isWorkingOn,
  setFulfilmentPlan,
  fulfilmentProblems,
  stepsOfLines,
  teamForPlan,
  writeAdapter,
  readBrokerCatalog,
  presentBrokerCatalog,
  type FetchedCatalog,
} from './fulfilment.service.ts';
export { catalogToDrafts } from './adapters/osb.catalog.ts';
export { fulfilmentEngine, STEP_JOB, type Delivery } from './fulfilment.engine.ts';
export { defaultAdapterFor } from './adapters/registry.ts';
export { lineForecasts, recordForecast, type LineForecasts } from './fulfilment.forecast.ts';
