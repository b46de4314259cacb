import {
  monthOf,
  rate,
  recurringSegments,
  roundMoney,
  type BillingPeriod,
  type PutRateCardBody,
  type RateCard,
  type RatedLine,
  type Statement,
} from '@portico/shared';
import Decimal from 'decimal.js';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Database, Executor, Tx } from '../../platform/db.ts';
import { AppError, conflict, invalid } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { findServiceBySlug, planBySlugs, planRefs, serviceRefs } from '../catalog/index.ts';
import { subscriptionEventsBefore, type BilledEvent } from '../inventory/index.ts';
import { findMeter, usageLevels, usageTotals } from '../metering/index.ts';
import { costCentreRefs } from '../org/index.ts';
import { mayManageBilling } from './billing.policy.ts';
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
interface PlannedLine {
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

/**
 * A level held over the period (time_weighted): each reading holds from its time (or the
 * period's start, for the one before it) until the next reading or the period's end; the sum of
 * level × seconds held, over the seconds of the month ("GB held" → GB-months), to 9 places.
 */
function timeWeighted(readings: { time: Date; value: string }[], period: { start: Date; end: Date }) {
  const month = seconds(period.end) - seconds(period.start);
  let sum = new D(0);
  readings.forEach((r, i) => {
    const from = Math.max(seconds(r.time), seconds(period.start));
    const next = readings[i + 1];
    const to = next ? seconds(next.time) : seconds(period.end);
    if (to > from) sum = sum.plus(new D(r.value).times(to - from));
  });
  return sum.div(month).toDecimalPlaces(9, D.ROUND_HALF_UP).toFixed();
}

/** Every line of the period, computed from the events, the usage and the rate cards. */
async function planLines(ex: Executor, month: string): Promise<PlannedLine[]> {
  const period = periodOf(month);
  const [events, totals, levels, cards] = await Promise.all([
    subscriptionEventsBefore(ex, period.end),
    usageTotals(ex, period.start, period.end),
    usageLevels(ex, period.start, period.end),
    repo.rateCardsEffectiveOn(ex, `${month}-01`),
  ]);
  const bySubscription = new Map<string, BilledEvent[]>();
  for (const e of events)
    bySubscription.set(e.subscriptionId, [...(bySubscription.get(e.subscriptionId) ?? []), e]);

  const planned: PlannedLine[] = [];
  for (const [subscriptionId, history] of bySubscription) {
    for (const seg of recurringSegments(history, period)) {
      if (new D(seg.event.monthlyPrice).isZero()) continue;
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

  // Usage, one quantity per subscription and meter.
  const usage = totals.map((t) => ({ ...t }));
  const readings = new Map<
    string,
    { subscriptionId: string; meterKey: string; unit: string; list: typeof levels }
  >();
  for (const l of levels) {
    const key = `${l.subscriptionId}/${l.meterKey}`;
    if (!readings.has(key))
      readings.set(key, { subscriptionId: l.subscriptionId, meterKey: l.meterKey, unit: l.unit, list: [] });
    readings.get(key)!.list.push(l);
  }
  for (const r of readings.values()) {
    usage.push({
      subscriptionId: r.subscriptionId,
      meterKey: r.meterKey,
      unit: r.unit,
      aggregation: 'time_weighted',
      quantity: timeWeighted(r.list, period),
    });
  }

  const cardOf = new Map<string, repo.RateCardRow>();
  for (const c of cards)
    if (!cardOf.has(`${c.planId}/${c.meterKey}`)) cardOf.set(`${c.planId}/${c.meterKey}`, c);
  const missing: string[] = [];
  for (const u of usage) {
    // Usage is charged to whoever holds the subscription at the end of the period, on its plan then.
    const state = bySubscription.get(u.subscriptionId)?.at(-1);
    if (!state) continue; // usage of a subscription that started after the period: nothing to hold it
    const card = cardOf.get(`${state.planId}/${u.meterKey}`);
    if (!card) {
      missing.push(`${u.meterKey} on plan ${state.planId}`);
      continue;
    }
    const rated = rate(card.model, u.quantity);
    planned.push({
      costCentreId: state.costCentreId,
      currency: card.currency,
      line: {
        lineKey: `${month}/usage/${u.subscriptionId}/${u.meterKey}`,
        subscriptionId: u.subscriptionId,
        kind: 'usage',
        meterKey: u.meterKey,
        chargePeriod: month,
        quantity: u.quantity,
        unitPrice: unitPriceOf(rated.breakdown),
        detail: { aggregation: u.aggregation, unit: u.unit, breakdown: rated.breakdown },
        amount: roundMoney(rated.amount, card.currency),
        rateCardId: card.id,
        rateCardVersion: card.version,
      },
    });
  }
  if (missing.length) {
    const meters = [...new Set(missing)].sort();
    throw new AppError(
      'Conflict',
      `month: usage has no rate card in force on ${month}-01 (${meters.join('; ')}); add one, then close again`,
      [{ path: 'month', message: `no rate card in force for ${meters.join('; ')}` }],
    );
  }
  return planned;
}

export interface CloseResult {
  month: string;
  status: 'closing' | 'closed';
  linesWritten: number;
}

/**
 * Closes a month: rates every subscription's fees and usage, writes the lines on one statement
 * per cost centre and currency, totals them and locks the period.
 *
 * Each statement is written in its own transaction and the period says how far the close got
 * (closing, then closed), so a crash leaves a period to close again: lines are keyed by what
 * they charge and a line already written is not written twice. A closed period is final: closing
 * it again writes nothing, and the database refuses new lines on its statements.
 */
export async function closeMonth(database: Database, month: string, now = new Date()): Promise<CloseResult> {
  const period = periodOf(month);
  if (period.end > now) {
    throw invalid(
      'month',
      `${month} has not ended yet; it can be closed from ${period.end.toISOString().slice(0, 10)}`,
    );
  }
  const started = await database.transaction((tx) => repo.startClosing(tx, month));
  if (started.status === 'closed') return { month, status: 'closed', linesWritten: 0 };

  const planned = await planLines(database.db, month);
  const groups = new Map<string, PlannedLine[]>();
  for (const p of planned) {
    const key = `${p.costCentreId}/${p.currency}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  let linesWritten = 0;
  for (const lines of groups.values()) {
    const { costCentreId, currency } = lines[0]!;
    linesWritten += await database.transaction(async (tx) => {
      // Serializes closes of the same month; one that finished meanwhile leaves nothing to do.
      if ((await repo.findPeriod(tx, month, true))?.status === 'closed') return 0;
      const statement = await repo.statementFor(tx, costCentreId, month, currency);
      const written = await repo.insertNewLines(
        tx,
        lines.map((l) => ({ ...l.line, statementId: statement.id })),
      );
      await repo.refreshTotal(tx, statement.id);
      return written;
    });
  }
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
    lines: lines
      .filter((l) => l.statementId === s.id)
      .map((l) => ({
        subscriptionId: l.subscriptionId,
        kind: l.kind,
        meter: l.meterKey,
        chargePeriod: l.chargePeriod,
        quantity: new D(l.quantity).toFixed(),
        unitPrice: l.unitPrice,
        from: l.detail.from ?? null,
        to: l.detail.to ?? null,
        amount: roundMoney(new D(l.amount).toFixed(), s.currency),
        rateCard: l.rateCardId ? { id: l.rateCardId, version: l.rateCardVersion! } : null,
      })),
  }));
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

/** POST …/close: finance closes a month by hand (the job and the CLI call closeMonth). */
export async function closePeriod(database: Database, actor: Actor, month: string): Promise<BillingPeriod> {
  mayManageBilling(actor);
  const result = await closeMonth(database, month);
  return getPeriod(database.db, actor, month, result.linesWritten);
}
