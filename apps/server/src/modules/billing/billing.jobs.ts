import { addMonths } from '@portico/shared';
import type { Database } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { firstSubscriptionEventAt } from '../inventory/index.ts';
import { checkBudgets } from './billing.alerts.ts';
import * as repo from './billing.repo.ts';
import { closeMonth, type CloseResult } from './billing.service.ts';

export const CLOSE_ENDED_MONTHS = 'billing.close-ended-months';
export const CHECK_BUDGETS = 'billing.check-budgets';

/**
 * Closes every month that has ended and is not closed, oldest first (so corrections of late usage
 * land in order), from the month of the first subscription event on: the scheduled close, which
 * also finishes a close that stopped halfway.
 */
export async function closeEndedMonths(database: Database, now = new Date()): Promise<CloseResult[]> {
  const first = await firstSubscriptionEventAt(database.db);
  if (!first) return [];
  const results: CloseResult[] = [];
  const current = now.toISOString().slice(0, 7);
  for (let month = first.toISOString().slice(0, 7); month < current; month = addMonths(month, 1)) {
    if ((await repo.findPeriod(database.db, month))?.status === 'closed') continue;
    results.push(await closeMonth(database, month, now));
  }
  return results;
}

/**
 * The month close and budget checks as jobs. Staged: they run their own transactions (one per
 * statement, one per alert), so they must not hold the job's; a crash leaves the job to run
 * again, and the close resumes. Scheduled: the close at 02:00 UTC on the 1st of every month
 * (finance can close earlier by hand); budgets every 15 minutes.
 */
export function defineBillingJobs(deps: Deps): void {
  deps.jobs.defineStaged(
    CLOSE_ENDED_MONTHS,
    async (_data, finish) => {
      await closeEndedMonths(deps.database);
      await finish(async () => {});
    },
    { expireInSeconds: 4 * 60 * 60 },
  );
  deps.jobs.every(CLOSE_ENDED_MONTHS, '0 2 1 * *');
  deps.jobs.defineStaged(CHECK_BUDGETS, async (_data, finish) => {
    await checkBudgets(deps.database);
    await finish(async () => {});
  });
  deps.jobs.every(CHECK_BUDGETS, '*/15 * * * *');
}
