import { z } from 'zod';

export const SlugParams = z.object({ slug: z.string().min(1).max(100) });
