import { and, asc, desc, eq, ilike, inArray, notInArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { categories, plans, serviceAlternatives, services, serviceVersions } from './catalog.tables.ts';

export type ServiceRow = typeof services.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;

export function listCategories(ex: Executor) {
  return ex.select().from(categories).orderBy(asc(categories.position), asc(categories.name));
}

export function listCategoryNames(ex: Executor) {
  return ex
    .select({ slug: categories.slug, name: categories.name })
    .from(categories)
    .orderBy(asc(categories.position), asc(categories.name));
}

/** Published services per category (direct members only). */
export function publishedCountByCategory(ex: Executor) {
  return ex
    .select({ categoryId: services.categoryId, n: sql<number>`count(*)::int` })
    .from(services)
    .where(eq(services.status, 'published'))
    .groupBy(services.categoryId);
}

export async function findCategoryBySlug(ex: Executor, slug: string) {
  const [row] = await ex.select().from(categories).where(eq(categories.slug, slug));
  return row;
}

export async function upsertCategory(ex: Executor, row: typeof categories.$inferInsert) {
  const [saved] = await ex
    .insert(categories)
    .values(row)
    .onConflictDoUpdate({
      target: categories.slug,
      set: {
        name: row.name,
        description: row.description,
        icon: row.icon,
        parentId: row.parentId,
        position: row.position,
      },
    })
    .returning();
  return saved!;
}

export async function findServiceBySlug(ex: Executor, slug: string) {
  const [row] = await ex.select().from(services).where(eq(services.slug, slug));
  return row;
}

export async function findService(ex: Executor, id: string) {
  const [row] = await ex.select().from(services).where(eq(services.id, id));
  return row;
}

export function findServicesByIds(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(services).where(inArray(services.id, ids));
}

export function findServicesBySlugs(ex: Executor, slugs: string[]) {
  if (slugs.length === 0) return Promise.resolve([]);
  return ex.select().from(services).where(inArray(services.slug, slugs));
}

export function listAllServices(ex: Executor) {
  return ex
    .select({
      service: services,
      categorySlug: categories.slug,
      planCount: sql<number>`(select count(*)::int from ${plans} where ${plans.serviceId} = ${services.id} and ${plans.active})`,
    })
    .from(services)
    .innerJoin(categories, eq(categories.id, services.categoryId))
    .orderBy(asc(services.name));
}

export async function insertService(ex: Executor, row: typeof services.$inferInsert) {
  const [created] = await ex.insert(services).values(row).returning();
  return created!;
}

export async function updateService(ex: Executor, id: string, set: Partial<typeof services.$inferInsert>) {
  const [updated] = await ex
    .update(services)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(services.id, id))
    .returning();
  return updated!;
}

/** Active plans in their order; `all` includes plans taken out of the service. */
export function plansOf(ex: Executor, serviceId: string, all = false) {
  return ex
    .select()
    .from(plans)
    .where(and(eq(plans.serviceId, serviceId), all ? undefined : eq(plans.active, true)))
    .orderBy(asc(plans.position));
}

export function activePlansOfServices(ex: Executor, serviceIds: string[]) {
  if (serviceIds.length === 0) return Promise.resolve([]);
  return ex
    .select()
    .from(plans)
    .where(and(inArray(plans.serviceId, serviceIds), eq(plans.active, true)))
    .orderBy(asc(plans.position));
}

export function findPlansByIds(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(plans).where(inArray(plans.id, ids));
}

export async function upsertPlan(ex: Executor, row: typeof plans.$inferInsert) {
  const { serviceId: _service, slug: _slug, ...set } = row;
  const [saved] = await ex
    .insert(plans)
    .values(row)
    .onConflictDoUpdate({ target: [plans.serviceId, plans.slug], set: { ...set, active: true } })
    .returning();
  return saved!;
}

export async function deactivatePlansExcept(ex: Executor, serviceId: string, keepSlugs: string[]) {
  await ex
    .update(plans)
    .set({ active: false })
    .where(and(eq(plans.serviceId, serviceId), notInArray(plans.slug, keepSlugs)));
}

export function alternativesOf(ex: Executor, serviceId: string) {
  return ex
    .select({ slug: services.slug, id: services.id, status: services.status })
    .from(serviceAlternatives)
    .innerJoin(services, eq(services.id, serviceAlternatives.alternativeId))
    .where(eq(serviceAlternatives.serviceId, serviceId))
    .orderBy(asc(services.name));
}

export async function setAlternatives(ex: Executor, serviceId: string, alternativeIds: string[]) {
  await ex.delete(serviceAlternatives).where(eq(serviceAlternatives.serviceId, serviceId));
  if (alternativeIds.length) {
    await ex
      .insert(serviceAlternatives)
      .values(alternativeIds.map((alternativeId) => ({ serviceId, alternativeId })));
  }
}

export async function insertVersion(ex: Executor, row: typeof serviceVersions.$inferInsert) {
  await ex.insert(serviceVersions).values(row).onConflictDoNothing();
}

export function versionsOf(ex: Executor, serviceId: string) {
  return ex
    .select()
    .from(serviceVersions)
    .where(eq(serviceVersions.serviceId, serviceId))
    .orderBy(desc(serviceVersions.version));
}

/** Services whose name contains `text` (any case): lists of what people own search by it. */
export const serviceIdsNamed = (ex: Executor, text: string) =>
  ex
    .select({ id: services.id })
    .from(services)
    .where(ilike(services.name, `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
