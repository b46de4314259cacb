import { ManagedService, TeamRef } from '@portico/shared';
import { z } from 'zod';

export const SlugParams = z.object({ slug: z.string().min(1).max(100) });

export const ManagedList = z.object({ items: z.array(ManagedService), nextCursor: z.null() });

export const ImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const Teams = z.object({ items: z.array(TeamRef), nextCursor: z.null() });
