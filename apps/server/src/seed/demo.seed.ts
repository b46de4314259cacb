// Demo data for a fresh portal: people in every role, an org with cost centres, teams, and a
// catalogue with cloud and legacy ways to get the same things. Runs once: it does nothing
// when the demo accounts already exist.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Aggregation, Role } from '@portico/shared';
import { systemActor } from '../platform/actor.ts';
import type { Database, Tx } from '../platform/db.ts';
import { importCatalog } from '../workflows/catalog.workflow.ts';
import { recordAudit } from '../modules/audit/index.ts';
import {
  createTeam,
  createUser,
  ensureMachineAccount,
  machineToken,
  userExists,
} from '../modules/identity/index.ts';
import { ensureMeter } from '../modules/metering/index.ts';
import { createPolicy } from '../modules/approvals/index.ts';
import { createCostCentre, createDepartment, placePerson, setBudget } from '../modules/org/index.ts';
import { saveCalendar } from '../modules/sla/index.ts';
import { writeAdapter } from '../modules/fulfilment/index.ts';
import type { Secrets } from '../platform/secrets.ts';
import { checkBudgets } from '../modules/billing/index.ts';
import { closeHistory, historyStart, seedHistory } from './demo.history.ts';

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
      manager: 'owner@example.com',
    },
    {
      email: 'owner@example.com',
      name: 'Olga Owner',
      roles: ['requester', 'approver'],
      does: 'head of Engineering: owns its cost centres, approves large orders and overruns, Max’s manager',
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

/** The demo's private cloud: the simulated broker `portico serve` starts beside the portal. */
export const DEMO_BROKER = { key: 'private-cloud', username: 'portico', password: 'portico-broker-demo' };

export interface DemoBroker {
  /** Where the simulated broker listens. */
  url: string;
  secrets: Secrets;
}

/** The demo broker's adapter, pointing at where the broker listens now (safe on every start). */
export async function configureDemoBroker(tx: Tx, broker: DemoBroker): Promise<void> {
  await writeAdapter(tx, systemActor('seed'), broker.secrets, DEMO_BROKER.key, {
    name: 'Private cloud',
    type: 'osb',
    url: broker.url,
    username: DEMO_BROKER.username,
    secret: DEMO_BROKER.password,
    timeoutMs: 10_000,
    maxAttempts: 6,
    team: 'cloud-ops',
  });
}

/** The machine account the demo's private cloud reports usage with (it cannot sign in). */
export const DEMO_USAGE_ACCOUNT = { email: 'usage@portico.local', name: 'Private cloud (usage reports)' };

/**
 * The usage account's API token: derived from this portal's secrets key, so `portico serve` can
 * hand it to the broker it starts without a secret in the repository or a new token per start.
 */
export const demoUsageToken = (secrets: Secrets) => machineToken(secrets.derive('demo-usage-reporter'));

/**
 * Meters for the demo catalogue's metered prices (same units), counting what the private cloud
 * reports. The event types are the broker's (apps/cloud-broker, "Usage reporting"); the seed
 * cannot import them, the portal reaches the broker over HTTP only.
 */
const demoMeters: [
  key: string,
  name: string,
  unit: string,
  aggregation: Aggregation,
  property: string | null,
  type: string,
][] = [
  ['cloud-egress', 'Internet egress', 'GB egress', 'sum', 'gb', 'com.portico.cloud.egress'],
  [
    'cloud-snapshots',
    'VM snapshots kept',
    'GB-month snapshot',
    'time_weighted',
    'gb',
    'com.portico.cloud.snapshot',
  ],
  [
    'cloud-database-storage',
    'Database storage used',
    'GB-month storage',
    'time_weighted',
    'gb',
    'com.portico.cloud.database.storage',
  ],
  [
    'cloud-bucket-storage',
    'Object storage used',
    'GB-month',
    'time_weighted',
    'gb',
    'com.portico.cloud.bucket.storage',
  ],
  [
    'cloud-bucket-requests',
    'Object storage requests',
    'request',
    'sum',
    'requests',
    'com.portico.cloud.bucket.requests',
  ],
];

/**
 * The demo's usage reporting: its machine account and token, and its meters. Safe on every start
 * (a demo seeded before usage existed gets them too); what an admin changed stays. Returns
 * whether the token works (an admin may have revoked it).
 */
export async function configureDemoUsage(tx: Tx, secrets: Secrets): Promise<{ tokenLive: boolean }> {
  const actor = systemActor('seed');
  const { live } = await ensureMachineAccount(tx, actor, {
    ...DEMO_USAGE_ACCOUNT,
    roles: ['usage_reporter'],
    tokenName: 'Private cloud broker (demo)',
    token: demoUsageToken(secrets),
  });
  const admin = { ...actor, roles: ['admin' as const] };
  for (const [key, name, unit, aggregation, valueProperty, eventType] of demoMeters) {
    await ensureMeter(tx, admin, key, { name, unit, aggregation, valueProperty, eventType });
  }
  return { tokenLive: live };
}

async function seedDemo(tx: Tx, broker: DemoBroker, now: Date): Promise<void> {
  const users = new Map<string, string>();
  const id = (email: string) => users.get(email)!;
  // Managers first, so that their reports can point at them.
  // Managers first: each account is created after the one it reports to.
  const depth = (a: (typeof demoAccounts)[number]): number => {
    const boss = demoAccounts.find((b) => b.email === a.manager);
    return boss ? 1 + depth(boss) : 0;
  };
  for (const a of [...demoAccounts].sort((x, y) => depth(x) - depth(y))) {
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
  // In force for the whole demo history.
  const validFrom = historyStart(now);
  const platform = await createCostCentre(tx, {
    code: 'CC-ENG-100',
    name: 'Engineering – Platform',
    departmentId: eng.id,
    ownerId: id('owner@example.com'),
    validFrom,
  });
  const product = await createCostCentre(tx, {
    code: 'CC-ENG-200',
    name: 'Engineering – Product',
    departmentId: eng.id,
    ownerId: id('owner@example.com'),
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
    [id('owner@example.com'), eng.id, platform.id],
    [id('fulfiller@example.com'), it.id, itOps.id],
    [id('catalog@example.com'), it.id, itOps.id],
    [id('finance@example.com'), fin.id, finance.id],
    [id('admin@example.com'), it.id, itOps.id],
  ];
  for (const [userId, departmentId, defaultCostCentreId] of placements) {
    await placePerson(tx, { userId, departmentId, defaultCostCentreId });
  }

  for (const [key, name] of demoTeams) {
    // Enterprise Architecture reviews legacy builds (an approval group); the others fulfil.
    const members = key === 'architecture' ? [id('admin@example.com')] : [id('fulfiller@example.com')];
    await createTeam(tx, { key, name, members });
  }
  await seedApprovals(tx, id, { platform, product, finance, itOps });
  // VMs, databases and buckets are provisioned by the private cloud's broker, then handed over.
  await configureDemoBroker(tx, broker);
  await configureDemoUsage(tx, broker.secrets);
  const report = await importCatalog(tx, systemActor('seed'), readFileSync(demoCatalogFile, 'utf8'), false);
  if (report.errors.length) {
    throw new Error(
      `demo catalogue: ${report.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join('; ')}`,
    );
  }
  const meters = demoMeters.map(([key, , unit]) => ({ key, unit }));
  await seedHistory(tx, id, meters, now);
  await recordAudit(tx, systemActor('seed'), {
    action: 'demo.seeded',
    entityType: 'system',
    entityId: 'demo',
  });
}

/** Budgets, approval policies and the business calendar of the demo company. */
async function seedApprovals(
  tx: Tx,
  id: (email: string) => string,
  cc: Record<'platform' | 'product' | 'finance' | 'itOps', { code: string }>,
): Promise<void> {
  const actor = systemActor('seed');
  const year = new Date().getUTCFullYear();
  const budgets: [string, string, 'warn' | 'approval' | 'block'][] = [
    [cc.platform.code, '60000', 'approval'],
    [cc.product.code, '36000', 'warn'],
    [cc.finance.code, '12000', 'block'],
    [cc.itOps.code, '120000', 'warn'],
  ];
  const finance = { ...actor, userId: id('finance@example.com'), roles: ['finance' as const] };
  for (const [code, annualAmount, onOverrun] of budgets) {
    await setBudget(tx, finance, code, year, { currency: 'EUR', annualAmount, onOverrun });
  }
  const admin = { ...actor, userId: id('admin@example.com'), roles: ['admin' as const] };
  await createPolicy(tx, admin, {
    name: 'Spending',
    description: 'Who approves by what a line costs in its first year (one-time plus twelve months).',
    priority: 10,
    active: true,
    remindAfterHours: 4,
    escalateAfterHours: 16,
    rules: [
      { name: 'Small requests (under EUR 300 a year)', when: { maxCost: '300' }, stages: [] },
      {
        name: 'Large requests (EUR 5,000 a year or more)',
        when: { minCost: '5000' },
        stages: [
          { name: 'Line manager', approvers: { type: 'manager' } },
          { name: 'Cost-centre owner', approvers: { type: 'cost_centre_owner' } },
        ],
      },
      {
        name: 'Everything else',
        when: {},
        stages: [{ name: 'Line manager', approvers: { type: 'manager' } }],
      },
    ],
  });
  await createPolicy(tx, admin, {
    name: 'Legacy infrastructure review',
    description: 'Enterprise Architecture checks that a cloud option was considered before a legacy build.',
    priority: 20,
    active: true,
    remindAfterHours: 8,
    escalateAfterHours: 24,
    rules: [
      {
        name: 'Legacy builds',
        when: { kinds: ['legacy'] },
        stages: [
          { name: 'Architecture review', approvers: { type: 'group', team: 'architecture', mode: 'any' } },
        ],
      },
    ],
  });
  await saveCalendar(tx, admin, {
    timezone: 'Europe/Berlin',
    workdays: [1, 2, 3, 4, 5],
    dayStart: '09:00',
    dayEnd: '17:00',
    holidays: [
      { date: `${year}-12-24`, name: 'Christmas Eve' },
      { date: `${year}-12-25`, name: 'Christmas Day' },
      { date: `${year}-12-26`, name: 'Boxing Day' },
      { date: `${year}-12-31`, name: 'New Year’s Eve' },
      { date: `${year + 1}-01-01`, name: 'New Year’s Day' },
    ],
  });
}

/** Seeds the demo data unless it is there already; returns whether it seeded. */
export async function seedDemoOnce(database: Database, broker: DemoBroker): Promise<boolean> {
  const now = new Date();
  const seeded = await database.transaction(async (tx) => {
    if (await userExists(tx, demoAccounts[0]!.email)) return false;
    await seedDemo(tx, broker, now);
    return true;
  });
  if (seeded) {
    // A close runs its own transactions, so the history's months close once it is committed;
    // then the budgets are checked as the scheduled check would (one cost centre is near its own).
    await closeHistory(database, now);
    await checkBudgets(database, now);
  }
  return seeded;
}
