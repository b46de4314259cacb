import { z } from 'zod';

export const OrderParams = z.object({ id: z.uuid() });
