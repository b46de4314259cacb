import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { categories, plans, services } from './catalog.tables.ts';

export type ServiceRow = typeof services.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;

export function listCategoriesWithCounts(ex: Executor) {
  return ex
    .select({
      category: categories,
      serviceCount: sql<number>`count(${services.id}) filter (where ${services.status} = 'published')::int`,
    })
    .from(categories)
    .leftJoin(services, eq(services.categoryId, categories.id))
    .groupBy(categories.id)
    .orderBy(asc(categories.position), asc(categories.name));
}

export interface ServiceFilter {
  q?: string;
  categorySlug?: string;
  kind?: ServiceRow['kind'];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function listPublishedServices(ex: Executor, filter: ServiceFilter) {
  const where: (SQL | undefined)[] = [eq(services.status, 'published')];
  if (filter.categorySlug) where.push(eq(categories.slug, filter.categorySlug));
  if (filter.kind) where.push(eq(services.kind, filter.kind));
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`;
    where.push(
      or(
        ilike(services.name, pattern),
        ilike(services.tagline, pattern),
        ilike(services.description, pattern),
        ilike(categories.name, pattern),
      ),
    );
  }
  return ex
    .select({
      service: services,
      category: { slug: categories.slug, name: categories.name },
      fromMonthlyPrice: sql<
        string | null
      >`(select min(${plans.monthlyPrice}) from ${plans} where ${plans.serviceId} = ${services.id})`,
      currency: sql<
        string | null
      >`(select min(${plans.currency}) from ${plans} where ${plans.serviceId} = ${services.id})`,
      minLeadTimeDays: sql<
        number | null
      >`(select min(${plans.leadTimeDays}) from ${plans} where ${plans.serviceId} = ${services.id})`,
    })
    .from(services)
    .innerJoin(categories, eq(categories.id, services.categoryId))
    .where(and(...where))
    .orderBy(
      filter.q ? sql`(${services.name} ilike ${`${escapeLike(filter.q)}%`}) desc` : asc(services.name),
      asc(services.name),
    );
}

export async function findServiceBySlug(ex: Executor, slug: string) {
  const [row] = await ex
    .select({ service: services, category: { slug: categories.slug, name: categories.name } })
    .from(services)
    .innerJoin(categories, eq(categories.id, services.categoryId))
    .where(eq(services.slug, slug));
  return row;
}

export function plansOf(ex: Executor, serviceId: string) {
  return ex.select().from(plans).where(eq(plans.serviceId, serviceId)).orderBy(asc(plans.position));
}

export function findServicesByIds(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(services).where(inArray(services.id, ids));
}

export function findPlansByIds(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(plans).where(inArray(plans.id, ids));
}

export async function insertCategory(ex: Executor, row: typeof categories.$inferInsert) {
  const [created] = await ex.insert(categories).values(row).returning();
  return created!;
}

export async function insertService(ex: Executor, row: typeof services.$inferInsert) {
  const [created] = await ex.insert(services).values(row).returning();
  return created!;
}

export async function insertPlan(ex: Executor, row: typeof plans.$inferInsert) {
  const [created] = await ex.insert(plans).values(row).returning();
  return created!;
}
