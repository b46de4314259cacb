// Writing the catalogue touches three modules: the catalogue itself, how each plan is
// fulfilled, and the search index. Every write goes through here, in the caller's
// transaction, so the three never disagree (an error rolls all of them back).
import type {
  CatalogDocument,
  CategoryDocument,
  ImportReport,
  Lifecycle,
  ServiceDocument,
} from '@portico/shared';
import { createPatch } from 'diff';
import type { Actor } from '../platform/actor.ts';
import type { Executor, Tx } from '../platform/db.ts';
import { AppError, invalid } from '../platform/errors.ts';
import {
  catalogToYaml,
  categoryDocuments,
  changeLifecycle,
  documentOf,
  entryToYaml,
  findServiceBySlug,
  linkAlternatives,
  listManaged,
  parseCatalogYaml,
  saveCategory,
  saveService,
  versionsOf,
  type YamlError,
} from '../modules/catalog/index.ts';
import { reindex } from '../modules/discovery/index.ts';
import { fulfilmentDocument, fulfilmentProblems, setFulfilmentPlan } from '../modules/fulfilment/index.ts';
import { people, teamByKey } from '../modules/identity/index.ts';

type ServiceRow = NonNullable<Awaited<ReturnType<typeof findServiceBySlug>>>;

export const currentDocument = (ex: Executor, service: ServiceRow) =>
  documentOf(ex, service, (planId) => fulfilmentDocument(ex, planId));

async function teamId(tx: Tx, key: string, field: string): Promise<string> {
  return (
    await teamByKey(tx, key).catch(() => {
      throw invalid(field, `no team ${key}`);
    })
  ).id;
}

/** Creates or updates a service with its plans' fulfilment, and re-indexes it. */
export async function saveServiceDocument(
  tx: Tx,
  actor: Actor,
  doc: ServiceDocument,
  deferAlternatives = false,
) {
  const ownerTeamId = await teamId(tx, doc.ownerTeam, 'ownerTeam');
  const existing = await findServiceBySlug(tx, doc.slug);
  const previous = existing ? await currentDocument(tx, existing) : null;
  const saved = await saveService(tx, actor, doc, { ownerTeamId, previous, deferAlternatives });
  if (saved.outcome !== 'unchanged') {
    for (const [i, plan] of saved.plans.entries()) {
      await setFulfilmentPlan(tx, plan.id, doc.plans[i]!.fulfilment, `plans.${i}.fulfilment`);
    }
    await reindex(tx, saved.service.id);
  }
  return saved;
}

export async function moveService(tx: Tx, actor: Actor, slug: string, to: Lifecycle) {
  const service = await changeLifecycle(tx, actor, slug, to, (s) => currentDocument(tx, s));
  await reindex(tx, service.id);
  return service;
}

/** What the catalogue editor shows: the document, its lifecycle and its version history. */
export async function managedService(ex: Executor, slug: string) {
  const service = await findServiceBySlug(ex, slug);
  if (!service) throw new AppError('NotFound', `Service ${slug} was not found`);
  const document = await currentDocument(ex, service);
  const versions = await versionsOf(ex, service.id);
  const who = await people(
    ex,
    versions.flatMap((v) => (v.publishedById ? [v.publishedById] : [])),
  );
  return {
    document,
    status: service.status,
    version: service.version,
    versions: versions.map((v) => ({
      version: v.version,
      publishedAt: v.publishedAt.toISOString(),
      publishedBy: v.publishedById ? (who.get(v.publishedById)?.name ?? null) : null,
    })),
  };
}

export async function exportCatalog(ex: Executor): Promise<string> {
  const managed = await listManaged(ex);
  const services: ServiceDocument[] = [];
  for (const m of managed) services.push(await currentDocument(ex, (await findServiceBySlug(ex, m.slug))!));
  return catalogToYaml(await categoryDocuments(ex), services);
}

const patch = (name: string, before: string, after: string) =>
  createPatch(name, before, after, 'current', 'file', { context: 3 }).split('\n').slice(2).join('\n');

/**
 * Imports a catalogue file: upsert by slug, all or nothing. The whole file is checked first
 * (syntax, schema, references) and every problem reported with its line and column; with any
 * problem, or on a dry run, nothing changes. Entries not in the file are left alone.
 */
