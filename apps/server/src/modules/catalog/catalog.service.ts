import {
  type Category,
  type CategoryDocument,
  type Lifecycle,
  type ManagedService,
  type Plan,
  type PlanDocument,
  type ServiceDocument,
  type Sla,
} from '@portico/shared';
import { renderMarkdown } from '@portico/shared/markdown';
import Decimal from 'decimal.js';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { teamRefs } from '../identity/index.ts';
import * as repo from './catalog.repo.ts';

// ---- categories ------------------------------------------------------------------------

/** All categories, each counting the published services in it and below it. */
export async function listCategories(ex: Executor): Promise<Category[]> {
  const [rows, counts] = await Promise.all([repo.listCategories(ex), repo.publishedCountByCategory(ex)]);
  const direct = new Map(counts.map((c) => [c.categoryId, c.n]));
  const byId = new Map(rows.map((c) => [c.id, c]));
  const total = new Map<string, number>();
  for (const c of rows) {
    for (let at: repo.CategoryRow | undefined = c; at; at = at.parentId ? byId.get(at.parentId) : undefined) {
      total.set(at.id, (total.get(at.id) ?? 0) + (direct.get(c.id) ?? 0));
    }
  }
  return rows.map((c) => ({
    slug: c.slug,
    name: c.name,
    description: c.description,
    icon: c.icon,
    parent: c.parentId ? (byId.get(c.parentId)?.slug ?? null) : null,
    serviceCount: total.get(c.id) ?? 0,
  }));
}

/**
 * Every category's slug and name, in the catalogue's order, without counting services: what a
 * listing needs to label its category facet.
 */
export async function categoryNames(ex: Executor): Promise<{ slug: string; name: string }[]> {
  return repo.listCategoryNames(ex);
}

/** The category and its ancestors, nearest first. */
export async function categoryPath(ex: Executor, categoryId: string) {
  const byId = new Map((await repo.listCategories(ex)).map((c) => [c.id, c]));
  const path: repo.CategoryRow[] = [];
  for (
    let at = byId.get(categoryId);
    at && path.length < 20;
    at = at.parentId ? byId.get(at.parentId) : undefined
  ) {
    path.push(at);
  }
  return path;
}

export async function saveCategory(tx: Tx, actor: Actor, doc: CategoryDocument, position: number) {
  const parent = doc.parent ? await repo.findCategoryBySlug(tx, doc.parent) : undefined;
  if (doc.parent && !parent) throw invalid('parent', `no category ${doc.parent}`);
  const before = await repo.findCategoryBySlug(tx, doc.slug);
  const saved = await repo.upsertCategory(tx, {
    slug: doc.slug,
    name: doc.name,
    description: doc.description,
    icon: doc.icon,
    parentId: parent?.id ?? null,
    position,
  });
  await recordAudit(tx, actor, {
    action: before ? 'category.updated' : 'category.created',
    entityType: 'category',
    entityId: saved.id,
    after: { ...doc },
  });
  return saved;
}

export async function categoryDocuments(ex: Executor): Promise<CategoryDocument[]> {
  const rows = await repo.listCategories(ex);
  const byId = new Map(rows.map((c) => [c.id, c.slug]));
  return rows.map((c) => ({
    slug: c.slug,
    name: c.name,
    description: c.description,
    icon: c.icon,
    parent: c.parentId ? byId.get(c.parentId)! : null,
  }));
}

// ---- plans as requesters see them -------------------------------------------------------

export function slaOf(p: repo.PlanRow): Sla {
  return {
    name: p.slaName,
    availability: p.availability,
    supportHours: p.supportHours,
    responseHours: p.responseHours,
    resolutionHours: p.resolutionHours,
    summary:
      `${p.slaName}: available ${p.availability} of the time; support ${p.supportHours}; ` +
      `a first response within ${p.responseHours} business hours and a fix within ` +
      `${p.resolutionHours} business hours of a ticket.`,
  };
}

