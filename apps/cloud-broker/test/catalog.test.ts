import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { start } from './osb-client.ts';

// The catalog's shape per OSB v2.17 ("Service Offering Object", "Service Plan Object").
const Parameters = z.object({
  $schema: z.literal('http://json-schema.org/draft-04/schema#'),
  type: z.literal('object'),
  properties: z.record(z.string(), z.record(z.string(), z.unknown())),
  required: z.array(z.string()).optional(),
  additionalProperties: z.literal(false),
});
const Plan = z.object({
  id: z.uuid(),
  name: z.string().regex(/^[A-Za-z0-9.-]+$/, 'CLI-friendly'),
  description: z.string().min(1),
  free: z.boolean(),
  bindable: z.boolean(),
  plan_updateable: z.boolean(),
  maximum_polling_duration: z.number().int().positive(),
  maintenance_info: z.object({ version: z.string().regex(/^\d+\.\d+\.\d+/), description: z.string() }),
  metadata: z.object({
    displayName: z.string().min(1),
    bullets: z.array(z.string()).min(1),
    costs: z.array(
      z.object({ amount: z.object({ eur: z.number().nonnegative() }), unit: z.literal('MONTHLY') }),
    ),
    size: z.object({ storageGb: z.number() }).loose(),
  }),
  schemas: z.object({
    service_instance: z.object({
      create: z.object({ parameters: Parameters }),
      update: z.object({ parameters: Parameters }),
    }),
    service_binding: z.object({
      create: z.object({ parameters: Parameters }),
    }),
  }),
});
const Catalog = z.object({
  services: z.array(
    z.object({
      id: z.uuid(),
      name: z.string().regex(/^[A-Za-z0-9.-]+$/),
      description: z.string().min(1),
      tags: z.array(z.string()),
      bindable: z.boolean(),
      instances_retrievable: z.literal(true),
      bindings_retrievable: z.literal(true),
      plan_updateable: z.boolean(),
      metadata: z.object({ displayName: z.string() }).loose(),
      plans: z.array(Plan).min(1),
    }),
  ),
});

describe('GET /v2/catalog', () => {
  it('offers VMs, PostgreSQL and buckets in sizes, each plan with prices, bullets and parameter schemas', async () => {
    const { osb } = await start();
    const answer = await osb.catalog();
    expect(answer.status).toBe(200);
    const catalog = Catalog.parse(answer.body);

    expect(catalog.services.map((s) => s.name)).toEqual([
      'virtual-machine',
      'managed-postgresql',
      'object-storage',
    ]);
    const plans = (name: string) => catalog.services.find((s) => s.name === name)!.plans;
    expect(plans('virtual-machine').map((p) => p.name)).toEqual(['small', 'medium', 'large', 'xlarge']);
    expect(plans('managed-postgresql').map((p) => p.name)).toEqual(['dev', 'standard', 'large']);
    expect(plans('object-storage').map((p) => p.name)).toEqual(['1tb', '10tb', 'payg']);

    const ids = catalog.services.flatMap((s) => [s.id, ...s.plans.map((p) => p.id)]);
    expect(new Set(ids).size).toBe(ids.length);

    const small = plans('virtual-machine')[0]!;
    expect(small.metadata.costs[0]!.amount.eur).toBe(38);
    expect(small.metadata.size).toEqual({ vcpu: 2, memoryGb: 4, storageGb: 50 });
    expect(plans('object-storage').find((p) => p.name === 'payg')!.free).toBe(true);
  });

  it('publishes draft-04 JSON Schemas for disk size, region and version parameters', async () => {
    const { osb } = await start();
    const catalog = Catalog.parse((await osb.catalog()).body);
    const create = (service: string) =>
      catalog.services.find((s) => s.name === service)!.plans[0]!.schemas.service_instance.create.parameters;

    const vm = create('virtual-machine');
    expect(vm.properties.extraDiskGb).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 4000,
      multipleOf: 10,
    });
    expect(vm.properties.region).toMatchObject({ enum: ['dc1', 'dc2'], default: 'dc1' });

    const pg = create('managed-postgresql');
    expect(pg.properties.version).toMatchObject({ enum: ['17', '16', '15'], default: '17' });
    expect(pg.required).toEqual(['databaseName']);

    const bucket = create('object-storage');
    expect(bucket.required).toEqual(['bucketName']);
  });

  it('scales the maximum polling duration with the time scale', async () => {
    const fast = Catalog.parse((await (await start({ timeScale: 0.001 })).osb.catalog()).body);
    const demo = Catalog.parse((await (await start({ timeScale: 1 })).osb.catalog()).body);
    const pgLarge = (c: z.infer<typeof Catalog>) =>
      c.services.find((s) => s.name === 'managed-postgresql')!.plans.find((p) => p.name === 'large')!;
    expect(pgLarge(fast).maximum_polling_duration).toBe(1);
    expect(pgLarge(demo).maximum_polling_duration).toBeGreaterThan(240);
  });
});
