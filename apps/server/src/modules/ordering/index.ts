export { orderingRoutes } from './ordering.routes.ts';
export {
  advanceLine,
  linesWithOrders,
  orderNumber,
  presentLine,
  submitOrder,
  type PlacedOrder,
} from './ordering.service.ts';