export const firstYearCost = (p: { oneTimePrice: string; monthlyPrice: string }) =>
  new Decimal(p.oneTimePrice).plus(new Decimal(p.monthlyPrice).times(12)).toFixed(9);

export const presentPlan = (p: repo.PlanRow): Plan => ({
  slug: p.slug,
  name: p.name,
  features: p.features,
  currency: p.currency,
  oneTimePrice: p.oneTimePrice,
  monthlyPrice: p.monthlyPrice,
  meteredPrices: p.meteredPrices,
  firstYearCost: firstYearCost(p),
  leadTimeDays: p.leadTimeDays,
  sla: slaOf(p),
  quota: { perPerson: p.quotaPerPerson, perCostCentre: p.quotaPerCostCentre },
  lease: p.leaseDays ? { days: p.leaseDays, graceDays: p.leaseGraceDays ?? 0 } : null,
});

/** What a listing or a search index needs to know of a service's plans. */
export function planFacts(plans: repo.PlanRow[]) {
  const cheapest = plans.reduce<repo.PlanRow | undefined>(
    (min, p) => (!min || new Decimal(p.monthlyPrice).lt(min.monthlyPrice) ? p : min),
    undefined,
  );
  return {
    fromMonthlyPrice: cheapest?.monthlyPrice ?? null,
    fromOneTimePrice: plans.length ? Decimal.min(...plans.map((p) => p.oneTimePrice)).toFixed(9) : null,
    currency: cheapest?.currency ?? 'EUR',
    minLeadTimeDays: plans.length ? Math.min(...plans.map((p) => p.leadTimeDays)) : null,
  };
}

/**
 * A service as its product page shows it (without what discovery adds): published and
 * retired ones to everyone (owners of a retired service still look it up), drafts only to
 * those who may see drafts.
 */
export async function getServicePage(ex: Executor, slug: string, seesDrafts: boolean) {
  const service = await repo.findServiceBySlug(ex, slug);
  if (!service || (service.status === 'draft' && !seesDrafts)) throw notFound(`Service ${slug}`);
  const [plans, teams, path, alternatives] = await Promise.all([
    repo.plansOf(ex, service.id),
    teamRefs(ex, [service.ownerTeamId]),
    categoryPath(ex, service.categoryId),
    repo.alternativesOf(ex, service.id),
  ]);
  return {
    service,
    category: { slug: path[0]!.slug, name: path[0]!.name },
    plans,
    descriptionHtml: renderMarkdown(service.description),
    ownerTeam: teams.get(service.ownerTeamId)!,
    alternativeSlugs: alternatives.filter((a) => a.status === 'published').map((a) => a.slug),
  };
}

/** What an order line buys; `field` names the line in the error when it cannot be ordered. */
export async function orderablePlan(ex: Executor, serviceSlug: string, planSlug: string, field: string) {
  const service = await repo.findServiceBySlug(ex, serviceSlug);
  if (!service || service.status === 'draft') throw invalid(`${field}.service`, `no service ${serviceSlug}`);
  if (service.status === 'retired') {
    throw invalid(`${field}.service`, `${service.name} is retired and can no longer be ordered`);
  }
  const plan = (await repo.plansOf(ex, service.id)).find((p) => p.slug === planSlug);
  if (!plan) throw invalid(`${field}.plan`, `${service.name} has no plan ${planSlug}`);
  const categories = (await categoryPath(ex, service.categoryId)).map((c) => c.slug);
  return { service, plan, sla: slaOf(plan), categoryPath: categories };
}

export async function serviceRefs(ex: Executor, ids: string[]) {
  const rows = await repo.findServicesByIds(ex, [...new Set(ids)]);
  return new Map(rows.map((s) => [s.id, { slug: s.slug, name: s.name, kind: s.kind, icon: s.icon }]));
}

export async function planRefs(ex: Executor, ids: string[]) {
  const rows = await repo.findPlansByIds(ex, [...new Set(ids)]);
  return new Map(rows.map((p) => [p.id, { slug: p.slug, name: p.name }]));
}

