// The people and things most tests need, inserted as real rows: a requester and her manager
// (who owns the cost centre), a second requester, a fulfiller in the delivering team, and a
// published service whose plan is fulfilled by that team.
import { systemActor } from '../src/platform/actor.ts';
import { aCategory, aServiceDocument } from '../src/modules/catalog/catalog.factory.ts';
import { aPerson, aTeam, TEST_PASSWORD } from '../src/modules/identity/identity.factory.ts';
import { aDepartmentWithCostCentre, placeIn } from '../src/modules/org/org.factory.ts';
import type { Database } from '../src/platform/db.ts';
import { saveServiceDocument } from '../src/workflows/catalog.workflow.ts';

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
    const category = await aCategory(tx);
    const doc = aServiceDocument({ name: 'Virtual Machine', category: category.slug, team: team.key });
    const saved = await saveServiceDocument(tx, systemActor('test'), doc);
    const vm = { category, service: saved.service, plan: saved.plans[0]! };
    return { manager, requester, other, fulfiller, outsider, org, team, vm, password: TEST_PASSWORD };
  });
}

export type World = Awaited<ReturnType<typeof aWorld>>;
