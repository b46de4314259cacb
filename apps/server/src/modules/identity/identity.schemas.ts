import { z } from 'zod';

export const TokenParams = z.object({ id: z.uuid() });
