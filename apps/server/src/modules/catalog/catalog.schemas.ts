import { ManagedService, Lifecycle, ServiceDocument, ServiceVersion } from '@portico/shared';
import { z } from 'zod';

export const SlugParams = z.object({ slug: z.string().min(1).max(100) });

export const ManagedServiceDetail = z.object({
  document: ServiceDocument,
  status: Lifecycle,
  version: z.number().int(),
  versions: z.array(ServiceVersion),
});

export const ManagedList = z.object({ items: z.array(ManagedService), nextCursor: z.null() });

export const ImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const Teams = z.object({
  items: z.array(z.object({ key: z.string(), name: z.string() })),
  nextCursor: z.null(),
});
