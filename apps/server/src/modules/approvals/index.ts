export { approvalRoutes } from './approvals.routes.ts';
export { decide, isApproverOf, routeLine, type Routing } from './approvals.service.ts';
