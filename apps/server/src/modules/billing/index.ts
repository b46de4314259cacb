export { billingRoutes } from './billing.routes.ts';
export { billingExportRoutes } from './billing.exports.routes.ts';
export { CLOSE_MONTH, defineBillingJobs } from './billing.jobs.ts';
export { closeMonth, draftStatement, putRateCard, type CloseResult } from './billing.service.ts';
