import { BudgetBody, CostCentre, Problem } from '@portico/shared';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import * as service from './org.service.ts';

const tags = ['org'];
const CodeParams = z.object({ code: z.string().min(1) });

export function orgRoutes(app: Http, deps: Deps & service.CostCentreLookups): void {
  const { database } = deps;
  app.get(
    '/api/cost-centres',
    {
      schema: {
        tags,
        summary: 'Cost centres with budget and what is committed this month and year',
        response: { 200: z.object({ items: z.array(CostCentre) }) },
      },
    },
    async (req) => ({ items: await service.listCostCentres(database.db, actorOf(req), deps) }),
  );

  app.get(
    '/api/cost-centres/:code',
    {
      schema: {
        tags,
        summary: 'A cost centre with its budget',
        params: CodeParams,
        response: { 200: CostCentre, 404: Problem },
      },
    },
    async (req) => service.getCostCentre(database.db, actorOf(req), req.params.code, deps),
  );

  app.put(
    '/api/cost-centres/:code/budgets/:year',
    {
      schema: {
        tags,
        summary: 'Set a cost centre’s budget for a year (finance)',
        params: CodeParams.extend({ year: z.coerce.number().int().min(2000).max(2100) }),
        body: BudgetBody,
        response: { 200: CostCentre, 400: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await database.transaction((tx) =>
        service.setBudget(tx, actor, req.params.code, req.params.year, req.body),
      );
      return service.getCostCentre(database.db, actor, req.params.code, deps);
    },
  );
}
