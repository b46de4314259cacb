// The composition root: the HTTP shell, every module's routes, the workflows that join them,
// and the job handlers. buildApp does not listen, so tests drive it with app.inject.
import { fileURLToPath } from 'node:url';
import { systemActor } from './platform/actor.ts';
import type { Deps } from './platform/deps.ts';
import { createHttp, type Http } from './platform/http.ts';
import { approvalRoutes } from './modules/approvals/index.ts';
import { billingExportRoutes, billingRoutes, defineBillingJobs } from './modules/billing/index.ts';
import { catalogRoutes } from './modules/catalog/index.ts';
import { discoveryRoutes } from './modules/discovery/index.ts';
import {
  fulfilmentQueueRoutes,
  fulfilmentRoutes,
  lineForecasts,
  stepsOfLines,
} from './modules/fulfilment/index.ts';
import { identityRoutes, installAuthentication } from './modules/identity/index.ts';
import { people } from './modules/identity/index.ts';
import { inventoryRoutes } from './modules/inventory/index.ts';
import { meteringRoutes } from './modules/metering/index.ts';
import { defineNotifyJobs, notifyRoutes } from './modules/notify/index.ts';
import { committed, orderingRoutes } from './modules/ordering/index.ts';
import { orgRoutes } from './modules/org/index.ts';
import { slaRoutes } from './modules/sla/index.ts';
import { supportRoutes } from './modules/support/index.ts';
import { importBrokerCatalog } from './workflows/broker-import.workflow.ts';
import * as catalog from './workflows/catalog.workflow.ts';
import {
  COUNT_ORDERS,
  ESCALATE_APPROVAL,
  orderJourney,
  REMIND_APPROVER,
  LEASE_JOB,
  START_FULFILMENT,
  STEP_JOB,
  type LeaseMoment,
} from './workflows/order-journey.workflow.ts';
import { subscriptionJourney } from './workflows/subscription.workflow.ts';
import type { Logger } from 'pino';

export const defaultWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Job handlers are registered on every process, so any of them can enqueue and any worker can run. */
export function defineJobs(deps: Deps): void {
  const journey = orderJourney(deps);
  deps.jobs.define<{ lineId: string }>(START_FULFILMENT, (tx, { lineId }) =>
    journey.startFulfilment(tx, systemActor(`job:${START_FULFILMENT}:${lineId}`), lineId),
  );
  // Retries are the engine's (backoff per adapter); a job that throws is run again by the queue.
  // An adapter call times out within two minutes: a step job still active after five died with its worker.
  deps.jobs.defineStaged<{ stepId: string; undo: boolean }>(STEP_JOB, journey.runStep, {
    expireInSeconds: 300,
  });
  deps.jobs.define<{ serviceIds: string[] }>(COUNT_ORDERS, journey.countOrders);
  deps.jobs.define<{ subscriptionId: string; endsAt: string; moment: LeaseMoment }>(
    LEASE_JOB,
    subscriptionJourney(journey).leaseDue,
  );
  deps.jobs.define<{ approvalId: string; hours: number }>(REMIND_APPROVER, (tx, data) =>
    journey.remindApprover(tx, data),
  );
  deps.jobs.define<{ approvalId: string; hours: number }>(ESCALATE_APPROVAL, (tx, data) =>
    journey.escalateApproval(tx, systemActor(`job:${ESCALATE_APPROVAL}:${data.approvalId}`), data),
  );
  defineBillingJobs(deps);
  defineNotifyJobs(deps);
}

export async function buildApp(deps: Deps, logger: Logger): Promise<Http> {
  const { config, database } = deps;
  const app = await createHttp({
    logger,
    database,
    webDist: config.WEB_DIST ?? defaultWebDist,
    hsts: config.NODE_ENV === 'production',
    trustProxy: config.TRUST_PROXY,
  });
  const journey = orderJourney(deps);

  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const current = await database.migrationsCurrent().catch(() => false);
    return reply
      .code(current ? 200 : 503)
      .send({ status: current ? 'ready' : 'not ready', database: database.kind, migrationsCurrent: current });
  });

  installAuthentication(app, deps);
  identityRoutes(app, deps);
  catalogRoutes(app, {
    ...deps,
    save: catalog.saveServiceDocument,
    move: catalog.moveService,
    managed: catalog.managedService,
    exportYaml: catalog.exportCatalog,
    importYaml: catalog.importCatalog,
  });
  discoveryRoutes(app, deps);
  orgRoutes(app, { ...deps, people, committed });
  slaRoutes(app, deps);
  notifyRoutes(app, deps);
  orderingRoutes(app, {
    ...deps,
    placeOrder: journey.placeOrder,
    cancelLine: journey.cancelLine,
    preview: journey.preview,
    involved: journey.involved,
    approvalsOf: journey.approvalsOf,
    stepsOf: stepsOfLines,
    forecastsOf: lineForecasts,
  });
  approvalRoutes(app, { ...deps, decide: journey.decideApproval, testPolicies: journey.testPolicies });
  fulfilmentRoutes(app, {
    ...deps,
    completeTask: journey.completeTask,
    callback: journey.callback,
    importBrokerCatalog,
  });
  fulfilmentQueueRoutes(app, { ...deps, retryStep: journey.retryStep, abandonLine: journey.abandonLine });
  const subscriptions = subscriptionJourney(journey);
  inventoryRoutes(app, { ...deps, ...subscriptions });
  supportRoutes(app, deps);
  meteringRoutes(app, deps);
  billingRoutes(app, deps);
  billingExportRoutes(app, deps);
  return app;
}
