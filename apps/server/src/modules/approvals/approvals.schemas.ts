import { z } from 'zod';

export const ApprovalParams = z.object({ id: z.uuid() });
