// The people and things most tests need, inserted as real rows: a requester and her manager
// (who owns the cost centre), a second requester, a fulfiller in the delivering team, and a
// published service whose plan is fulfilled by that team.
import { aServiceWithPlan } from '../src/modules/catalog/catalog.factory.ts';
import { aManualFulfilment } from '../src/modules/fulfilment/fulfilment.factory.ts';
import { aPerson, aTeam, TEST_PASSWORD } from '../src/modules/identity/identity.factory.ts';
import { aDepartmentWithCostCentre, placeIn } from '../src/modules/org/org.factory.ts';
import type { Database } from '../src/platform/db.ts';

export async function aWorld(database: Database) {
  return database.transaction(async (tx) => {
    const manager = await aPerson(tx, { name: 'Mia Manager', roles: ['requester', 'approver'] });
    const requester = await aPerson(tx, { name: 'Rita Requester', managerId: manager.id });
    const other = await aPerson(tx, { name: 'Otto Other', managerId: manager.id });
    const fulfiller = await aPerson(tx, { name: 'Fay Fulfiller', roles: ['requester', 'fulfiller'] });
    const outsider = await aPerson(tx, { name: 'Oscar Outsider', roles: ['requester', 'fulfiller'] });
    const org = await aDepartmentWithCostCentre(tx, manager.id);
    for (const p of [manager, requester, other, fulfiller, outsider]) await placeIn(tx, p.id, org);
    const team = await aTeam(tx, [fulfiller.id]);
    await aTeam(tx, [outsider.id]);
    const vm = await aServiceWithPlan(tx, { name: 'Virtual Machine', ownerTeamId: team.id });
    await aManualFulfilment(tx, vm.plan.id, team.id);
    return { manager, requester, other, fulfiller, outsider, org, team, vm, password: TEST_PASSWORD };
  });
}

export type World = Awaited<ReturnType<typeof aWorld>>;
