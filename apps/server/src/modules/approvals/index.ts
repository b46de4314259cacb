export { approvalRoutes } from './approvals.routes.ts';
export { type LineFacts } from './approvals.rules.ts';
export { planRoute, presentRoute, type PlannedRoute } from './approvals.routing.ts';
export {
  cancelChain,
  chainsOfLines,
  decide,
  escalate,
  isApproverOf,
  openChain,
  remind,
  type Decided,
  type Waiting,
} from './approvals.service.ts';
export { createPolicy } from './approvals.policies.ts';
