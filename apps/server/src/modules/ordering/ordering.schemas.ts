import { z } from 'zod';

export const OrderParams = z.object({ id: z.uuid() });

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string({ error: 'is required: send a unique key per checkout, and the same key when retrying it' })
    .regex(/^[\w-]{8,100}$/, 'must be 8 to 100 letters, digits, - or _'),
});
