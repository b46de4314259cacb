export { billingRoutes } from './billing.routes.ts';
export { billingExportRoutes } from './billing.exports.routes.ts';
export { checkBudgets } from './billing.alerts.ts';
export { defineBillingJobs } from './billing.jobs.ts';
export {
  closeMonth,
  draftStatement,
  putRateCard,
  usageCostSoFar,
  type CloseResult,
} from './billing.service.ts';
export { usagePricesOf, type UsagePrice } from './billing.estimate.ts';
