// What the broker sells: three Service Offerings whose names, plans and parameters mirror the
// demo catalogue's cloud services (virtual-machine, managed-postgresql, object-storage), so an
// adapter can map a Portico order line to a provision request one to one.
//
// Parameters are zod schemas; the catalog's JSON Schemas are generated from them, so what the
// catalog promises and what the broker validates cannot drift apart.
import { z } from 'zod';

export type ServiceKind = 'vm' | 'postgresql' | 'bucket';

/** What a plan gives, in units a meter can count later (usage events price these). */
export interface PlanSize {
  vcpu?: number;
  memoryGb?: number;
  storageGb: number;
}

export interface PlanDef {
  id: string;
  name: string;
  description: string;
  displayName: string;
  bullets: string[];
  /** Monthly list price in EUR, a decimal string (Portico never keeps money in a float). */
  monthlyEur: string;
  size: PlanSize;
  /** Order of sizes: a higher rank is bigger. */
  rank: number;
}

export interface ServiceDef {
  kind: ServiceKind;
  id: string;
  name: string;
  displayName: string;
  description: string;
  longDescription: string;
  tags: string[];
  plans: PlanDef[];
  maintenance: { version: string; description: string };
  create: z.ZodObject;
  update: z.ZodObject;
  bind: z.ZodObject;
}

const region = z
  .enum(['dc1', 'dc2'])
  .default('dc1')
  .meta({ title: 'Region', description: 'Data centre: dc1 (primary) or dc2 (secondary).' });

const uniqueItems = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .refine((items) => new Set(items).size === items.length, 'must not repeat an item')
    .meta({ uniqueItems: true });

const vmCreate = z.strictObject({
  hostname: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{2,30}[a-z0-9]$/,
      'must be 4–32 lower-case letters, digits and hyphens, starting with a letter',
    )
    .optional()
    .meta({ title: 'Hostname', description: 'Leave empty and the broker names it (e.g. vm-3f9a2c).' }),
  os: z
    .enum(['ubuntu-24-04', 'rhel-9', 'debian-12', 'windows-server-2022', 'windows-server-2025'])
    .default('ubuntu-24-04')
    .meta({ title: 'Operating system' }),
  adDomain: z.enum(['corp', 'dmz', 'workgroup']).default('corp').meta({
    title: 'Active Directory domain',
    description: 'Windows only; Linux servers are registered in IdM.',
  }),
  extraDiskGb: z
    .number()
    .int()
    .min(0)
    .max(4000)
    .multipleOf(10)
    .default(0)
    .meta({ title: 'Extra data disk (GB)', description: 'A second SSD volume, in steps of 10 GB.' }),
  backup: z.boolean().default(true).meta({ title: 'Nightly backup (30 days)' }),
  patchWindow: z.enum(['sun-02', 'wed-22', 'manual']).default('sun-02').meta({ title: 'Patch window' }),
  region,
});

const vmUpdate = z.strictObject({
  extraDiskGb: z
    .number()
    .int()
    .min(0)
    .max(4000)
    .multipleOf(10)
    .optional()
    .meta({ title: 'Extra data disk (GB)', description: 'Can only grow.' }),
  backup: z.boolean().optional().meta({ title: 'Nightly backup (30 days)' }),
  patchWindow: z.enum(['sun-02', 'wed-22', 'manual']).optional().meta({ title: 'Patch window' }),
});

const vmBind = z.strictObject({
  username: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a POSIX user name (lower-case, up to 32 characters)')
    .optional()
    .meta({ title: 'User name', description: 'Defaults to a name derived from the binding id.' }),
  sshPublicKey: z
    .string()
    .regex(
      /^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$/,
      'must be an OpenSSH public key',
    )
    .optional()
    .meta({ title: 'SSH public key', description: 'Authorised for the user instead of a password.' }),
});

// Newest first is the order people should see; zod keeps enum values as object keys, which JS
// sorts when they look like integers, so the published order is given explicitly.
const PG_VERSIONS = ['17', '16', '15'] as const;
const pgVersion = z.enum(PG_VERSIONS);

const pgCreate = z.strictObject({
  version: pgVersion.default('17').meta({ title: 'PostgreSQL version', enum: [...PG_VERSIONS] }),
  databaseName: z
    .string()
    .regex(
      /^[a-z][a-z0-9_]{2,62}$/,
      'must be 3–63 lower-case letters, digits and underscores, starting with a letter',
    )
    .meta({ title: 'Database name' }),
  highAvailability: z
    .boolean()
    .default(false)
    .meta({ title: 'High availability', description: 'A synchronous standby in the other data centre.' }),
  extensions: uniqueItems(z.enum(['postgis', 'pgvector', 'pg_trgm', 'timescaledb']))
    .default([])
    .meta({ title: 'Extensions' }),
  region,
});

