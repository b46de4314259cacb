import { randomUUID } from 'node:crypto';
import type { Tx } from '../../platform/db.ts';
import { createCostCentre, createDepartment, placePerson } from './org.service.ts';

export async function aDepartmentWithCostCentre(tx: Tx, ownerId: string | null) {
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const department = await createDepartment(tx, { code: `D-${tag}`, name: `Department ${tag}` });
  const costCentre = await createCostCentre(tx, {
    code: `CC-${tag}`,
    name: `Cost centre ${tag}`,
    departmentId: department.id,
    ownerId,
    validFrom: '2020-01-01',
  });
  return { department, costCentre };
}

export const placeIn = (
  tx: Tx,
  userId: string,
  at: { department: { id: string }; costCentre: { id: string } },
) => placePerson(tx, { userId, departmentId: at.department.id, defaultCostCentreId: at.costCentre.id });
