import {
  addMonths,
  monthOf,
  rate,
  recurringSegments,
  roundMoney,
  type BillingPeriod,
  type BillingPeriodSummary,
  type ChargeMode,
  type DraftStatement,
  type PutRateCardBody,
  type RateCard,
  type RatedLine,
  type Statement,
  type StatementLine,
} from '@portico/shared';
import Decimal from 'decimal.js';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Database, Executor, Tx } from '../../platform/db.ts';
import { AppError, conflict, invalid } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { findServiceBySlug, planBySlugs, planRefs, serviceRefs } from '../catalog/index.ts';
import {
  billedCostCentreCount,
  billedCostCentres,
  subscriptionEventsBefore,
  type BilledEvent,
} from '../inventory/index.ts';
import { findMeter, usageArrivedSince, usageQuantities } from '../metering/index.ts';
import { chargeModesOf, costCentreByCode, costCentreRefs } from '../org/index.ts';
import { mayManageBilling, mayReadDraft } from './billing.policy.ts';
import * as repo from './billing.repo.ts';

const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });

// ---- rate cards -----------------------------------------------------------------------

async function presentRateCards(ex: Executor, rows: repo.RateCardRow[]): Promise<RateCard[]> {
  const [services, plans] = await Promise.all([
    serviceRefs(
      ex,
      rows.map((r) => r.serviceId),
    ),
    planRefs(
      ex,
      rows.map((r) => r.planId),
    ),
  ]);
  return rows.map((r) => ({
    id: r.id,
    service: { slug: services.get(r.serviceId)!.slug, name: services.get(r.serviceId)!.name },
    plan: plans.get(r.planId)!,
    meter: r.meterKey,
    version: r.version,
    effectiveFrom: r.effectiveFrom,
    currency: r.currency,
    model: r.model,
    createdAt: r.createdAt.toISOString(),
  }));
}

/**
 * A new version of the rate card of a plan and meter, in the plan's currency. Versions are never
 * changed: a closed period keeps the version it was rated with; open periods are rated when
 * they close, with the version in force then.
 */
export async function putRateCard(
  tx: Tx,
  actor: Actor,
  input: z.output<typeof PutRateCardBody>,
): Promise<RateCard> {
  mayManageBilling(actor);
  const found = await planBySlugs(tx, input.service, input.plan);
  if (!found) {
    throw (await findServiceBySlug(tx, input.service))
      ? invalid('plan', `${input.service} has no plan ${input.plan}`)
      : invalid('service', `no service ${input.service}`);
  }
  if (!(await findMeter(tx, input.meter))) throw invalid('meter', `no meter ${input.meter}`);
  const version = (await repo.latestVersion(tx, found.plan.id, input.meter)) + 1;
  const created = await repo
    .insertRateCard(tx, {
      serviceId: found.service.id,
      planId: found.plan.id,
      meterKey: input.meter,
      version,
      effectiveFrom: input.effectiveFrom,
      currency: found.plan.currency,
      model: input.model,
      createdById: actor.userId,
    })
    .catch((err: unknown) => {
      // Two versions made at once: the unique index decides, the loser is told to try again.
      if (
        (err as { cause?: { code?: string } }).cause?.code === '23505' ||
        (err as { code?: string }).code === '23505'
      )
        throw conflict('Another version of this rate card was made at the same moment; try again');
      throw err;
    });
  await recordAudit(tx, actor, {
    action: 'rate_card.created',
    entityType: 'rate_card',
    entityId: created.id,
    after: {
      plan: input.plan,
      service: input.service,
      meter: input.meter,
      version,
      effectiveFrom: input.effectiveFrom,
      model: input.model,
    },
  });
  return (await presentRateCards(tx, [created]))[0]!;
}

export async function listRateCards(
  ex: Executor,
  actor: Actor,
  q: { service?: string; plan?: string; meter?: string },
): Promise<RateCard[]> {
  mayManageBilling(actor);
  let serviceId: string | undefined;
  let planId: string | undefined;
  if (q.service && q.plan) {
    const found = await planBySlugs(ex, q.service, q.plan);
    if (!found) return [];
    planId = found.plan.id;
  } else if (q.plan) {
    throw invalid('service', 'is required with plan (plan slugs are per service)');
  } else if (q.service) {
    serviceId = (await findServiceBySlug(ex, q.service))?.id;
    if (!serviceId) return [];
  }
  return presentRateCards(ex, await repo.listRateCards(ex, { serviceId, planId, meterKey: q.meter }));
}