const pgUpdate = z.strictObject({
  version: pgVersion
    .optional()
    .meta({ title: 'PostgreSQL version', description: 'Major upgrades only.', enum: [...PG_VERSIONS] }),
  highAvailability: z.boolean().optional().meta({ title: 'High availability' }),
  extensions: uniqueItems(z.enum(['postgis', 'pgvector', 'pg_trgm', 'timescaledb']))
    .optional()
    .meta({ title: 'Extensions' }),
});

const readOnlyBind = z.strictObject({
  readOnly: z.boolean().default(false).meta({ title: 'Read-only credentials' }),
});

const bucketCreate = z.strictObject({
  bucketName: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'must be 3–63 lower-case letters, digits and hyphens')
    .meta({ title: 'Bucket name' }),
  versioning: z.boolean().default(true).meta({ title: 'Keep previous versions of objects' }),
  objectLock: z.boolean().default(false).meta({ title: 'Object lock (WORM)' }),
  retentionDays: z.number().int().min(1).max(3650).default(365).meta({ title: 'Retention (days)' }),
  region,
});

const bucketUpdate = z.strictObject({
  versioning: z.boolean().optional().meta({ title: 'Keep previous versions of objects' }),
  retentionDays: z.number().int().min(1).max(3650).optional().meta({ title: 'Retention (days)' }),
});

const vmPlan = (
  id: string,
  name: string,
  displayName: string,
  vcpu: number,
  memoryGb: number,
  storageGb: number,
  monthlyEur: string,
  rank: number,
): PlanDef => ({
  id,
  name,
  displayName,
  description: `${vcpu} vCPU, ${memoryGb} GB RAM, ${storageGb} GB SSD.`,
  bullets: [`${vcpu} vCPU`, `${memoryGb} GB RAM`, `${storageGb} GB SSD`, 'Monitoring and patching'],
  monthlyEur,
  size: { vcpu, memoryGb, storageGb },
  rank,
});

export const SERVICES: readonly ServiceDef[] = [
  {
    kind: 'vm',
    id: '17a6be14-37ea-4e5b-a2f9-ab6d1b638f2b',
    name: 'virtual-machine',
    displayName: 'Virtual Machine',
    description: 'A Linux or Windows VM on the private cloud, built from a hardened, patched image.',
    longDescription:
      'A virtual machine in one of two data centres with monitoring, patching, SSD storage and a DNS name.',
    tags: ['vm', 'compute', 'iaas', 'linux', 'windows'],
    maintenance: { version: '2026.10.0', description: 'Golden images of October 2026.' },
    plans: [
      vmPlan('d2ebd542-9b2f-4fec-9ae5-22a3264e8587', 'small', 'Small', 2, 4, 50, '38.00', 1),
      vmPlan('e8326746-3be9-49a0-a337-0369142d0297', 'medium', 'Medium', 4, 16, 100, '76.00', 2),
      vmPlan('cfa83f59-25f8-4945-99b4-fc88e1979f50', 'large', 'Large', 8, 32, 200, '152.00', 3),
      vmPlan('c9e370ef-d288-40cf-b9ad-706858897c87', 'xlarge', 'Extra large', 16, 64, 400, '304.00', 4),
    ],
    create: vmCreate,
    update: vmUpdate,
    bind: vmBind,
  },
  {
    kind: 'postgresql',
    id: 'c67e4be8-e1c0-4576-a7df-cd168b202345',
    name: 'managed-postgresql',
    displayName: 'Managed PostgreSQL',
    description: 'A PostgreSQL database with backups, monitoring and minor upgrades done for you.',
    longDescription:
      'PostgreSQL run by the Data Platform team: point-in-time recovery, monitoring, optional standby.',
    tags: ['postgresql', 'postgres', 'database', 'sql', 'relational'],
    maintenance: { version: '17.6.0', description: 'PostgreSQL minor releases of August 2026.' },
    plans: [
      {
        id: '0935891b-f8e2-44f7-b124-d34155ca451c',
        name: 'dev',
        displayName: 'Development',
        description: '2 vCPU, 4 GB RAM, 20 GB storage, daily backup kept 7 days.',
        bullets: ['2 vCPU', '4 GB RAM', '20 GB storage', 'Daily backup, 7 days'],
        monthlyEur: '45.00',
        size: { vcpu: 2, memoryGb: 4, storageGb: 20 },
        rank: 1,
      },
      {
        id: '12665b51-a67a-40ac-b8b9-de8228bcd2d2',
        name: 'standard',
        displayName: 'Standard',
        description: '4 vCPU, 16 GB RAM, 200 GB storage, point-in-time recovery for 14 days.',
        bullets: ['4 vCPU', '16 GB RAM', '200 GB storage', 'Point-in-time recovery, 14 days'],
        monthlyEur: '140.00',
        size: { vcpu: 4, memoryGb: 16, storageGb: 200 },
        rank: 2,
      },
      {
        id: '9eb91b95-03ae-473e-9942-87f71942bccd',
        name: 'large',
        displayName: 'Large',
        description: '8 vCPU, 64 GB RAM, 1 TB storage, point-in-time recovery for 30 days, read replica.',
        bullets: ['8 vCPU', '64 GB RAM', '1 TB storage', 'Point-in-time recovery, 30 days', 'Read replica'],
        monthlyEur: '380.00',
        size: { vcpu: 8, memoryGb: 64, storageGb: 1000 },
        rank: 3,
      },
    ],
    create: pgCreate,
    update: pgUpdate,
    bind: readOnlyBind,
  },
  {
    kind: 'bucket',
    id: '68c90ac7-85c8-4296-b786-1c0f2ac59940',
    name: 'object-storage',
    displayName: 'Object Storage',
    description: 'An S3-compatible bucket, replicated across both data centres.',
    longDescription:
      'S3-compatible buckets with versioning, encryption at rest, object lock and access keys per binding.',
    tags: ['s3', 'bucket', 'object-storage', 'storage'],
    maintenance: { version: '3.2.0', description: 'S3 gateway 3.2.' },
    plans: [
      {
        id: '6ebe1b12-4108-4d61-8d05-66511061a625',
        name: '1tb',
        displayName: '1 TB',
        description: '1 TB included, versioning, encryption at rest, replicated in 2 data centres.',
        bullets: ['1 TB included', 'Versioning', 'Encryption at rest', 'Replicated in 2 data centres'],
        monthlyEur: '21.00',
        size: { storageGb: 1000 },
        rank: 2,
      },
      {
        id: 'a72955af-3441-4b53-b38f-99c56e6dcf13',
        name: '10tb',
        displayName: '10 TB',
        description: '10 TB included, versioning, encryption at rest, replicated in 2 data centres.',
        bullets: ['10 TB included', 'Versioning', 'Encryption at rest', 'Replicated in 2 data centres'],
        monthlyEur: '190.00',
        size: { storageGb: 10000 },
        rank: 3,
      },
      {
        id: 'bdcf62d9-f48b-4d98-8b63-cfaaf9ff35f5',
        name: 'payg',
        displayName: 'Pay as you go',
        description: 'No minimum: pay per GB-month stored.',
        bullets: ['No minimum', 'Versioning', 'Encryption at rest', 'Replicated in 2 data centres'],
        monthlyEur: '0.00',
        size: { storageGb: 0 },
        rank: 1,
      },
    ],
    create: bucketCreate,
    update: bucketUpdate,
    bind: readOnlyBind,
  },
];

