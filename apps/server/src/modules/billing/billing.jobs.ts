import type { Deps } from '../../platform/deps.ts';
import { closeMonth } from './billing.service.ts';

export const CLOSE_MONTH = 'billing.close-month';

/**
 * The month close as a job. Staged: the close runs its own transactions (one per statement), so
 * it must not hold the job's; a crash leaves the job to run again, and the close resumes.
 */
export function defineBillingJobs(deps: Deps): void {
  deps.jobs.defineStaged<{ month: string }>(
    CLOSE_MONTH,
    async ({ month }, finish) => {
      await closeMonth(deps.database, month);
      await finish(async () => {});
    },
    { expireInSeconds: 60 * 60 },
  );
}
