import { Category, page, Problem, ServiceDetail, ServiceQuery, ServiceSummary } from '@portico/shared';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { SlugParams } from './catalog.schemas.ts';
import * as service from './catalog.service.ts';

const tags = ['catalogue'];

export function catalogRoutes(app: Http, { database }: Deps): void {
  app.get(
    '/api/categories',
    {
      schema: {
        tags,
        summary: 'Categories with their number of services',
        response: { 200: page(Category) },
      },
    },
    async (req) => {
      actorOf(req);
      return { items: await service.listCategories(database.db), nextCursor: null };
    },
  );

  app.get(
    '/api/services',
    {
      schema: {
        tags,
        summary: 'Published services, filtered by text, category and kind',
        querystring: ServiceQuery,
        response: { 200: page(ServiceSummary) },
      },
    },
    async (req) => {
      actorOf(req);
      return { items: await service.listServices(database.db, req.query), nextCursor: null };
    },
  );

  app.get(
    '/api/services/:slug',
    {
      schema: {
        tags,
        summary: 'A service with its plans, prices, lead times and SLAs',
        params: SlugParams,
        response: { 200: ServiceDetail, 404: Problem },
      },
    },
    async (req) => {
      actorOf(req);
      return service.getService(database.db, req.params.slug);
    },
  );
}
