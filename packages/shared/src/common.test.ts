import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import './common.ts';

const messages = (schema: z.ZodType, input: unknown) =>
  schema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('validation messages in plain words', () => {
  const Body = z.object({
    name: z.string().min(1),
    code: z.string().min(3).max(5),
    quantity: z.number().int().min(1).max(100),
    share: z.number().gt(0).lt(1),
    tags: z.array(z.string()).min(1).max(2),
    pattern: z.string().min(2, 'is too short for a pattern'),
  });

  it('names the limit instead of "Too small"', () => {
    expect(messages(Body, { name: '', code: 'ab', quantity: 0, share: 0, tags: [], pattern: 'x' })).toEqual([
      'name: is required',
      'code: needs at least 3 characters',
      'quantity: must be at least 1',
      'share: must be more than 0',
      'tags: needs at least one entry',
      'pattern: is too short for a pattern',
    ]);
    expect(
      messages(Body, {
        name: 'n',
        code: 'abcdef',
        quantity: 101,
        share: 1,
        tags: ['a', 'b', 'c'],
        pattern: 'xy',
      }),
    ).toEqual([
      'code: allows at most 5 characters',
      'quantity: must be at most 100',
      'share: must be less than 1',
      'tags: allows at most 2 entries',
    ]);
  });

  it('says "is required" for a missing field', () => {
    expect(messages(z.object({ name: z.string() }), {})).toEqual(['name: is required']);
  });
});
