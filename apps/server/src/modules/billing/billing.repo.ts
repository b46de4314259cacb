import { and, asc, between, desc, eq, inArray, lt, max, sql } from 'drizzle-orm';
import type { ChargeMode } from '@portico/shared';
import { rowsOf, type Executor } from '../../platform/db.ts';
import { billingPeriods, budgetAlerts, rateCards, statementLines, statements } from './billing.tables.ts';

export type RateCardRow = typeof rateCards.$inferSelect;
export type PeriodRow = typeof billingPeriods.$inferSelect;
export type StatementRow = typeof statements.$inferSelect;
export type LineRow = typeof statementLines.$inferSelect;
export type NewLine = typeof statementLines.$inferInsert;

// ---- rate cards -----------------------------------------------------------------------

export async function latestVersion(ex: Executor, planId: string, meterKey: string): Promise<number> {
  const [row] = await ex
    .select({ version: max(rateCards.version) })
    .from(rateCards)
    .where(and(eq(rateCards.planId, planId), eq(rateCards.meterKey, meterKey)));
  return row?.version ?? 0;
}

export async function insertRateCard(ex: Executor, row: typeof rateCards.$inferInsert) {
  const [created] = await ex.insert(rateCards).values(row).returning();
  return created!;
}

export function listRateCards(ex: Executor, f: { serviceId?: string; planId?: string; meterKey?: string }) {
  return ex
    .select()
    .from(rateCards)
    .where(
      and(
        f.serviceId ? eq(rateCards.serviceId, f.serviceId) : undefined,
        f.planId ? eq(rateCards.planId, f.planId) : undefined,
        f.meterKey ? eq(rateCards.meterKey, f.meterKey) : undefined,
      ),
    )
    .orderBy(asc(rateCards.planId), asc(rateCards.meterKey), desc(rateCards.version));
}

/** Versions effective on `day` ("2026-10-01"), the highest first per plan and meter. */
export const rateCardsEffectiveOn = (ex: Executor, day: string) =>
  ex
    .select()
    .from(rateCards)
    .where(sql`${rateCards.effectiveFrom} <= ${day}`)
    .orderBy(asc(rateCards.planId), asc(rateCards.meterKey), desc(rateCards.version));

/** A plan's versions effective on `day`, the highest first per meter. */
export const rateCardsOfPlanOn = (ex: Executor, planId: string, day: string) =>
  ex
    .select()
    .from(rateCards)
    .where(and(eq(rateCards.planId, planId), sql`${rateCards.effectiveFrom} <= ${day}`))
    .orderBy(asc(rateCards.meterKey), desc(rateCards.version));

// ---- periods and statements -----------------------------------------------------------

/** lock: true locks the period's row for update; 'share' lets other share-lockers in. */
export async function findPeriod(ex: Executor, month: string, lock: boolean | 'share' = false) {
  const query = ex.select().from(billingPeriods).where(eq(billingPeriods.month, month));
  const [row] = await (lock === 'share' ? query.for('share') : lock ? query.for('update') : query);
  return row;
}

/** Marks the period closing unless it is already closing or closed; returns it as it is now. */
export async function startClosing(ex: Executor, month: string) {
  await ex
    .insert(billingPeriods)
    .values({ month, status: 'closing', closingStartedAt: sql`now()` })
    .onConflictDoNothing();
  await ex
    .update(billingPeriods)
    .set({ status: 'closing', closingStartedAt: sql`now()` })
    .where(and(eq(billingPeriods.month, month), eq(billingPeriods.status, 'open')));
  return (await findPeriod(ex, month))!;
}

/** The statement of a cost centre for a period and currency, made if it is not there yet. */
export async function statementFor(
  ex: Executor,
  costCentreId: string,
  period: string,
  currency: string,
  chargeMode: ChargeMode,
) {
  await ex
    .insert(statements)
    .values({ costCentreId, period, currency, status: 'closing', chargeMode })
    .onConflictDoNothing();
  const [row] = await ex
    .select()
    .from(statements)
    .where(
      and(
        eq(statements.costCentreId, costCentreId),
        eq(statements.period, period),
        eq(statements.currency, currency),
      ),
    );
  return row!;
}

/**
 * Inserts the lines not there yet (by line key); returns how many were. The rows go as one JSON
 * parameter: a close writes about a hundred thousand lines, and building a statement with a
 * parameter per column of each row cost more CPU than PostgreSQL took to insert them.
 */
export async function insertNewLines(ex: Executor, rows: NewLine[]): Promise<number> {
  if (!rows.length) return 0;
  const json = rows.map((r) => ({
    statement_id: r.statementId,
    line_key: r.lineKey,
    subscription_id: r.subscriptionId,
    kind: r.kind,
    meter_key: r.meterKey ?? null,
    charge_period: r.chargePeriod,
    quantity: r.quantity,
    unit_price: r.unitPrice,
    detail: r.detail ?? {},
    amount: r.amount,
    rate_card_id: r.rateCardId ?? null,
    rate_card_version: r.rateCardVersion ?? null,
  }));
  const inserted = await ex.execute(sql`
    insert into ${statementLines} (statement_id, line_key, subscription_id, kind, meter_key, charge_period,
                                   quantity, unit_price, detail, amount, rate_card_id, rate_card_version)
    select * from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as r(
      statement_id uuid, line_key text, subscription_id uuid, kind text, meter_key text, charge_period text,
      quantity numeric, unit_price text, detail jsonb, amount numeric, rate_card_id uuid, rate_card_version integer)
    on conflict (line_key) do nothing
    returning 1`);
  return rowsOf(inserted).length;
}

