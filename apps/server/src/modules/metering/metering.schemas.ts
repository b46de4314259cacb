import { MeterKey } from '@portico/shared';
import { z } from 'zod';

export const MeterParams = z.object({ key: MeterKey });
export const QuarantineParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'is not a usage event id')
    .transform(Number),
});
