import { and, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { costCentres, departments, placements } from './org.tables.ts';

const today = () => new Date().toISOString().slice(0, 10);

/** Cost centres in force on `day` ([validFrom, validTo) is half-open). */
const inForce = (day: string) =>
  and(lte(costCentres.validFrom, day), or(isNull(costCentres.validTo), gt(costCentres.validTo, day)));

export async function findPlacement(ex: Executor, userId: string) {
  const [row] = await ex
    .select({ department: departments, defaultCostCentre: costCentres })
    .from(placements)
    .innerJoin(departments, eq(departments.id, placements.departmentId))
    .innerJoin(costCentres, eq(costCentres.id, placements.defaultCostCentreId))
    .where(eq(placements.userId, userId));
  return row;
}

export function costCentresOfDepartment(ex: Executor, departmentId: string) {
  return ex
    .select()
    .from(costCentres)
    .where(and(eq(costCentres.departmentId, departmentId), inForce(today())))
    .orderBy(costCentres.code);
}

export async function findCostCentreByCode(ex: Executor, code: string) {
  const [row] = await ex.select().from(costCentres).where(eq(costCentres.code, code));
  return row;
}

export function findCostCentresByIds(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(costCentres).where(inArray(costCentres.id, ids));
}

export async function insertDepartment(ex: Executor, row: typeof departments.$inferInsert) {
  const [created] = await ex.insert(departments).values(row).returning();
  return created!;
}

export async function insertCostCentre(ex: Executor, row: typeof costCentres.$inferInsert) {
  const [created] = await ex.insert(costCentres).values(row).returning();
  return created!;
}

export async function insertPlacement(ex: Executor, row: typeof placements.$inferInsert) {
  await ex.insert(placements).values(row);
}
