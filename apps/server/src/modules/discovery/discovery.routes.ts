import {
  CompareQuery,
  Comparison,
  Problem,
  SearchResult,
  ServiceDetail,
  ServiceQuery,
  Storefront,
} from '@portico/shared';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { seesDrafts } from '../catalog/index.ts';
import { SlugParams } from './discovery.schemas.ts';
import * as service from './discovery.service.ts';

const tags = ['discovery'];

export function discoveryRoutes(app: Http, { database }: Deps): void {
  app.get(
    '/api/storefront',
    {
      schema: {
        tags,
        summary: 'The home page: featured, new and most requested services, categories',
        response: { 200: Storefront },
      },
    },
    async (req) => {
      actorOf(req);
      return service.storefront(database.db);
    },
  );

  app.get(
    '/api/services',
    {
      schema: {
        tags,
        summary: 'Search and browse published services (ranked when q is given; typo tolerant), with facets',
        querystring: ServiceQuery,
        response: { 200: SearchResult, 400: Problem },
      },
    },
    async (req) => {
      actorOf(req);
      return service.search(database.db, req.query);
    },
  );

  app.get(
    '/api/services/:slug',
    {
      schema: {
        tags,
        summary:
          'A published service: description, plans, prices, lead times, SLAs, options form, alternatives',
        params: SlugParams,
        response: { 200: ServiceDetail, 404: Problem },
      },
    },
    async (req) => service.serviceDetail(database.db, req.params.slug, seesDrafts(actorOf(req))),
  );

  app.get(
    '/api/compare',
    {
      schema: {
        tags,
        summary: 'Two to four services (or slug:plan) side by side, with a verdict',
        querystring: CompareQuery,
        response: { 200: Comparison, 400: Problem },
      },
    },
    async (req) => {
      actorOf(req);
      return service.compare(database.db, req.query.services);
    },
  );
}
