// Demo data for a fresh portal: people in every role, an org with cost centres, teams, and a
// small catalogue with cloud and legacy ways to get the same things. Runs once: it does
// nothing when the demo accounts already exist.
import type { Role } from '@portico/shared';
import { systemActor } from '../platform/actor.ts';
import type { Database, Tx } from '../platform/db.ts';
import { recordAudit } from '../modules/audit/index.ts';
import { createCategory, createPlan, createService } from '../modules/catalog/index.ts';
import { setFulfilmentPlan } from '../modules/fulfilment/index.ts';
import { createTeam, createUser, userExists } from '../modules/identity/index.ts';
import { createCostCentre, createDepartment, placePerson } from '../modules/org/index.ts';

export const DEMO_PASSWORD = 'portico-demo';

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

type SlaTier = 'gold' | 'silver' | 'bronze';
const slas: Record<
  SlaTier,
  {
    slaName: string;
    availability: string;
    supportHours: string;
    responseHours: number;
    resolutionHours: number;
  }
> = {
  gold: {
    slaName: 'Gold',
    availability: '99.9%',
    supportHours: '24×7',
    responseHours: 1,
    resolutionHours: 8,
  },
  silver: {
    slaName: 'Silver',
    availability: '99.5%',
    supportHours: 'Mon–Fri 08:00–18:00',
    responseHours: 4,
    resolutionHours: 24,
  },
  bronze: {
    slaName: 'Bronze',
    availability: '99%',
    supportHours: 'Mon–Fri 09:00–17:00',
    responseHours: 8,
    resolutionHours: 40,
  },
};

interface DemoPlan {
  slug: string;
  name: string;
  features: string[];
  oneTime: string;
  monthly: string;
  leadTimeDays: number;
  sla: SlaTier;
}

interface DemoService {
  slug: string;
  name: string;
  tagline: string;
  description: string;
  kind: 'cloud' | 'legacy' | 'saas' | 'hardware' | 'people';
  icon: string;
  category: string;
  team: string;
  fulfil: { title: string; instructions: string; outputs: [key: string, label: string][] };
  plans: DemoPlan[];
}

const categories = [
  {
    slug: 'compute',
    name: 'Compute',
    icon: '🖥️',
    description: 'Servers and virtual machines to run your workloads.',
  },
  { slug: 'databases', name: 'Databases', icon: '🗄️', description: 'Managed and self-run databases.' },
  {
    slug: 'storage',
    name: 'Storage & backup',
    icon: '💾',
    description: 'Object storage, file shares and backup.',
  },
  { slug: 'containers', name: 'Containers', icon: '📦', description: 'Kubernetes and container platforms.' },
  { slug: 'workplace', name: 'Workplace', icon: '💻', description: 'Laptops, phones and accessories.' },
  {
    slug: 'software',
    name: 'Software & licences',
    icon: '🔑',
    description: 'SaaS subscriptions and licences.',
  },
];

const vmOutputs: [string, string][] = [
  ['hostname', 'Hostname'],
  ['ip', 'IP address'],
];

