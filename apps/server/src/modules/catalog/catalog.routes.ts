import {
  Category,
  ImportProblem,
  ImportReport,
  Lifecycle,
  ManagedServiceDetail,
  page,
  Problem,
  ServiceDocument,
} from '@portico/shared';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { invalid } from '../../platform/errors.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { listTeams } from '../identity/index.ts';
import { requireCatalogManager } from './catalog.policy.ts';
import { ImportQuery, ManagedList, SlugParams, Teams } from './catalog.schemas.ts';
import * as service from './catalog.service.ts';

const tags = ['catalogue'];
type Detail = z.output<typeof ManagedServiceDetail>;

/** The catalogue writes span modules (fulfilment, search index); app.ts hands in the workflow. */
export interface CatalogRouteDeps extends Deps {
  save: (tx: Tx, actor: Actor, doc: z.output<typeof ServiceDocument>) => Promise<unknown>;
  move: (tx: Tx, actor: Actor, slug: string, to: Lifecycle) => Promise<unknown>;
  managed: (ex: Executor, slug: string) => Promise<Detail>;
  exportYaml: (ex: Executor) => Promise<string>;
  importYaml: (tx: Tx, actor: Actor, text: string, dryRun: boolean) => Promise<z.output<typeof ImportReport>>;
}

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

export function catalogRoutes(app: Http, deps: CatalogRouteDeps): void {
  const { database } = deps;
  app.addContentTypeParser(
    YAML_TYPES,
    { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/api/categories',
    {
      schema: {
        tags,
        summary: 'The category tree, with the number of published services in each',
        response: { 200: page(Category) },
      },
    },
    async (req) => {
      actorOf(req);
      return { items: await service.listCategories(database.db), nextCursor: null };
    },
  );

  const manager = (req: Parameters<typeof actorOf>[0]) => {
    const actor = actorOf(req);
    requireCatalogManager(actor);
    return actor;
  };

  app.get(
    '/api/catalog/services',
    {
      schema: {
        tags,
        summary: 'Every service, drafts and retired ones included (catalogue managers)',
        response: { 200: ManagedList, 403: Problem },
      },
    },
    async (req) => {
      manager(req);
      return { items: await service.listManaged(database.db), nextCursor: null };
    },
  );

  app.get(
    '/api/catalog/teams',
    {
      schema: {
        tags,
        summary: 'Teams that can own and fulfil services',
        response: { 200: Teams, 403: Problem },
      },
    },
    async (req) => {
      manager(req);
      return { items: await listTeams(database.db), nextCursor: null };
    },
  );

  app.get(
    '/api/catalog/services/:slug',
    {
      schema: {
        tags,
        summary: 'A service as a document, with its version history',
        params: SlugParams,
        response: { 200: ManagedServiceDetail, 403: Problem, 404: Problem },
      },
    },
    async (req) => {
      manager(req);
      return deps.managed(database.db, req.params.slug);
    },
  );

  app.put(
    '/api/catalog/services/:slug',
    {
      schema: {
        tags,
        summary: 'Create or update a service; editing a published service makes a new version',
        params: SlugParams,
        body: ServiceDocument,
        response: { 200: ManagedServiceDetail, 400: Problem, 403: Problem },
      },
    },
    async (req) => {
      const actor = manager(req);
      if (req.body.slug !== req.params.slug)
        throw invalid('slug', `must be ${req.params.slug}, the service in the URL`);
      return database.transaction(async (tx) => {
        await deps.save(tx, actor, req.body);
        return deps.managed(tx, req.params.slug);
      });
    },
  );

  for (const [verb, to] of [
    ['publish', 'published'],
    ['retire', 'retired'],
  ] as const) {
    app.post(
      `/api/catalog/services/:slug/${verb}`,
      {
        schema: {
          tags,
          summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} a service`,
          params: SlugParams,
          response: { 200: ManagedServiceDetail, 403: Problem, 404: Problem, 409: Problem },
        },
      },
      async (req) => {
        const actor = manager(req);
        return database.transaction(async (tx) => {
          await deps.move(tx, actor, req.params.slug, to);
          return deps.managed(tx, req.params.slug);
        });
      },
    );
  }

  app.get(
    '/api/catalog/export',
    {
      schema: {
        tags,
        summary: 'The whole catalogue as YAML (catalogue as code)',
        produces: ['application/yaml'],
      },
    },
    async (req, reply) => {
      manager(req);
      return reply
        .type('application/yaml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="catalog.yaml"')
        .send(await deps.exportYaml(database.db));
    },
  );

  app.post(
    '/api/catalog/import',
    {
      schema: {
        tags,
        summary:
          'Import a catalogue YAML file: upsert by slug, all or nothing; dryRun=true shows the changes only',
        consumes: YAML_TYPES,
        querystring: ImportQuery,
        body: z.string().min(1, 'send the YAML file as the request body'),
        response: { 200: ImportReport, 400: ImportProblem, 403: Problem },
      },
    },
    async (req, reply) => {
      const actor = manager(req);
      const report = await database.transaction((tx) =>
        deps.importYaml(tx, actor, req.body, req.query.dryRun),
      );
      if (!report.errors.length) return report;
      return reply
        .code(400)
        .type('application/problem+json; charset=utf-8')
        .send({
          type: 'https://portico.dev/problems/Invalid',
          title: 'Invalid request',
          status: 400 as const,
          code: 'Invalid' as const,
          detail: `${report.errors.length} problem(s) in the catalogue file; nothing was changed`,
          ...report,
        });
    },
  );
}
