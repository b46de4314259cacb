import {
  BillingPeriod,
  BillingPeriodSummary,
  PeriodsQuery,
  CostCentreCosts,
  CostCentreCostsSummary,
  CostsQuery,
  DraftStatement,
  PutChargeModeBody,
  UsageBehindQuery,
  UsageRecord,
  page,
  Problem,
  PutRateCardBody,
  RateCard,
  RateCardQuery,
} from '@portico/shared';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { z } from 'zod';
import { MonthParams } from './billing.schemas.ts';
import * as costs from './billing.costs.ts';
import * as service from './billing.service.ts';

const tags = ['billing'];

export function billingRoutes(app: Http, { database }: Deps): void {
  app.get(
    '/api/rate-cards',
    {
      schema: {
        tags,
        summary: 'Rate cards, every version, newest first per plan and meter (finance, admin)',
        querystring: RateCardQuery,
        response: { 200: page(RateCard), 400: Problem, 403: Problem },
      },
    },
    async (req) => ({
      items: await service.listRateCards(database.db, actorOf(req), req.query),
      nextCursor: null,
    }),
  );

  app.put(
    '/api/rate-cards',
    {
      schema: {
        tags,
        summary: 'A new version of the rate card of a plan and meter (finance, admin)',
        description:
          'Versions are never changed. A period is rated, when it closes, with the highest version ' +
          'effective on its first day; closed periods keep what they were rated with.',
        body: PutRateCardBody,
        response: { 201: RateCard, 400: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const card = await database.transaction((tx) => service.putRateCard(tx, actor, req.body));
      return reply.code(201).send(card);
    },
  );

  app.get(
    '/api/billing/periods',
    {
      schema: {
        tags,
        summary: 'Months at a glance, newest first: state, statements, lines, totals (finance, admin)',
        querystring: PeriodsQuery,
        response: { 200: page(BillingPeriodSummary), 400: Problem, 403: Problem },
      },
    },
    async (req) => ({
      items: await service.listPeriods(database.db, actorOf(req), req.query),
      nextCursor: null,
    }),
  );

  app.get(
    '/api/billing/periods/:month',
    {
      schema: {
        tags,
        summary: "A month's billing: its status and statements (finance, admin)",
        params: MonthParams,
        response: { 200: BillingPeriod, 400: Problem, 403: Problem },
      },
    },
    async (req) => service.getPeriod(database.db, actorOf(req), req.params.month),
  );

  app.post(
    '/api/billing/periods/:month/close',
    {
      schema: {
        tags,
        summary: 'Close a month: rate fees and usage, write statements, lock it (finance, admin)',
        description:
          'Safe to repeat: a close that stopped halfway continues, and a closed month is not ' +
          'charged again (linesWritten: 0).',
        params: MonthParams,
        response: { 200: BillingPeriod, 400: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req) => service.closePeriod(database, actorOf(req), req.params.month),
  );

  app.get(
    '/api/billing/cost-centres/:code/draft',
    {
      schema: {
        tags,
        summary: "A cost centre's running month so far, and a forecast to its end (owner, finance, admin)",
        description:
          'Computed like the close but not written: fees up to now, usage so far and corrections of ' +
          'late usage, the month-to-date total, and a forecast (forecastMethod says how it is made).',
        params: z.object({ code: z.string().min(1) }),
        response: { 200: DraftStatement, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => service.draftStatement(database.db, actorOf(req), req.params.code),
  );

  const CodeParams = z.object({ code: z.string().min(1) });

  app.get(
    '/api/billing/cost-centres',
    {
      schema: {
        tags,
        summary: 'Cost centres with their running month and the last one (finance, admin: all; else: owned)',
        response: { 200: page(CostCentreCostsSummary), 409: Problem },
      },
    },
    async (req) => ({ items: await costs.listCostCentreCosts(database.db, actorOf(req)), nextCursor: null }),
  );

  app.get(
    '/api/billing/cost-centres/:code/costs',
    {
      schema: {
        tags,
        summary: "A cost centre's month: total, forecast, budget, 12-month trend, breakdowns, lines",
        description:
          'The running month and months not closed yet are computed as the close would charge them; ' +
          'closed months are their statements. Owner, finance and admins.',
        params: CodeParams,
        querystring: CostsQuery,
        response: { 200: CostCentreCosts, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => costs.costCentreCosts(database.db, actorOf(req), req.params.code, req.query),
  );

  app.get(
    '/api/billing/cost-centres/:code/usage',
    {
      schema: {
        tags,
        summary: 'The usage events behind a usage line, newest first (owner, finance, admin)',
        params: CodeParams,
        querystring: UsageBehindQuery,
        response: { 200: page(UsageRecord), 400: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => costs.usageBehind(database.db, actorOf(req), req.params.code, req.query),
  );

  app.put(
    '/api/billing/cost-centres/:code/charge-mode',
    {
      schema: {
        tags,
        summary: 'Chargeback (transferred, in the journal) or showback (shown only) (finance, admin)',
        description: 'Statements keep the mode they were closed with.',
        params: CodeParams,
        body: PutChargeModeBody,
        response: { 200: CostCentreCostsSummary, 400: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) =>
      database.transaction((tx) =>
        costs.putChargeMode(tx, actorOf(req), req.params.code, req.body.chargeMode),
      ),
  );
}
