import type { CostCentreRef } from '@portico/shared';
import type { Executor, Tx } from '../../platform/db.ts';
import { invalid } from '../../platform/errors.ts';
import * as repo from './org.repo.ts';

export interface Placement {
  department: { id: string; code: string; name: string };
  defaultCostCentre: CostCentreRef & { id: string };
  /** The cost centres this person may charge: their department's, in force today. */
  chargeable: (CostCentreRef & { id: string; ownerId: string | null })[];
}

const ref = (c: { id: string; code: string; name: string; ownerId: string | null }) => ({
  id: c.id,
  code: c.code,
  name: c.name,
  ownerId: c.ownerId,
});

export async function placementOf(ex: Executor, userId: string): Promise<Placement | null> {
  const row = await repo.findPlacement(ex, userId);
  if (!row) return null;
  const own = await repo.costCentresOfDepartment(ex, row.department.id);
  const chargeable = own.map(ref);
  if (!chargeable.some((c) => c.id === row.defaultCostCentre.id)) {
    chargeable.unshift(ref(row.defaultCostCentre));
  }
  return {
    department: row.department,
    defaultCostCentre: ref(row.defaultCostCentre),
    chargeable,
  };
}

/** The cost centre `code`, if `userId` may charge it; otherwise a 400 naming the field. */
export async function chargeableCostCentre(ex: Executor, userId: string, code: string, field: string) {
  const placement = await placementOf(ex, userId);
  const found = placement?.chargeable.find((c) => c.code === code);
  if (!found) {
    const exists = await repo.findCostCentreByCode(ex, code);
    throw invalid(field, exists ? `you may not charge cost centre ${code}` : `no cost centre ${code}`);
  }
  return found;
}

export async function costCentreRefs(ex: Executor, ids: string[]): Promise<Map<string, CostCentreRef>> {
  const rows = await repo.findCostCentresByIds(ex, [...new Set(ids)]);
  return new Map(rows.map((c) => [c.id, { code: c.code, name: c.name }]));
}

export async function costCentreOwnerId(ex: Executor, costCentreId: string): Promise<string | null> {
  const [row] = await repo.findCostCentresByIds(ex, [costCentreId]);
  return row?.ownerId ?? null;
}

// ---- provisioning (seed data and test factories) --------------------------------------

export const createDepartment = (tx: Tx, input: { code: string; name: string }) =>
  repo.insertDepartment(tx, input);

export const createCostCentre = (
  tx: Tx,
  input: { code: string; name: string; departmentId: string; ownerId: string | null; validFrom: string },
) => repo.insertCostCentre(tx, input);

export const placePerson = (
  tx: Tx,
  input: { userId: string; departmentId: string; defaultCostCentreId: string },
) => repo.insertPlacement(tx, input);
