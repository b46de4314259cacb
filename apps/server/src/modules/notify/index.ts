export { defineNotifyJobs, SEND_EMAILS } from './notify.jobs.ts';
export { notifyRoutes } from './notify.routes.ts';
export { notify, sendOutbox, type NewNotification } from './notify.service.ts';
