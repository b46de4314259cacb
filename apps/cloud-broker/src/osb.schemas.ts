// Request bodies and query strings of OSB v2.17. Objects are loose: the spec says a receiver
// MUST ignore fields it does not know (vendor extensions), so only known fields are checked.
import { z } from 'zod';
import { badRequest, describeIssues } from './errors.ts';

const id = z.string({ error: 'required, a non-empty string' }).min(1, 'must not be empty');
const object = z.record(z.string(), z.unknown(), { error: 'must be an object' });
const maintenanceInfo = z.looseObject({ version: id }, { error: 'must be an object with a version' });

export const ProvisionBody = z.looseObject({
  service_id: id,
  plan_id: id,
  context: object.optional(),
  // REQUIRED in the spec (deprecated in favour of context); accepted but not demanded, because
  // Portico is not a Cloud Foundry and has no orgs or spaces to send.
  organization_guid: id.optional(),
  space_guid: id.optional(),
  parameters: object.optional(),
  maintenance_info: maintenanceInfo.optional(),
});
export type ProvisionBody = z.infer<typeof ProvisionBody>;

export const UpdateBody = z.looseObject({
  service_id: id,
  plan_id: id.optional(),
  context: object.optional(),
  parameters: object.optional(),
  previous_values: z
    .looseObject({
      service_id: z.string().optional(),
      plan_id: z.string().optional(),
      organization_id: z.string().optional(),
      space_id: z.string().optional(),
      maintenance_info: maintenanceInfo.optional(),
    })
    .optional(),
  maintenance_info: maintenanceInfo.optional(),
});
export type UpdateBody = z.infer<typeof UpdateBody>;

export const BindBody = z.looseObject({
  service_id: id,
  plan_id: id,
  context: object.optional(),
  app_guid: id.optional(),
  bind_resource: z
    .looseObject(
      { app_guid: z.string().optional(), route: z.string().optional() },
      { error: 'must be an object' },
    )
    .optional(),
  parameters: object.optional(),
  predecessor_binding_id: id.optional(),
});
export type BindBody = z.infer<typeof BindBody>;

const flag = z.enum(['true', 'false'], { error: 'must be true or false' });

export const AsyncQuery = z.looseObject({ accepts_incomplete: flag.optional() });

export const DeleteQuery = z.looseObject({
  service_id: id,
  plan_id: id,
  accepts_incomplete: flag.optional(),
});

export const LastOperationQuery = z.looseObject({
  service_id: z.string().optional(),
  plan_id: z.string().optional(),
  operation: z.string().min(1, 'must not be empty').optional(),
});

/** Parses or throws 400 with every problem named by where it is (`body.plan_id: …`). */
export function parse<T extends z.ZodType>(schema: T, input: unknown, root: 'body' | 'query'): z.infer<T> {
  if (
    root === 'body' &&
    (input === null || input === undefined || typeof input !== 'object' || Array.isArray(input))
  ) {
    throw badRequest('body: must be a JSON object');
  }
  const result = schema.safeParse(input);
  if (!result.success) throw badRequest(describeIssues(result.error, root, input));
  return result.data;
}

// ---- the test double's controls (not OSB) ----------------------------------------------------

const probability = z.number().min(0).max(1).optional();

/** `PUT /admin/faults`: the failure options a running broker switches to (closed: a typo is a 400). */
export const FaultsBody = z.strictObject({
  seed: z.number().int().optional(),
  provision: probability,
  update: probability,
  deprovision: probability,
  bind: probability,
  unbind: probability,
  http500Rate: probability,
  http500FirstCalls: z.number().int().min(0).optional(),
  http500Next: z
    .strictObject({ count: z.number().int().min(1).max(1000), matching: z.string().min(1).optional() })
    .optional(),
  responseDelayMs: z.number().int().min(0).max(120_000).optional(),
  slowResponseMs: z.number().int().min(0).max(600_000).optional(),
});
