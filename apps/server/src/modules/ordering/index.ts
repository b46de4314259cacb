export { type ChargedTo } from './ordering.cart.ts';
export { orderingRoutes } from './ordering.routes.ts';
export {
  addLineEvent,
  advanceLine,
  cancelLine,
  committed,
  describeLine,
  firstYearCost,
  lineAmounts,
  linesWithOrders,
  openChanges,
  orderNumber,
  priceLine,
  quotaChecks,
  requestAmounts,
  submitOrder,
  type LineApprovals,
  type PlacedOrder,
  type PricedLine,
} from './ordering.service.ts';
