// Budget alerts: when a cost centre's month-to-date cost reaches 80% and then 100% of its
// monthly budget, its owner is told in the app and by e-mail, once per threshold and month.
import { formatMoney, roundMoney } from '@portico/shared';
import Decimal from 'decimal.js';
import type { Database } from '../../platform/db.ts';
import { userIdsWithRole } from '../identity/index.ts';
import { notify } from '../notify/index.ts';
import { budgetsOf, costCentresInForce } from '../org/index.ts';
import * as repo from './billing.repo.ts';
import { draftOf } from './billing.service.ts';

/** Per cent of the monthly budget, lowest first. */
export const BUDGET_THRESHOLDS = [80, 100] as const;

/**
 * Checks every cost centre with a budget this year against its month to date (the draft, as the
 * close would charge it now) and sends the alerts due; returns how many were sent. Safe to run
 * as often as wanted, from any number of processes: an alert is recorded under its key (cost
 * centre, month, threshold) in the transaction that sends it, so it goes out once.
 */
export async function checkBudgets(database: Database, now = new Date()): Promise<number> {
  const ex = database.db;
  const month = now.toISOString().slice(0, 7);
  const centres = await costCentresInForce(ex);
  const budgets = await budgetsOf(
    ex,
    centres.map((c) => c.id),
    now.getUTCFullYear(),
  );
  if (!budgets.size) return 0;
  const draft = await draftOf(ex, month, now);
  let sent = 0;
  for (const centre of centres) {
    const budget = budgets.get(centre.id);
    if (!budget || new Decimal(budget.monthlyAmount).lte(0)) continue;
    const group = draft.groups.find((g) => g.costCentreId === centre.id && g.currency === budget.currency);
    if (!group) continue;
    const spent = new Decimal(group.monthToDate);
    const reached = BUDGET_THRESHOLDS.filter((t) =>
      spent.gte(new Decimal(budget.monthlyAmount).times(t).div(100)),
    );
    if (!reached.length) continue;
    sent += await database.transaction(async (tx) => {
      const recorded: number[] = [];
      for (const threshold of reached) {
        const fresh = await repo.recordAlert(tx, {
          costCentreId: centre.id,
          period: month,
          threshold,
          currency: budget.currency,
          amount: group.monthToDate,
          budget: budget.monthlyAmount,
        });
        if (fresh) recorded.push(threshold);
      }
      // Crossing both at once says the higher; each is recorded, so neither comes again.
      const top = recorded.at(-1);
      if (top === undefined) return 0;
      const money = (amount: string) => formatMoney(roundMoney(amount, budget.currency), budget.currency);
      const recipients = centre.ownerId ? [centre.ownerId] : await userIdsWithRole(tx, 'finance');
      await notify(
        tx,
        recipients,
        {
          kind: 'budget.alert',
          title: `${centre.code} has used ${top}% of its budget for ${month}`,
          body:
            `${centre.name} has spent ${money(group.monthToDate)} so far this month, against a monthly ` +
            `budget of ${money(budget.monthlyAmount)}. The forecast to the month's end is ` +
            `${money(group.forecast.total)}.`,
          link: `/costs/${encodeURIComponent(centre.code)}`,
        },
        { email: true },
      );
      return 1;
    });
  }
  return sent;
}