// ---- the search index's view ------------------------------------------------------------

/** Everything discovery indexes about a service. */
export async function indexable(ex: Executor, serviceId: string) {
  const service = await repo.findService(ex, serviceId);
  if (!service) throw notFound('Service');
  const plans = await repo.plansOf(ex, serviceId);
  const path = await categoryPath(ex, service.categoryId);
  return {
    service,
    category: path[0]!,
    categoryPath: path.map((c) => c.slug),
    ...planFacts(plans),
  };
}

export async function allServiceIds(ex: Executor): Promise<string[]> {
  return (await repo.listAllServices(ex)).map((r) => r.service.id);
}

// ---- catalogue management -----------------------------------------------------------------

export async function listManaged(ex: Executor): Promise<ManagedService[]> {
  return (await repo.listAllServices(ex)).map(({ service: s, categorySlug, planCount }) => ({
    slug: s.slug,
    name: s.name,
    kind: s.kind,
    icon: s.icon,
    category: categorySlug,
    status: s.status,
    version: s.version,
    updatedAt: s.updatedAt.toISOString(),
    planCount,
  }));
}

export async function findServiceBySlug(ex: Executor, slug: string) {
  return repo.findServiceBySlug(ex, slug);
}

export async function requireService(ex: Executor, slug: string) {
  const service = await repo.findServiceBySlug(ex, slug);
  if (!service) throw notFound(`Service ${slug}`);
  return service;
}

/**
 * The service as a document (what YAML and the editor hold). `fulfilmentOf` supplies each
 * plan's fulfilment, which the fulfilment module owns.
 */
export async function documentOf(
  ex: Executor,
  service: repo.ServiceRow,
  fulfilmentOf: (planId: string) => Promise<PlanDocument['fulfilment']>,
): Promise<ServiceDocument> {
  const plans = await repo.plansOf(ex, service.id);
  const teams = await teamRefs(ex, [service.ownerTeamId]);
  const path = await categoryPath(ex, service.categoryId);
  const alternatives = await repo.alternativesOf(ex, service.id);
  const planDocs: PlanDocument[] = [];
  for (const p of plans) {
    planDocs.push({
      slug: p.slug,
      name: p.name,
      features: p.features,
      currency: p.currency,
      oneTimePrice: decimalText(p.oneTimePrice),
      monthlyPrice: decimalText(p.monthlyPrice),
      meteredPrices: p.meteredPrices,
      leadTimeDays: p.leadTimeDays,
      sla: {
        name: p.slaName,
        availability: p.availability,
        supportHours: p.supportHours,
        responseHours: p.responseHours,
        resolutionHours: p.resolutionHours,
      },
      quota: {
        ...(p.quotaPerPerson ? { perPerson: p.quotaPerPerson } : {}),
        ...(p.quotaPerCostCentre ? { perCostCentre: p.quotaPerCostCentre } : {}),
      },
      ...(p.leaseDays ? { lease: { days: p.leaseDays, graceDays: p.leaseGraceDays ?? 0 } } : {}),
      fulfilment: await fulfilmentOf(p.id),
    });
  }
  return {
    slug: service.slug,
    name: service.name,
    tagline: service.tagline,
    description: service.description,
    kind: service.kind,
    icon: service.icon,
    category: path[0]!.slug,
    ownerTeam: teams.get(service.ownerTeamId)!.key,
    tags: service.tags,
    status: service.status,
    featured: service.featured,
    alternatives: alternatives.map((a) => a.slug),
    options: service.options ?? null,
    plans: planDocs,
  };
}

/** "38.000000000" → "38.00"; keeps at least two decimals, as people write prices. */
function decimalText(value: string): string {
  const d = new Decimal(value);
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toString();
}

