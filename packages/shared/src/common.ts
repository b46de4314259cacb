import { z } from 'zod';

// Messages in plain words, on the server and in the browser alike ("is required" — also for an
// empty text that needs one character —, "must be at most 100"); the field's path is given beside the message. A schema's own
// message wins over these.
const counted = (n: number | bigint, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

z.config({
  customError: (issue) => {
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) {
      return 'is required';
    }
    if (issue.code === 'too_small') {
      const n = issue.minimum as number;
      if (issue.origin === 'string')
        return n === 1 ? 'is required' : `needs at least ${counted(n, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') {
        return n === 1 ? 'needs at least one entry' : `needs at least ${n} entries`;
      }
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return issue.inclusive ? `must be at least ${n}` : `must be more than ${n}`;
      }
    }
    if (issue.code === 'too_big') {
      const n = issue.maximum as number;
      if (issue.origin === 'string') return `allows at most ${counted(n, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `allows at most ${n} entries`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return issue.inclusive ? `must be at most ${n}` : `must be less than ${n}`;
      }
    }
    return undefined;
  },
});

/** usage_reporter: a machine account (a broker, a collector) whose tokens may post usage and nothing else. */
export const roles = [
  'requester',
  'approver',
  'fulfiller',
  'catalog_manager',
  'finance',
  'admin',
  'usage_reporter',
] as const;
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
