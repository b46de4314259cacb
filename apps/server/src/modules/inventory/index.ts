export { inventoryRoutes } from './inventory.routes.ts';
export { getOwned, startSubscription, subscriptionRefs, type Delivery } from './inventory.service.ts';
