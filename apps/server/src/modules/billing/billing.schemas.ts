import { Month } from '@portico/shared';
import { z } from 'zod';

export const MonthParams = z.object({ month: Month });