export async function importCatalog(
  tx: Tx,
  actor: Actor,
  text: string,
  dryRun: boolean,
): Promise<ImportReport> {
  const parsed = parseCatalogYaml(text);
  if (!parsed.catalog) return { dryRun, errors: parsed.errors, changes: [] };
  const { errors, changes } = await importDocument(tx, actor, parsed.catalog, dryRun);
  const located: YamlError[] = errors.map((e) => ({
    path: e.path.join('.'),
    ...parsed.locate(e.path),
    message: e.message,
  }));
  return { dryRun, errors: located, changes };
}

export interface DocumentProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Imports a catalogue document, however it was written (a YAML file, a broker's catalogue):
 * every reference is checked first; with any problem, or on a dry run, nothing changes.
 */
export async function importDocument(
  tx: Tx,
  actor: Actor,
  catalog: CatalogDocument,
  dryRun: boolean,
): Promise<{ errors: DocumentProblem[]; changes: ImportReport['changes'] }> {
  const { categories, services } = catalog;
  const errors: DocumentProblem[] = [];
  const fail = (path: (string | number)[], message: string) => errors.push({ path, message });

  const knownCategories = new Map((await categoryDocuments(tx)).map((c) => [c.slug, c]));
  const fileCategories = new Set(categories.map((c) => c.slug));
  const fileServices = new Set(services.map((s) => s.slug));
  const seen = new Set<string>();
  categories.forEach((c, i) => {
    if (seen.has(c.slug)) fail(['categories', i, 'slug'], `${c.slug} appears twice`);
    seen.add(c.slug);
    if (c.parent && !fileCategories.has(c.parent) && !knownCategories.has(c.parent)) {
      fail(['categories', i, 'parent'], `no category ${c.parent}`);
    }
  });
  seen.clear();
  for (const [i, s] of services.entries()) {
    if (seen.has(s.slug)) fail(['services', i, 'slug'], `${s.slug} appears twice`);
    seen.add(s.slug);
    if (!fileCategories.has(s.category) && !knownCategories.has(s.category)) {
      fail(['services', i, 'category'], `no category ${s.category}`);
    }
    for (const [j, alt] of s.alternatives.entries()) {
      if (!fileServices.has(alt) && !(await findServiceBySlug(tx, alt)))
        fail(['services', i, 'alternatives', j], `no service ${alt}`);
    }
    if (!(await teamByKey(tx, s.ownerTeam).catch(() => null))) {
      fail(['services', i, 'ownerTeam'], `no team ${s.ownerTeam}`);
    }
    for (const [j, p] of s.plans.entries()) {
      for (const problem of await fulfilmentProblems(tx, p.fulfilment)) {
        fail(['services', i, 'plans', j, 'fulfilment', ...problem.path], problem.message);
      }
    }
  }

  const changes: ImportReport['changes'] = [];
  const describe = (
    kind: 'category' | 'service',
    slug: string,
    before: CategoryDocument | ServiceDocument | null,
    after: CategoryDocument | ServiceDocument,
  ) => {
    const [a, b] = [entryToYaml(before), entryToYaml(after)];
    const action = !before ? 'create' : a === b ? 'unchanged' : 'update';
    changes.push({ kind, slug, action, diff: action === 'update' ? patch(`${kind}/${slug}`, a, b) : '' });
  };
  for (const c of categories) describe('category', c.slug, knownCategories.get(c.slug) ?? null, c);
  for (const s of services) {
    const existing = await findServiceBySlug(tx, s.slug);
    describe('service', s.slug, existing ? await currentDocument(tx, existing) : null, s);
  }
  if (errors.length || dryRun) return { errors, changes: errors.length ? [] : changes };

  // Parents before their children, whatever order the file lists them in.
  const inFile = new Map(categories.map((c) => [c.slug, c]));
  const depth = (c: CategoryDocument, n = 0): number => {
    const parent = c.parent ? inFile.get(c.parent) : undefined;
    return parent && n < categories.length ? depth(parent, n + 1) : n;
  };
  const byDepth = categories.map((c, position) => ({ c, position })).sort((a, b) => depth(a.c) - depth(b.c));
  for (const { c, position } of byDepth) {
    if (changes.find((x) => x.kind === 'category' && x.slug === c.slug)?.action !== 'unchanged') {
      await saveCategory(tx, actor, c, position);
    }
  }
  for (const s of services) await saveServiceDocument(tx, actor, s, true);
  for (const s of services) await linkAlternatives(tx, s.slug, s.alternatives);
  return { errors, changes };
}