/** JSON with sorted keys and canonical amounts, so equal documents compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string' && /^\d+\.\d+$|^\d+$/.test(v) && _key.toLowerCase().endsWith('price'))
      return decimalText(v);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)));
    }
    return v;
  });
}

/** Alternatives are a set: their order in a file is no change. */
const sameContent = (a: ServiceDocument, b: ServiceDocument) =>
  canonicalJson({ ...a, status: null, alternatives: [...a.alternatives].sort() }) ===
  canonicalJson({ ...b, status: null, alternatives: [...b.alternatives].sort() });

export interface SavedService {
  service: repo.ServiceRow;
  plans: repo.PlanRow[];
  outcome: 'created' | 'updated' | 'unchanged';
}

/**
 * Creates or updates a service from its document. Editing a published service makes a new
 * version (the old one stays recorded for the orders that bought it); drafts are edited in
 * place. The status in the document is applied too (publish, retire).
 */
export async function saveService(
  tx: Tx,
  actor: Actor,
  doc: ServiceDocument,
  refs: {
    ownerTeamId: string;
    previous: ServiceDocument | null;
    /** Link only the alternatives that exist yet; an import links the rest with linkAlternatives. */
    deferAlternatives?: boolean;
  },
): Promise<SavedService> {
  const category = await repo.findCategoryBySlug(tx, doc.category);
  if (!category) throw invalid('category', `no category ${doc.category}`);
  const alternatives = await repo.findServicesBySlugs(tx, doc.alternatives);
  doc.alternatives.forEach((slug, i) => {
    if (!refs.deferAlternatives && !alternatives.some((a) => a.slug === slug)) {
      throw invalid(`alternatives.${i}`, `no service ${slug}`);
    }
  });
  const existing = await repo.findServiceBySlug(tx, doc.slug);
  if (existing && refs.previous && sameContent(refs.previous, doc) && existing.status === doc.status) {
    return { service: existing, plans: await repo.plansOf(tx, existing.id), outcome: 'unchanged' };
  }
  const fields = {
    name: doc.name,
    tagline: doc.tagline,
    description: doc.description,
    kind: doc.kind,
    icon: doc.icon,
    categoryId: category.id,
    ownerTeamId: refs.ownerTeamId,
    tags: doc.tags,
    featured: doc.featured,
    options: doc.options,
  };
  const contentChanged = !refs.previous || !sameContent(refs.previous, doc);
  const bump = existing?.status === 'published' && contentChanged;
  const service = existing
    ? await repo.updateService(tx, existing.id, {
        ...fields,
        status: doc.status,
        version: bump ? existing.version + 1 : existing.version,
      })
    : await repo.insertService(tx, { slug: doc.slug, ...fields, status: doc.status });
  const plans = [];
  for (const [position, p] of doc.plans.entries()) {
    plans.push(
      await repo.upsertPlan(tx, {
        serviceId: service.id,
        slug: p.slug,
        name: p.name,
        position,
        features: p.features,
        currency: p.currency,
        oneTimePrice: p.oneTimePrice,
        monthlyPrice: p.monthlyPrice,
        meteredPrices: p.meteredPrices,
        leadTimeDays: p.leadTimeDays,
        slaName: p.sla.name,
        availability: p.sla.availability,
        supportHours: p.sla.supportHours,
        responseHours: p.sla.responseHours,
        resolutionHours: p.sla.resolutionHours,
        quotaPerPerson: p.quota.perPerson ?? null,
        quotaPerCostCentre: p.quota.perCostCentre ?? null,
        leaseDays: p.lease?.days ?? null,
        leaseGraceDays: p.lease?.graceDays ?? null,
      }),
    );
  }
  await repo.deactivatePlansExcept(
    tx,
    service.id,
    doc.plans.map((p) => p.slug),
  );
  await repo.setAlternatives(
    tx,
    service.id,
    alternatives.map((a) => a.id),
  );
  const published = await recordPublication(tx, actor, service, doc);
  await recordAudit(tx, actor, {
    action: existing ? 'service.updated' : 'service.created',
    entityType: 'service',
    entityId: service.id,
    before: existing ? { status: existing.status, version: existing.version } : null,
    after: { status: published.status, version: published.version },
  });
  return { service: published, plans, outcome: existing ? 'updated' : 'created' };
}