export function findService(serviceId: string): ServiceDef | undefined {
  return SERVICES.find((s) => s.id === serviceId);
}

export function findPlan(service: ServiceDef, planId: string): PlanDef | undefined {
  return service.plans.find((p) => p.id === planId);
}

/** The service and plan of a plan id, wherever it is. */
export function planById(planId: string): { service: ServiceDef; plan: PlanDef } | undefined {
  for (const service of SERVICES) {
    const plan = findPlan(service, planId);
    if (plan) return { service, plan };
  }
  return undefined;
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-4', io: 'input' });

/**
 * GET /v2/catalog. `maximumPollingSeconds` comes from the simulation (it scales with the time
 * scale), so the platform gives up on a stuck operation in broker time, not in wall-clock demo time.
 */
export function catalogResponse(maximumPollingSeconds: (service: ServiceDef, plan: PlanDef) => number) {
  return {
    services: SERVICES.map((service) => ({
      id: service.id,
      name: service.name,
      description: service.description,
      tags: service.tags,
      bindable: true,
      instances_retrievable: true,
      bindings_retrievable: true,
      allow_context_updates: true,
      plan_updateable: true,
      metadata: {
        displayName: service.displayName,
        longDescription: service.longDescription,
        providerDisplayName: 'Portico private cloud',
        documentationUrl: `https://wiki.example.com/cloud/${service.name}`,
        supportUrl: 'https://portico.example.com/tickets',
      },
      plans: service.plans.map((plan) => ({
        id: plan.id,
        name: plan.name,
        description: plan.description,
        free: plan.monthlyEur === '0.00',
        bindable: true,
        plan_updateable: true,
        binding_rotatable: false,
        maximum_polling_duration: maximumPollingSeconds(service, plan),
        maintenance_info: service.maintenance,
        metadata: {
          displayName: plan.displayName,
          bullets: plan.bullets,
          // The OSB profile's convention: amounts are JSON numbers keyed by lower-case currency.
          costs: [{ amount: { eur: Number(plan.monthlyEur) }, unit: 'MONTHLY' }],
          size: plan.size,
        },
        schemas: {
          service_instance: {
            create: { parameters: jsonSchema(service.create) },
            update: { parameters: jsonSchema(service.update) },
          },
          service_binding: {
            create: { parameters: jsonSchema(service.bind) },
          },
        },
      })),
    })),
  };
}
