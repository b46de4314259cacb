export { notifyRoutes } from './notify.routes.ts';
export { notify, type NewNotification } from './notify.service.ts';