// ---- the month close ------------------------------------------------------------------

/** The UTC calendar month "2026-10" as a half-open period. */
export function periodOf(month: string) {
  return monthOf(`${month}-01T00:00:00Z`);
}

/** A line the close will write, with the statement it belongs on. */
export interface PlannedLine {
  costCentreId: string;
  currency: string;
  line: Omit<repo.NewLine, 'statementId'>;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** What the units cost, as one price or the sum of the breakdown's parts ("100 × 0.10 + 50 × 0.08"). */
function unitPriceOf(breakdown: RatedLine[]): string {
  if (breakdown.length === 1 && breakdown[0]!.blocks === null && breakdown[0]!.flatFee === '0')
    return breakdown[0]!.unitPrice;
  if (!breakdown.length) return '0';
  return breakdown
    .map((l) => {
      const units = l.blocks === null ? `${l.units} × ${l.unitPrice}` : `${l.blocks} blocks × ${l.unitPrice}`;
      if (l.flatFee === '0') return units;
      return l.units === '0' || l.unitPrice === '0' ? l.flatFee : `${units} + ${l.flatFee}`;
    })
    .join(' + ');
}

function historiesOf(events: BilledEvent[]): Map<string, BilledEvent[]> {
  const bySubscription = new Map<string, BilledEvent[]>();
  for (const e of events)
    bySubscription.set(e.subscriptionId, [...(bySubscription.get(e.subscriptionId) ?? []), e]);
  return bySubscription;
}

/** The fee lines of `month` charged to `costCentres`, up to `until` (the period's end for a close). */
function feeLines(
  histories: Map<string, BilledEvent[]>,
  month: string,
  costCentres: Set<string>,
  until?: Date,
): PlannedLine[] {
  const period = periodOf(month);
  const planned: PlannedLine[] = [];
  for (const [subscriptionId, history] of histories) {
    for (const seg of recurringSegments(history, period, until)) {
      if (new D(seg.event.monthlyPrice).isZero()) continue;
      if (!costCentres.has(seg.event.costCentreId)) continue;
      planned.push({
        costCentreId: seg.event.costCentreId,
        currency: seg.event.currency,
        line: {
          lineKey: `${month}/fee/${subscriptionId}/${seg.event.id}`,
          subscriptionId,
          kind: 'fee',
          chargePeriod: month,
          quantity: String(seg.event.quantity),
          unitPrice: seg.event.monthlyPrice,
          detail: { from: seg.from.toISOString(), to: seg.to.toISOString() },
          amount: roundMoney(seg.amount, seg.event.currency),
        },
      });
    }
  }
  return planned;
}

/** When the subscriptions that ended did: a level (storage held) stops counting then. */
function endsOf(histories: Map<string, BilledEvent[]>, subscriptionIds: string[]) {
  return subscriptionIds.flatMap((id) => {
    const last = histories.get(id)?.at(-1);
    return last?.kind === 'end' ? [{ subscriptionId: id, at: last.at }] : [];
  });
}

function cardsByPlanAndMeter(cards: repo.RateCardRow[]) {
  const cardOf = new Map<string, repo.RateCardRow>();
  for (const c of cards)
    if (!cardOf.has(`${c.planId}/${c.meterKey}`)) cardOf.set(`${c.planId}/${c.meterKey}`, c);
  return cardOf;
}

/** Usage a rate card is missing for: whose, and which meter on which plan. */
export interface Unpriced {
  costCentreId: string;
  what: string;
}

function missingCards(month: string, missing: Unpriced[]): AppError {
  const meters = [...new Set(missing.map((m) => m.what))].sort();
  return new AppError(
    'Conflict',
    `month: usage has no rate card in force on ${month}-01 (${meters.join('; ')}); add one, then close again`,
    [{ path: 'month', message: `no rate card in force for ${meters.join('; ')}` }],
  );
}

/**
 * The usage lines of `month` charged to `costCentres`, from the usage up to `until` (the period's
 * end for a close), and the meters that have usage but no rate card.
 */
async function usageLines(
  ex: Executor,
  month: string,
  histories: Map<string, BilledEvent[]>,
  costCentres: Set<string>,
  opts: { until?: Date; scale?: Decimal } = {},
): Promise<{ planned: PlannedLine[]; missing: Unpriced[] }> {
  const period = periodOf(month);
  const { until = period.end, scale } = opts;
  // Usage is charged to whoever holds the subscription at the end of the period, on its plan then;
  // usage of a subscription that started after the period has no one to hold it.
  // A subscription that ended before the period began holds nothing in it: a level it reported
  // last (storage held) is not carried past its end into later months.
  const held = [...histories]
    .filter(([, h]) => {
      const last = h.at(-1)!;
      return costCentres.has(last.costCentreId) && !(last.kind === 'end' && last.at <= period.start);
    })
    .map(([id]) => id);
  const [usage, cards] = await Promise.all([
    usageQuantities(ex, period, until, held, endsOf(histories, held)),
    repo.rateCardsEffectiveOn(ex, `${month}-01`),
  ]);
  const cardOf = cardsByPlanAndMeter(cards);
  const planned: PlannedLine[] = [];
  const missing: Unpriced[] = [];
  for (const u of usage) {
    const state = histories.get(u.subscriptionId)!.at(-1)!;
    const card = cardOf.get(`${state.planId}/${u.meterKey}`);
    if (!card) {
      missing.push({ costCentreId: state.costCentreId, what: `${u.meterKey} on plan ${state.planId}` });
      continue;
    }
    const quantity = scale
      ? new D(u.quantity).times(scale).toDecimalPlaces(9, D.ROUND_HALF_UP).toFixed()
      : u.quantity;
    const rated = rate(card.model, quantity);
    planned.push({
      costCentreId: state.costCentreId,
      currency: card.currency,
      line: {
        lineKey: `${month}/usage/${u.subscriptionId}/${u.meterKey}`,
        subscriptionId: u.subscriptionId,
        kind: 'usage',
        meterKey: u.meterKey,
        chargePeriod: month,
        quantity,
        unitPrice: unitPriceOf(rated.breakdown),
        detail: { aggregation: u.aggregation, unit: u.unit, breakdown: rated.breakdown },
        amount: roundMoney(rated.amount, card.currency),
        rateCardId: card.id,
        rateCardVersion: card.version,
      },
    });
  }
  return { planned, missing };
}

/**
 * Corrections for usage that reached closed periods late (received, or accepted out of
 * quarantine, once their close had started), to go on `month`'s statements.
 *
 * For each (subscription, meter) with such usage, the closed period's usage line is computed
 * again from all the usage known now, rated with the version its usage line was rated with (or,
 * when it had none, the version in force on its first day), and the difference from everything
 * already charged for that period (its usage line and earlier corrections) becomes one
 * correction line with that period as its charge period. Nothing is left over after it, so a
 * re-run finds a difference of 0 and writes nothing; the line key carries the newest late event
 * it covers, so usage that arrives while a close is being resumed makes its own line.
 */
async function correctionLines(ex: Executor, month: string, costCentreId?: string): Promise<PlannedLine[]> {
  const planned: PlannedLine[] = [];
  for (const closed of await repo.closedPeriodsBefore(ex, month)) {
    const period = periodOf(closed.month);
    const since = closed.closingStartedAt ?? closed.closedAt!;
    const late = await usageArrivedSince(ex, period.start, period.end, since);
    if (!late.length) continue;
    const subscriptionIds = [...new Set(late.map((l) => l.subscriptionId))];
    const histories = historiesOf(await subscriptionEventsBefore(ex, period.end, { subscriptionIds }));
    const [usage, billed, inForce] = await Promise.all([
      usageQuantities(ex, period, period.end, subscriptionIds, endsOf(histories, subscriptionIds)),
      repo.billedUsage(ex, closed.month, subscriptionIds),
      repo.rateCardsEffectiveOn(ex, `${closed.month}-01`),
    ]);
    const billedOf = new Map(billed.map((b) => [`${b.subscriptionId}/${b.meterKey}`, b]));
    const usedCards = new Map(
      (
        await repo.rateCardsByIds(ex, [
          ...new Set(billed.map((b) => b.rateCardId).filter((id): id is string => !!id)),
        ])
      ).map((c) => [c.id, c]),
    );
    const cardOf = cardsByPlanAndMeter(inForce);
    const missing: Unpriced[] = [];
    for (const l of late) {
      const key = `${l.subscriptionId}/${l.meterKey}`;
      const u = usage.find((x) => x.subscriptionId === l.subscriptionId && x.meterKey === l.meterKey);
      const state = histories.get(l.subscriptionId)?.at(-1);
      if (!u || !state) continue; // as the close: no one held it during the period
      if (costCentreId && state.costCentreId !== costCentreId) continue;
      const was = billedOf.get(key);
      const card =
        (was?.rateCardId && usedCards.get(was.rateCardId)) || cardOf.get(`${state.planId}/${l.meterKey}`);
      if (!card) {
        missing.push({ costCentreId: state.costCentreId, what: `${l.meterKey} on plan ${state.planId}` });
        continue;
      }
      const rated = rate(card.model, u.quantity);
      const amount = roundMoney(rated.amount, card.currency);
      const quantity = new D(u.quantity).minus(was?.quantity ?? 0);
      const difference = new D(amount).minus(was?.amount ?? 0);
      if (quantity.isZero() && difference.isZero()) continue;
      planned.push({
        costCentreId: state.costCentreId,
        currency: card.currency,
        line: {
          lineKey: `${month}/correction/${closed.month}/${l.subscriptionId}/${l.meterKey}/${l.lastEventId}`,
          subscriptionId: l.subscriptionId,
          kind: 'correction',
          meterKey: l.meterKey,
          chargePeriod: closed.month,
          quantity: quantity.toFixed(),
          unitPrice: unitPriceOf(rated.breakdown),
          detail: { aggregation: u.aggregation, unit: u.unit, breakdown: rated.breakdown },
          amount: roundMoney(difference.toFixed(), card.currency),
          rateCardId: card.id,
          rateCardVersion: card.version,
        },
      });
    }
    if (missing.length) throw missingCards(closed.month, missing);
  }
  return planned;
}

export interface CloseResult {
  month: string;
  status: 'closing' | 'closed';
  linesWritten: number;
}

/**
 * Cost centres rated at a time: what the close holds in memory is their subscriptions' events,
 * usage quantities and lines, whatever the number of cost centres, subscriptions or events.
 */
const COST_CENTRES_PER_BATCH = 100;

/** Statements written at the same time: PostgreSQL's work on one overlaps the building of the next. */
const STATEMENTS_AT_ONCE = 4;

/**
 * Writes planned lines on their statements, one transaction per cost centre and currency, a few
 * at a time. A failure stops it from starting more; it answers once those under way have ended.
 */
async function writeLines(
  database: Database,
  month: string,
  planned: PlannedLine[],
  chargeModes: Map<string, ChargeMode>,
): Promise<number> {
  const groups = new Map<string, PlannedLine[]>();
  for (const p of planned) {
    const key = `${p.costCentreId}/${p.currency}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(p);
  }
  const queue = [...groups.values()];
  let linesWritten = 0;
  let failure: { error: unknown } | undefined;
  const writer = async () => {
    for (let lines = queue.shift(); lines && !failure; lines = queue.shift()) {
      const { costCentreId, currency } = lines[0]!;
      try {
        const written = await database.transaction(async (tx) => {
          // Shared, so statements are written side by side; the close that finishes the period locks
          // it for update, so it waits for them, and one that finished meanwhile leaves nothing to do.
          if ((await repo.findPeriod(tx, month, 'share'))?.status === 'closed') return 0;
          const chargeMode = chargeModes.get(costCentreId)!;
          const statement = await repo.statementFor(tx, costCentreId, month, currency, chargeMode);
          const inserted = await repo.insertNewLines(
            tx,
            lines.map((l) => ({ ...l.line, statementId: statement.id })),
          );
          await repo.refreshTotal(tx, statement.id);
          return inserted;
        });
        linesWritten += written;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: STATEMENTS_AT_ONCE }, writer));
  if (failure) throw failure.error;
  return linesWritten;
}

/**
 * Closes a month: rates every subscription's fees and usage, writes the lines on one statement
 * per cost centre and currency, totals them and locks the period.
 *
 * Cost centres are rated and written a batch at a time, each statement in its own transaction,
 * and the period says how far the close got (closing, then closed), so a crash leaves a period
 * to close again: lines are keyed by what they charge and a line already written is not written
 * twice. A closed period is final: closing it again writes nothing, and the database refuses new
 * lines on its statements. Usage without a rate card stops the close before the period is closed
 * (409, naming every such meter) but after the other lines are written: they are what they would
 * be anyway, and closing again once the rate cards are there writes the rest.
 */
export async function closeMonth(
  database: Database,
  month: string,
  now = new Date(),
  /** Told after each batch how many of the month's cost centres are done (the CLI's progress bar). */
  onProgress?: (done: number, total: number) => void,
): Promise<CloseResult> {
  const period = periodOf(month);
  if (period.end > now) {
    throw invalid(
      'month',
      `${month} has not ended yet; it can be closed from ${period.end.toISOString().slice(0, 10)}`,
    );
  }
  const started = await database.transaction((tx) => repo.startClosing(tx, month));
  if (started.status === 'closed') return { month, status: 'closed', linesWritten: 0 };

  const ex = database.db;
  // Few (only usage that arrived late), and a missing rate card among them stops the close before
  // anything is written.
  const corrections = new Map<string, PlannedLine[]>();
  for (const p of await correctionLines(ex, month))
    corrections.set(p.costCentreId, [...(corrections.get(p.costCentreId) ?? []), p]);
  /** The lines of the next page of cost centres after `after`, and the meters without a rate card. */
  const plan = async (after: string | null) => {
    const page = await billedCostCentres(ex, period.end, after, COST_CENTRES_PER_BATCH);
    if (!page.length) return null;
    const costCentres = new Set(page);
    const histories = historiesOf(await subscriptionEventsBefore(ex, period.end, { costCentreIds: page }));
    const [usage, chargeModes] = await Promise.all([
      usageLines(ex, month, histories, costCentres),
      // The cost centres' charge modes now are their statements' for good: the journal of a closed
      // period does not change when a mode does later.
      chargeModesOf(ex, page),
    ]);
    const planned = [
      ...feeLines(histories, month, costCentres),
      ...usage.planned,
      ...page.flatMap((id) => corrections.get(id) ?? []),
    ];
    return { last: page.at(-1)!, size: page.length, planned, chargeModes, missing: usage.missing };
  };
  const missing: Unpriced[] = [];
  let linesWritten = 0;
  const total = onProgress ? await billedCostCentreCount(ex, period.end) : 0;
  let done = 0;
  onProgress?.(0, total);
  for (let batch = await plan(null); batch;) {
    // The next batch is read and rated while this one is written: two batches in memory at most.
    const next = plan(batch.last);
    try {
      linesWritten += await writeLines(database, month, batch.planned, batch.chargeModes);
    } catch (err) {
      await next.catch(() => undefined); // settled, so its failure is not left unhandled
      throw err;
    }
    missing.push(...batch.missing);
    done += batch.size;
    onProgress?.(done, total);
    batch = await next;
  }
  if (missing.length) throw missingCards(month, missing);
  await database.transaction(async (tx) => {
    if ((await repo.findPeriod(tx, month, true))?.status === 'closed') return;
    await repo.finishClosing(tx, month);
  });
  return { month, status: 'closed', linesWritten };
}

async function presentStatements(ex: Executor, rows: repo.StatementRow[]): Promise<Statement[]> {
  const [lines, centres] = await Promise.all([
    repo.linesOf(
      ex,
      rows.map((s) => s.id),
    ),
    costCentreRefs(
      ex,
      rows.map((s) => s.costCentreId),
    ),
  ]);
  return rows.map((s) => ({
    id: s.id,
    costCentre: centres.get(s.costCentreId)!,
    period: s.period,
    currency: s.currency,
    total: roundMoney(new D(s.total).toFixed(), s.currency),
    status: s.status,
    lines: lines.filter((l) => l.statementId === s.id).map((l) => presentLine(l, s.currency)),
  }));
}

/** A written statement line as the API shows it. */
export function presentLine(l: repo.LineRow, currency: string): StatementLine {
  return {
    subscriptionId: l.subscriptionId,
    kind: l.kind,
    meter: l.meterKey,
    chargePeriod: l.chargePeriod,
    quantity: new D(l.quantity).toFixed(),
    unitPrice: l.unitPrice,
    from: l.detail.from ?? null,
    to: l.detail.to ?? null,
    amount: roundMoney(new D(l.amount).toFixed(), currency),
    rateCard: l.rateCardId ? { id: l.rateCardId, version: l.rateCardVersion! } : null,
  };
}

export async function getPeriod(
  ex: Executor,
  actor: Actor,
  month: string,
  linesWritten = 0,
): Promise<BillingPeriod> {
  mayManageBilling(actor);
  const row = await repo.findPeriod(ex, month);
  return {
    month,
    status: row?.status ?? 'open',
    closedAt: row?.closedAt?.toISOString() ?? null,
    linesWritten,
    statements: await presentStatements(ex, await repo.statementsOf(ex, month)),
  };
}

/**
 * GET /api/billing/periods: every month from `from` to `to`, newest first, with its state and its
 * statements counted and totalled (a month nobody closed yet is open with none).
 */
export async function listPeriods(
  ex: Executor,
  actor: Actor,
  q: { from: string; to: string },
): Promise<BillingPeriodSummary[]> {
  mayManageBilling(actor);
  const months: string[] = [];
  for (let month = q.to; month >= q.from; month = addMonths(month, -1)) {
    months.push(month);
    if (months.length > 120) throw invalid('from', 'covers more than 120 months; ask for fewer');
  }
  const [periods, totals] = await Promise.all([
    repo.periodsBetween(ex, q.from, q.to),
    repo.periodTotals(ex, q.from, q.to),
  ]);
  const byMonth = new Map(periods.map((p) => [p.month, p]));
  return months.map((month) => {
    const mine = totals.filter((t) => t.period === month);
    return {
      month,
      status: byMonth.get(month)?.status ?? 'open',
      closedAt: byMonth.get(month)?.closedAt?.toISOString() ?? null,
      statements: mine.reduce((n, t) => n + t.statements, 0),
      lines: mine.reduce((n, t) => n + t.lines, 0),
      totals: mine.map((t) => ({
        currency: t.currency,
        total: roundMoney(new D(t.total).toFixed(), t.currency),
      })),
    };
  });
}

/** POST …/close: finance closes a month by hand (the job and the CLI call closeMonth). */
export async function closePeriod(database: Database, actor: Actor, month: string): Promise<BillingPeriod> {
  mayManageBilling(actor);
  const result = await closeMonth(database, month);
  return getPeriod(database.db, actor, month, result.linesWritten);
}

// ---- the draft of the running month ---------------------------------------------------

export function presentPlanned(p: PlannedLine): StatementLine {
  const l = p.line;
  return {
    subscriptionId: l.subscriptionId,
    kind: l.kind,
    meter: l.meterKey ?? null,
    chargePeriod: l.chargePeriod,
    quantity: new D(l.quantity).toFixed(),
    unitPrice: l.unitPrice,
    from: l.detail?.from ?? null,
    to: l.detail?.to ?? null,
    amount: l.amount,
    rateCard: l.rateCardId ? { id: l.rateCardId, version: l.rateCardVersion! } : null,
  };
}

export const FORECAST_METHOD =
  'fees: each subscription still running is charged to the end of the month at its current price; ' +
  'usage: the month-to-date quantity of each meter scaled linearly by the share of the month elapsed ' +
  '(quantity × month / elapsed), then rated with the rate card in force; corrections: as they are. ' +
  'Each line is rounded like a statement line and the totals are the sums of the rounded lines.';

/**
 * The metered use of these subscriptions so far this month (to `now`), rated as the close will rate
 * it, by subscription: what each has cost in usage, beside its fees. Usage without a rate card is
 * not counted (the cost centre's Costs name it).
 */
export async function usageCostSoFar(
  ex: Executor,
  subscriptionIds: string[],
  now: Date,
): Promise<Map<string, string>> {
  if (!subscriptionIds.length) return new Map();
  const month = now.toISOString().slice(0, 7);
  const histories = historiesOf(await subscriptionEventsBefore(ex, now, { subscriptionIds }));
  const holders = new Set([...histories.values()].map((h) => h.at(-1)!.costCentreId));
  const { planned } = await usageLines(ex, month, histories, holders, { until: now });
  const cost = new Map<string, string>();
  for (const p of planned) {
    const id = p.line.subscriptionId;
    cost.set(id, new D(cost.get(id) ?? 0).plus(p.line.amount).toFixed());
  }
  return cost;
}

/** A cost centre's lines of a month in one currency, as the close would write them from `asOf` on. */
export interface DraftGroup {
  costCentreId: string;
  currency: string;
  /** Fees and usage up to asOf, and the corrections of late usage the close would add. */
  lines: PlannedLine[];
  monthToDate: string;
  forecast: { fees: string; usage: string; corrections: string; total: string };
}

export interface Draft {
  /** The share of the month elapsed at asOf, 0..1. */
  elapsed: Decimal;
  groups: DraftGroup[];
  /** Usage without a rate card, per cost centre: it is not in the figures. */
  unpriced: Unpriced[];
}

/**
 * A month computed like the close but not written, as it stands at `asOf` (its end, for a month
 * that has ended): per cost centre (the one named, else every one charged anything, a batch at a
 * time as the close reads them) and currency, the lines so far, their total and a forecast to the
 * month's end (FORECAST_METHOD). Usage without a rate card is left out and named in `unpriced`:
 * the close refuses it, a draft shows what it can.
 */
export async function draftOf(
  ex: Executor,
  month: string,
  asOf: Date,
  costCentreId?: string,
): Promise<Draft> {
  const period = periodOf(month);
  const until = asOf < period.end ? asOf : period.end;
  const elapsed = new D(seconds(until) - seconds(period.start));
  const whole = new D(seconds(period.end) - seconds(period.start));
  const corrections = await correctionLines(ex, month, costCentreId);
  const soFar: PlannedLine[] = [];
  const fees: PlannedLine[] = [];
  const usage: PlannedLine[] = [];
  const unpriced: Unpriced[] = [];
  for (let after: string | null = null; ;) {
    const page: string[] = costCentreId
      ? after
        ? []
        : [costCentreId]
      : await billedCostCentres(ex, until, after, COST_CENTRES_PER_BATCH);
    if (!page.length) break;
    after = page.at(-1)!;
    const scope = new Set(page);
    const histories = historiesOf(await subscriptionEventsBefore(ex, until, { costCentreIds: page }));
    const used = await usageLines(ex, month, histories, scope, { until });
    unpriced.push(...used.missing);
    soFar.push(...feeLines(histories, month, scope, until), ...used.planned);
    fees.push(...feeLines(histories, month, scope));
    if (elapsed.eq(whole)) usage.push(...used.planned);
    else if (!elapsed.isZero())
      usage.push(
        ...(await usageLines(ex, month, histories, scope, { until, scale: whole.div(elapsed) })).planned,
      );
  }

  const keyOf = (p: PlannedLine) => `${p.costCentreId}/${p.currency}`;
  const keys = [...new Set([...soFar, ...corrections, ...fees].map(keyOf))].sort();
  const sum = (lines: PlannedLine[], key: string) => {
    const mine = lines.filter((p) => keyOf(p) === key);
    return roundMoney(mine.reduce((t, p) => t.plus(p.line.amount), new D(0)).toFixed(), key.split('/')[1]!);
  };
  return {
    elapsed: elapsed.div(whole),
    unpriced,
    groups: keys.map((key) => {
      const [id, currency] = key.split('/') as [string, string];
      return {
        costCentreId: id,
        currency,
        lines: [...soFar, ...corrections].filter((p) => keyOf(p) === key),
        monthToDate: sum([...soFar, ...corrections], key),
        forecast: {
          fees: sum(fees, key),
          usage: sum(usage, key),
          corrections: sum(corrections, key),
          total: sum([...fees, ...usage, ...corrections], key),
        },
      };
    }),
  };
}

/**
 * A cost centre's running month as the close would charge it if the month ended at `now`: fees up
 * to now, usage so far and the corrections of late usage the close would add, with the
 * month-to-date total and a forecast to the month's end. Nothing is written; usage without a rate
 * card is refused (409 naming the meters), as the close would.
 */
export async function draftStatement(
  ex: Executor,
  actor: Actor,
  code: string,
  now = new Date(),
): Promise<DraftStatement> {
  const centre = await costCentreByCode(ex, code);
  mayReadDraft(actor, centre.ownerId);
  const month = now.toISOString().slice(0, 7);
  const draft = await draftOf(ex, month, now, centre.id);
  if (draft.unpriced.length) throw missingCards(month, draft.unpriced);
  return {
    costCentre: { code: centre.code, name: centre.name },
    period: month,
    asOf: now.toISOString(),
    elapsed: draft.elapsed.toDecimalPlaces(6, D.ROUND_HALF_UP).toFixed(),
    forecastMethod: FORECAST_METHOD,
    statements: draft.groups.map((g) => ({
      currency: g.currency,
      lines: g.lines.map(presentPlanned),
      monthToDate: g.monthToDate,
      forecast: g.forecast,
    })),
  };
}
