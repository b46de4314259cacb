import { z } from 'zod';

export const SubscriptionParams = z.object({ id: z.uuid() });
