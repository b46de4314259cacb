import { and, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { budgets, costCentres, departments, placements } from './org.tables.ts';

export type BudgetRow = typeof budgets.$inferSelect;

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

export async function findBudget(ex: Executor, costCentreId: string, year: number) {
  const [row] = await ex
    .select()
    .from(budgets)
    .where(and(eq(budgets.costCentreId, costCentreId), eq(budgets.year, year)));
  return row;
}

/** Holds the budget row until the transaction ends: checkouts against it take turns. */
export async function lockBudget(ex: Executor, costCentreId: string, year: number) {
  await ex
    .select({ id: budgets.costCentreId })
    .from(budgets)
    .where(and(eq(budgets.costCentreId, costCentreId), eq(budgets.year, year)))
    .for('update');
}

export function findBudgets(ex: Executor, costCentreIds: string[], year: number) {
  if (costCentreIds.length === 0) return Promise.resolve([]);
  return ex
    .select()
    .from(budgets)
    .where(and(inArray(budgets.costCentreId, costCentreIds), eq(budgets.year, year)));
}

export async function upsertBudget(ex: Executor, row: typeof budgets.$inferInsert) {
  const { costCentreId: _cc, year: _y, ...set } = row;
  const [saved] = await ex
    .insert(budgets)
    .values(row)
    .onConflictDoUpdate({
      target: [budgets.costCentreId, budgets.year],
      set: { ...set, updatedAt: new Date() },
    })
    .returning();
  return saved!;
}

/** Every cost centre in force today, with its department, by code. */
export function listCostCentres(ex: Executor) {
  return ex
    .select({ costCentre: costCentres, department: departments })
    .from(costCentres)
    .innerJoin(departments, eq(departments.id, costCentres.departmentId))
    .where(inForce(today()))
    .orderBy(costCentres.code);
}

export const findCostCentresOwnedBy = (ex: Executor, ownerId: string) =>
  ex.select().from(costCentres).where(eq(costCentres.ownerId, ownerId));

export async function updateCostCentre(
  ex: Executor,
  id: string,
  patch: Partial<typeof costCentres.$inferInsert>,
) {
  await ex.update(costCentres).set(patch).where(eq(costCentres.id, id));
}
