import type { Category, Plan, ServiceDetail, ServiceKind, ServiceSummary, Sla } from '@portico/shared';
import type { Executor, Tx } from '../../platform/db.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { teamRefs } from '../identity/index.ts';
import * as repo from './catalog.repo.ts';

export async function listCategories(ex: Executor): Promise<Category[]> {
  return (await repo.listCategoriesWithCounts(ex)).map(({ category: c, serviceCount }) => ({
    slug: c.slug,
    name: c.name,
    description: c.description,
    icon: c.icon,
    serviceCount,
  }));
}

export async function listServices(
  ex: Executor,
  filter: { q?: string; category?: string; kind?: ServiceKind },
): Promise<ServiceSummary[]> {
  const rows = await repo.listPublishedServices(ex, {
    q: filter.q || undefined,
    categorySlug: filter.category,
    kind: filter.kind,
  });
  return rows.map((r) => ({
    slug: r.service.slug,
    name: r.service.name,
    tagline: r.service.tagline,
    kind: r.service.kind,
    icon: r.service.icon,
    category: r.category,
    fromMonthlyPrice: r.fromMonthlyPrice,
    currency: r.currency ?? 'EUR',
    minLeadTimeDays: r.minLeadTimeDays,
  }));
}

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

const presentPlan = (p: repo.PlanRow): Plan => ({
  slug: p.slug,
  name: p.name,
  features: p.features,
  currency: p.currency,
  oneTimePrice: p.oneTimePrice,
  monthlyPrice: p.monthlyPrice,
  leadTimeDays: p.leadTimeDays,
  sla: slaOf(p),
});

/** A published service with its plans; drafts and retired services are not shown here. */
export async function getService(ex: Executor, slug: string): Promise<ServiceDetail> {
  const row = await repo.findServiceBySlug(ex, slug);
  if (!row || row.service.status !== 'published') throw notFound(`Service ${slug}`);
  const [plans, teams] = await Promise.all([
    repo.plansOf(ex, row.service.id),
    teamRefs(ex, [row.service.ownerTeamId]),
  ]);
  const cheapest = plans.reduce<repo.PlanRow | undefined>(
    (min, p) => (!min || Number(p.monthlyPrice) < Number(min.monthlyPrice) ? p : min),
    undefined,
  );
  const s = row.service;
  return {
    slug: s.slug,
    name: s.name,
    tagline: s.tagline,
    kind: s.kind,
    icon: s.icon,
    category: row.category,
    fromMonthlyPrice: cheapest?.monthlyPrice ?? null,
    currency: cheapest?.currency ?? 'EUR',
    minLeadTimeDays: plans.length ? Math.min(...plans.map((p) => p.leadTimeDays)) : null,
    description: s.description,
    version: s.version,
    ownerTeam: teams.get(s.ownerTeamId)!,
    plans: plans.map(presentPlan),
  };
}

/** What an order line buys; `field` names the line in the error when it cannot be ordered. */
export async function orderablePlan(ex: Executor, serviceSlug: string, planSlug: string, field: string) {
  const row = await repo.findServiceBySlug(ex, serviceSlug);
  if (!row || row.service.status === 'draft') throw invalid(`${field}.service`, `no service ${serviceSlug}`);
  if (row.service.status === 'retired') {
    throw invalid(`${field}.service`, `${row.service.name} is retired and can no longer be ordered`);
  }
  const plan = (await repo.plansOf(ex, row.service.id)).find((p) => p.slug === planSlug);
  if (!plan) throw invalid(`${field}.plan`, `${row.service.name} has no plan ${planSlug}`);
  return { service: row.service, plan, sla: slaOf(plan) };
}

export async function serviceRefs(ex: Executor, ids: string[]) {
  const rows = await repo.findServicesByIds(ex, [...new Set(ids)]);
  return new Map(rows.map((s) => [s.id, { slug: s.slug, name: s.name, kind: s.kind, icon: s.icon }]));
}

export async function planRefs(ex: Executor, ids: string[]) {
  const rows = await repo.findPlansByIds(ex, [...new Set(ids)]);
  return new Map(rows.map((p) => [p.id, { slug: p.slug, name: p.name }]));
}

// ---- provisioning (seed data and test factories) --------------------------------------

export const createCategory = (tx: Tx, input: Parameters<typeof repo.insertCategory>[1]) =>
  repo.insertCategory(tx, input);
export const createService = (tx: Tx, input: Parameters<typeof repo.insertService>[1]) =>
  repo.insertService(tx, input);
export const createPlan = (tx: Tx, input: Parameters<typeof repo.insertPlan>[1]) =>
  repo.insertPlan(tx, input);
