import { z } from 'zod';

export const TaskParams = z.object({ id: z.uuid() });