export async function refreshTotal(ex: Executor, statementId: string) {
  await ex
    .update(statements)
    .set({
      total: sql`(select coalesce(sum(${statementLines.amount}), 0) from ${statementLines} where ${statementLines.statementId} = ${statementId})`,
    })
    .where(eq(statements.id, statementId));
}

export async function finishClosing(ex: Executor, month: string) {
  await ex.update(statements).set({ status: 'closed' }).where(eq(statements.period, month));
  await ex
    .update(billingPeriods)
    .set({ status: 'closed', closedAt: sql`now()` })
    .where(eq(billingPeriods.month, month));
}

export const statementsOf = (ex: Executor, month: string) =>
  ex.select().from(statements).where(eq(statements.period, month)).orderBy(asc(statements.createdAt));

export const linesOf = (ex: Executor, statementIds: string[]) =>
  statementIds.length
    ? ex
        .select()
        .from(statementLines)
        .where(inArray(statementLines.statementId, statementIds))
        .orderBy(asc(statementLines.id))
    : Promise.resolve([]);

// ---- corrections and drafts -------------------------------------------------------------

/** Closed periods before `month`, oldest first. */
export const closedPeriodsBefore = (ex: Executor, month: string) =>
  ex
    .select()
    .from(billingPeriods)
    .where(and(eq(billingPeriods.status, 'closed'), lt(billingPeriods.month, month)))
    .orderBy(asc(billingPeriods.month));

/**
 * What was charged for usage of `chargePeriod`, on any statement (its usage lines and the
 * corrections since), per subscription and meter, with the rate card its usage line used.
 */
export async function billedUsage(ex: Executor, chargePeriod: string, subscriptionIds: string[]) {
  if (!subscriptionIds.length) return [];
  const l = statementLines;
  return ex
    .select({
      subscriptionId: l.subscriptionId,
      meterKey: sql<string>`${l.meterKey}`,
      quantity: sql<string>`sum(${l.quantity})::text`,
      amount: sql<string>`sum(${l.amount})::text`,
      rateCardId: sql<
        string | null
      >`(array_agg(${l.rateCardId}::text) filter (where ${l.kind} = 'usage'))[1]`,
    })
    .from(l)
    .where(
      and(
        eq(l.chargePeriod, chargePeriod),
        inArray(l.kind, ['usage', 'correction']),
        inArray(l.subscriptionId, subscriptionIds),
      ),
    )
    .groupBy(l.subscriptionId, l.meterKey);
}

export const rateCardsByIds = (ex: Executor, ids: string[]) =>
  ids.length ? ex.select().from(rateCards).where(inArray(rateCards.id, ids)) : Promise.resolve([]);

// ---- costs ----------------------------------------------------------------------------------

/** A cost centre's statements of the months from `first` to `last` ("2026-01" … "2026-12"). */
export const statementsOfCostCentre = (ex: Executor, costCentreId: string, first: string, last: string) =>
  ex
    .select()
    .from(statements)
    .where(and(eq(statements.costCentreId, costCentreId), between(statements.period, first, last)))
    .orderBy(asc(statements.period), asc(statements.currency));

export const periodsBetween = (ex: Executor, first: string, last: string) =>
  ex
    .select()
    .from(billingPeriods)
    .where(between(billingPeriods.month, first, last));

// ---- budget alerts --------------------------------------------------------------------------

export const alertsOf = (ex: Executor, costCentreId: string, period: string) =>
  ex
    .select()
    .from(budgetAlerts)
    .where(and(eq(budgetAlerts.costCentreId, costCentreId), eq(budgetAlerts.period, period)))
    .orderBy(asc(budgetAlerts.threshold));

/** Records an alert unless it was sent already; returns whether this call recorded it. */
export async function recordAlert(ex: Executor, row: typeof budgetAlerts.$inferInsert): Promise<boolean> {
  const inserted = await ex
    .insert(budgetAlerts)
    .values(row)
    .onConflictDoNothing()
    .returning({ threshold: budgetAlerts.threshold });
  return inserted.length === 1;
}

/** Per month from `first` to `last` and currency: the statements, their lines and their total. */
export async function periodTotals(ex: Executor, first: string, last: string) {
  return rowsOf<{ period: string; currency: string; statements: number; lines: number; total: string }>(
    await ex.execute(sql`
      select s.period, s.currency, count(*)::int as statements, coalesce(sum(n.lines), 0)::int as lines,
             sum(s.total)::text as total
        from ${statements} s
        cross join lateral (select count(*) as lines from ${statementLines} l where l.statement_id = s.id) n
       where s.period between ${first} and ${last}
       group by s.period, s.currency
       order by s.period, s.currency`),
  );
}