const services: DemoService[] = [
  {
    slug: 'virtual-machine',
    name: 'Virtual Machine',
    icon: '☁️',
    kind: 'cloud',
    category: 'compute',
    team: 'cloud-ops',
    tagline: 'A Linux or Windows VM on the private cloud, ready the next business day.',
    description:
      'A virtual machine on our private cloud, patched monthly and backed up nightly. Resize or decommission it any time; you pay by the month, prorated.',
    fulfil: {
      title: 'Provision VM',
      instructions:
        'Create the VM in the requested size from the golden image, join it to the domain, register it in the CMDB.',
      outputs: vmOutputs,
    },
    plans: [
      {
        slug: 'small',
        name: 'Small',
        features: ['2 vCPU', '4 GB RAM', '50 GB SSD'],
        oneTime: '0',
        monthly: '38.00',
        leadTimeDays: 1,
        sla: 'gold',
      },
      {
        slug: 'medium',
        name: 'Medium',
        features: ['4 vCPU', '16 GB RAM', '100 GB SSD'],
        oneTime: '0',
        monthly: '76.00',
        leadTimeDays: 1,
        sla: 'gold',
      },
      {
        slug: 'large',
        name: 'Large',
        features: ['8 vCPU', '32 GB RAM', '200 GB SSD'],
        oneTime: '0',
        monthly: '152.00',
        leadTimeDays: 1,
        sla: 'gold',
      },
    ],
  },
  {
    slug: 'dedicated-server',
    name: 'Dedicated Physical Server',
    icon: '🏢',
    kind: 'legacy',
    category: 'compute',
    team: 'cloud-ops',
    tagline: 'A physical server racked in our data centre for you alone.',
    description:
      'The traditional way: we buy, rack, cable and install a physical server for you. Hardware is bought per request, so it takes weeks.',
    fulfil: {
      title: 'Rack and install server',
      instructions:
        'Raise the purchase order, rack and cable the server, install the OS, hand over credentials.',
      outputs: vmOutputs,
    },
    plans: [
      {
        slug: 'standard',
        name: 'Standard',
        features: ['16 cores', '64 GB RAM', '2×1 TB RAID-1'],
        oneTime: '4200.00',
        monthly: '310.00',
        leadTimeDays: 30,
        sla: 'silver',
      },
      {
        slug: 'high-memory',
        name: 'High memory',
        features: ['32 cores', '256 GB RAM', '2×2 TB RAID-1'],
        oneTime: '7800.00',
        monthly: '420.00',
        leadTimeDays: 35,
        sla: 'silver',
      },
    ],
  },
  {
    slug: 'managed-postgresql',
    name: 'Managed PostgreSQL',
    icon: '🐘',
    kind: 'cloud',
    category: 'databases',
    team: 'data',
    tagline: 'A PostgreSQL database with backups, monitoring and upgrades done for you.',
    description:
      'PostgreSQL 16 on the private cloud with point-in-time recovery, monitoring and minor upgrades included.',
    fulfil: {
      title: 'Create database',
      instructions:
        'Create the cluster from the standard template, create the database and owner role, share the credentials in the vault.',
      outputs: [
        ['host', 'Host'],
        ['database', 'Database name'],
      ],
    },
    plans: [
      {
        slug: 'dev',
        name: 'Development',
        features: ['2 vCPU', '4 GB RAM', '20 GB storage', 'Daily backups'],
        oneTime: '0',
        monthly: '45.00',
        leadTimeDays: 1,
        sla: 'silver',
      },
      {
        slug: 'production',
        name: 'Production (HA)',
        features: ['4 vCPU', '16 GB RAM', '200 GB storage', 'Standby replica', 'Point-in-time recovery'],
        oneTime: '0',
        monthly: '290.00',
        leadTimeDays: 2,
        sla: 'gold',
      },
    ],
  },
  {
    slug: 'dba-database',
    name: 'Database on a dedicated server',
    icon: '🗃️',
    kind: 'legacy',
    category: 'databases',
    team: 'data',
    tagline: 'A database installed by the DBA team on a physical server.',
    description:
      'The DBA team installs and runs the database of your choice on dedicated hardware. Changes go through the change board.',
    fulfil: {
      title: 'Install database',
      instructions: 'Order hardware, install the database engine, configure backups to tape.',
      outputs: [
        ['host', 'Host'],
        ['database', 'Database name'],
      ],
    },
    plans: [
      {
        slug: 'standard',
        name: 'Standard',
        features: ['Dedicated hardware', 'Weekly full backup', 'Change-board managed'],
        oneTime: '3500.00',
        monthly: '480.00',
        leadTimeDays: 25,
        sla: 'silver',
      },
    ],
  },
  {
    slug: 'object-storage',
    name: 'Object Storage',
    icon: '🪣',
    kind: 'cloud',
    category: 'storage',
    team: 'cloud-ops',
    tagline: 'S3-compatible buckets for files, backups and data sets.',
    description: 'An S3-compatible bucket with versioning and encryption at rest.',
    fulfil: {
      title: 'Create bucket',
      instructions: 'Create the bucket and an access key pair; store the keys in the vault.',
      outputs: [
        ['bucket', 'Bucket name'],
        ['endpoint', 'Endpoint'],
      ],
    },
    plans: [
      {
        slug: '1tb',
        name: '1 TB',
        features: ['1 TB', 'Versioning', 'Encryption at rest'],
        oneTime: '0',
        monthly: '21.00',
        leadTimeDays: 1,
        sla: 'gold',
      },
      {
        slug: '10tb',
        name: '10 TB',
        features: ['10 TB', 'Versioning', 'Encryption at rest'],
        oneTime: '0',
        monthly: '190.00',
        leadTimeDays: 1,
        sla: 'gold',
      },
    ],
  },
  {
    slug: 'kubernetes-namespace',
    name: 'Kubernetes Namespace',
    icon: '⎈',
    kind: 'cloud',
    category: 'containers',
    team: 'cloud-ops',
    tagline: 'A namespace on the shared Kubernetes platform, with quotas and CI access.',
    description:
      'A namespace on the platform cluster with resource quotas, network policies and a deploy token for your pipeline.',
    fulfil: {
      title: 'Create namespace',
      instructions: 'Create the namespace with quota, bind the team group, issue the deploy token.',
      outputs: [
        ['name', 'Namespace'],
        ['cluster', 'Cluster API URL'],
      ],
    },
    plans: [
      {
        slug: 'team',
        name: 'Team',
        features: ['8 vCPU quota', '32 GB RAM quota', '100 GB volumes'],
        oneTime: '0',
        monthly: '120.00',
        leadTimeDays: 1,
        sla: 'gold',
      },
    ],
  },
  {
    slug: 'laptop',
    name: 'Laptop',
    icon: '💻',
    kind: 'hardware',
    category: 'workplace',
    team: 'workplace',
    tagline: 'A managed laptop, set up and ready to sign in.',
    description: 'A laptop enrolled in device management, with disk encryption and the standard software.',
    fulfil: {
      title: 'Prepare laptop',
      instructions:
        'Take a laptop from stock, enrol it, install the standard image, hand it over at the service desk.',
      outputs: [
        ['asset', 'Asset tag'],
        ['serial', 'Serial number'],
      ],
    },
    plans: [
      {
        slug: 'standard',
        name: 'Standard 14"',
        features: ['14" display', '16 GB RAM', '512 GB SSD'],
        oneTime: '1400.00',
        monthly: '0',
        leadTimeDays: 5,
        sla: 'bronze',
      },
      {
        slug: 'developer',
        name: 'Developer 16"',
        features: ['16" display', '64 GB RAM', '2 TB SSD'],
        oneTime: '2600.00',
        monthly: '0',
        leadTimeDays: 5,
        sla: 'bronze',
      },
    ],
  },
  {
    slug: 'microsoft-365',
    name: 'Microsoft 365 E3',
    icon: '📧',
    kind: 'saas',
    category: 'software',
    team: 'workplace',
    tagline: 'Mail, Office apps and Teams for one person.',
    description: 'A Microsoft 365 E3 licence assigned to your account.',
    fulfil: {
      title: 'Assign licence',
      instructions: 'Assign an E3 licence to the requester in the admin centre.',
      outputs: [['account', 'Account']],
    },
    plans: [
      {
        slug: 'e3',
        name: 'E3',
        features: ['Exchange mailbox', 'Office apps', 'Teams', '1 TB OneDrive'],
        oneTime: '0',
        monthly: '36.00',
        leadTimeDays: 1,
        sla: 'silver',
      },
    ],
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

  const teams = new Map<string, string>();
  for (const [key, name, members] of [
    ['cloud-ops', 'Cloud Platform Operations', [id('fulfiller@example.com')]],
    ['data', 'Data Platform', [id('fulfiller@example.com')]],
    ['workplace', 'Workplace Services', [id('fulfiller@example.com')]],
  ] as const) {
    teams.set(key, (await createTeam(tx, { key, name, members: [...members] })).id);
  }

  const categoryIds = new Map<string, string>();
  for (const [position, c] of categories.entries()) {
    categoryIds.set(c.slug, (await createCategory(tx, { ...c, position })).id);
  }
  for (const s of services) {
    const service = await createService(tx, {
      slug: s.slug,
      name: s.name,
      tagline: s.tagline,
      description: s.description,
      kind: s.kind,
      icon: s.icon,
      categoryId: categoryIds.get(s.category)!,
      ownerTeamId: teams.get(s.team)!,
      status: 'published',
    });
    for (const [position, p] of s.plans.entries()) {
      const plan = await createPlan(tx, {
        serviceId: service.id,
        slug: p.slug,
        name: p.name,
        position,
        features: p.features,
        oneTimePrice: p.oneTime,
        monthlyPrice: p.monthly,
        leadTimeDays: p.leadTimeDays,
        ...slas[p.sla],
      });
      await setFulfilmentPlan(tx, {
        planId: plan.id,
        teamId: teams.get(s.team)!,
        title: s.fulfil.title,
        instructions: s.fulfil.instructions,
        outputFields: s.fulfil.outputs.map(([key, label]) => ({ key, label, required: true })),
      });
    }
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
