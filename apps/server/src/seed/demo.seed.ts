// Demo data for a fresh portal: people in every role, an org with cost centres, teams, and a
// catalogue with cloud and legacy ways to get the same things. Runs once: it does nothing
// when the demo accounts already exist.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Role } from '@portico/shared';
import { systemActor } from '../platform/actor.ts';
import type { Database, Tx } from '../platform/db.ts';
import { importCatalog } from '../workflows/catalog.workflow.ts';
import { recordAudit } from '../modules/audit/index.ts';
import { createTeam, createUser, userExists } from '../modules/identity/index.ts';
import { createCostCentre, createDepartment, placePerson } from '../modules/org/index.ts';

export const DEMO_PASSWORD = 'portico-demo';

/** The demo catalogue, imported like any catalogue file (see docs/catalog-format.md). */
export const demoCatalogFile = fileURLToPath(new URL('./demo-catalog.yaml', import.meta.url));

const demoTeams: [key: string, name: string][] = [
  ['cloud-ops', 'Cloud Platform Operations'],
  ['data', 'Data Platform'],
  ['workplace', 'Workplace Services'],
  ['network', 'Network & Security Operations'],
  ['security', 'Information Security'],
  ['collaboration', 'Collaboration Tools'],
  ['service-desk', 'Service Desk'],
  ['architecture', 'Enterprise Architecture'],
];

export const demoAccounts: { email: string; name: string; roles: Role[]; does: string; manager?: string }[] =
  [
    {
      email: 'requester@example.com',
      name: 'Rita Requester',
      roles: ['requester'],
      does: 'browses, orders, owns services, raises tickets',
      manager: 'manager@example.com',
    },
    {
      email: 'manager@example.com',
      name: 'Max Manager',
      roles: ['requester', 'approver'],
      does: 'Rita’s manager: approves her requests',
    },
    {
      email: 'fulfiller@example.com',
      name: 'Fiona Fulfiller',
      roles: ['requester', 'fulfiller'],
      does: 'works the cloud and workplace teams’ queues',
    },
    {
      email: 'catalog@example.com',
      name: 'Carl Catalogue',
      roles: ['requester', 'catalog_manager'],
      does: 'writes service pages, plans and prices',
    },
    {
      email: 'finance@example.com',
      name: 'Fran Finance',
      roles: ['requester', 'finance', 'approver'],
      does: 'cost centres, budgets, statements',
    },
    {
      email: 'admin@example.com',
      name: 'Ada Admin',
      roles: ['requester', 'admin'],
      does: 'people, teams, roles, audit',
    },
  ];

async function seedDemo(tx: Tx): Promise<void> {
  const users = new Map<string, string>();
  const id = (email: string) => users.get(email)!;
  // Managers first, so that their reports can point at them.
  for (const a of [...demoAccounts].sort((x, y) => Number(!!x.manager) - Number(!!y.manager))) {
    const managerId = a.manager ? id(a.manager) : null;
    const u = await createUser(tx, {
      email: a.email,
      name: a.name,
      password: DEMO_PASSWORD,
      roles: a.roles,
      managerId,
    });
    users.set(a.email, u.id);
  }

  const eng = await createDepartment(tx, { code: 'ENG', name: 'Engineering' });
  const fin = await createDepartment(tx, { code: 'FIN', name: 'Finance' });
  const it = await createDepartment(tx, { code: 'IT', name: 'IT' });
  const validFrom = '2026-01-01';
  const platform = await createCostCentre(tx, {
    code: 'CC-ENG-100',
    name: 'Engineering – Platform',
    departmentId: eng.id,
    ownerId: id('manager@example.com'),
    validFrom,
  });
  await createCostCentre(tx, {
    code: 'CC-ENG-200',
    name: 'Engineering – Product',
    departmentId: eng.id,
    ownerId: id('manager@example.com'),
    validFrom,
  });
  const finance = await createCostCentre(tx, {
    code: 'CC-FIN-100',
    name: 'Finance',
    departmentId: fin.id,
    ownerId: id('finance@example.com'),
    validFrom,
  });
  const itOps = await createCostCentre(tx, {
    code: 'CC-IT-900',
    name: 'IT Operations',
    departmentId: it.id,
    ownerId: id('admin@example.com'),
    validFrom,
  });
  const placements: [string, string, string][] = [
    [id('requester@example.com'), eng.id, platform.id],
    [id('manager@example.com'), eng.id, platform.id],
    [id('fulfiller@example.com'), it.id, itOps.id],
    [id('catalog@example.com'), it.id, itOps.id],
    [id('finance@example.com'), fin.id, finance.id],
    [id('admin@example.com'), it.id, itOps.id],
  ];
  for (const [userId, departmentId, defaultCostCentreId] of placements) {
    await placePerson(tx, { userId, departmentId, defaultCostCentreId });
  }

  for (const [key, name] of demoTeams) {
    await createTeam(tx, { key, name, members: [id('fulfiller@example.com')] });
  }
  const report = await importCatalog(tx, systemActor('seed'), readFileSync(demoCatalogFile, 'utf8'), false);
  if (report.errors.length) {
    throw new Error(
      `demo catalogue: ${report.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join('; ')}`,
    );
  }
  await recordAudit(tx, systemActor('seed'), {
    action: 'demo.seeded',
    entityType: 'system',
    entityId: 'demo',
  });
}

/** Seeds the demo data unless it is there already; returns whether it seeded. */
export async function seedDemoOnce(database: Database): Promise<boolean> {
  return database.transaction(async (tx) => {
    if (await userExists(tx, demoAccounts[0]!.email)) return false;
    await seedDemo(tx);
    return true;
  });
}