/** A published service's current version is recorded once, with the document it was. */
async function recordPublication(tx: Tx, actor: Actor, service: repo.ServiceRow, doc: ServiceDocument) {
  if (service.status !== 'published') return service;
  await repo.insertVersion(tx, {
    serviceId: service.id,
    version: service.version,
    document: doc,
    publishedById: actor.userId,
  });
  return service.firstPublishedAt
    ? service
    : repo.updateService(tx, service.id, { firstPublishedAt: new Date() });
}

const allowedMoves: Record<Lifecycle, Lifecycle[]> = {
  draft: ['published'],
  published: ['retired'],
  retired: ['published'],
};

/** Moves a service through its lifecycle: draft → published → retired (→ published again). */
export async function changeLifecycle(
  tx: Tx,
  actor: Actor,
  slug: string,
  to: Lifecycle,
  current: (service: repo.ServiceRow) => Promise<ServiceDocument>,
) {
  const service = await requireService(tx, slug);
  if (!allowedMoves[service.status].includes(to)) {
    throw conflict(`A ${service.status} service cannot be ${to === 'published' ? 'published' : to}`);
  }
  const updated = await repo.updateService(tx, service.id, { status: to });
  const result = await recordPublication(tx, actor, updated, { ...(await current(updated)), status: to });
  await recordAudit(tx, actor, {
    action: `service.${to}`,
    entityType: 'service',
    entityId: service.id,
    before: { status: service.status },
    after: { status: to, version: result.version },
  });
  return result;
}

/** Points a service at its alternatives (after an import has created all of them). */
export async function linkAlternatives(tx: Tx, slug: string, alternativeSlugs: string[]) {
  const service = await requireService(tx, slug);
  const found = await repo.findServicesBySlugs(tx, alternativeSlugs);
  await repo.setAlternatives(
    tx,
    service.id,
    found.map((a) => a.id),
  );
}

export async function versionsOf(ex: Executor, serviceId: string) {
  return repo.versionsOf(ex, serviceId);
}

// ---- what subscription owners can move to ---------------------------------------------------

/**
 * A service as its subscriptions see it: the version and plans offered now (for a resize or an
 * upgrade), and every published version's document (to say what changed since the one owned).
 */
export async function offerOf(ex: Executor, serviceId: string) {
  const service = await repo.findService(ex, serviceId);
  if (!service) return null;
  const [plans, versions] = await Promise.all([repo.plansOf(ex, serviceId), repo.versionsOf(ex, serviceId)]);
  return {
    service: {
      slug: service.slug,
      name: service.name,
      version: service.version,
      orderable: service.status === 'published',
    },
    plans: plans.map(presentPlan),
    documents: new Map(versions.map((v) => [v.version, v.document])),
  };
}

/** The plan's lease, when its subscriptions have one. */
export async function leaseOfPlan(ex: Executor, planId: string) {
  const [plan] = await repo.findPlansByIds(ex, [planId]);
  return plan?.leaseDays ? { days: plan.leaseDays, graceDays: plan.leaseGraceDays ?? 0 } : null;
}

export async function serviceIdsNamed(ex: Executor, text: string): Promise<string[]> {
  return (await repo.serviceIdsNamed(ex, text)).map((s) => s.id);
}

/** A plan by its service's slug and its own (any status: a retired plan may still be billed). */
export async function planBySlugs(ex: Executor, serviceSlug: string, planSlug: string) {
  const service = await repo.findServiceBySlug(ex, serviceSlug);
  if (!service) return null;
  const plan = (await repo.plansOf(ex, service.id, true)).find((p) => p.slug === planSlug);
  return plan ? { service, plan } : null;
}
