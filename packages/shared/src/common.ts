import { z } from 'zod';

// Say "is required" for a missing field, on the server and in the browser alike; the field's
// path is given beside the message.
z.config({
  customError: (issue) =>
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined
      ? 'is required'
      : undefined,
});

export const roles = ['requester', 'approver', 'fulfiller', 'catalog_manager', 'finance', 'admin'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/** Money travels as a decimal string ("12.500000000"), never as a float. */
export const Money = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string');

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

export const PersonRef = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;

export const CostCentreRef = z.object({ code: z.string(), name: z.string() });
export type CostCentreRef = z.infer<typeof CostCentreRef>;

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});
