// What cost-centre owners and finance see of the bill: a cost centre's month (running, ended or
// closed) with its trend, budget and breakdowns, the finance overview of every cost centre, and
// the usage behind a line. Running and unclosed months are computed as the close would charge
// them (draftOf); closed ones are read from their statements.
import {
  addMonths,
  roundMoney,
  type ChargeMode,
  type CostCentreCosts,
  type CostCentreCostsSummary,
  type CostLine,
  type MonthState,
  type StatementLine,
  type UsageRecord,
} from '@portico/shared';
import Decimal from 'decimal.js';
import type { z } from 'zod';
import type { CostsQuery, UsageBehindQuery } from '@portico/shared';
import { hasRole, type Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { serviceRefs } from '../catalog/index.ts';
import { people } from '../identity/index.ts';
import { costCentreChargedFor, firstSubscriptionEventAt, subscriptionRefs } from '../inventory/index.ts';
import { allMeters, findMeter, usageOf } from '../metering/index.ts';
import { budgetsOf, costCentreByCode, costCentresInForce, setChargeMode } from '../org/index.ts';
import { mayReadDraft } from './billing.policy.ts';
import * as repo from './billing.repo.ts';
import {
  draftOf,
  FORECAST_METHOD,
  periodOf,
  presentLine,
  presentPlanned,
  type DraftGroup,
} from './billing.service.ts';

const monthOfDate = (d: Date) => d.toISOString().slice(0, 7);

const ratio = (part: string, whole: string) =>
  new Decimal(whole).isZero() ? '0' : new Decimal(part).div(whole).toDecimalPlaces(4).toFixed();

const total = (amounts: string[], currency: string) =>
  roundMoney(amounts.reduce((t, a) => t.plus(a), new Decimal(0)).toFixed(), currency);

/** Where a month stands: running (the current month), open, closing or closed. */
async function stateOf(ex: Executor, month: string, now: Date): Promise<MonthState> {
  if (month === monthOfDate(now)) return 'running';
  return (await repo.findPeriod(ex, month))?.status ?? 'open';
}

/** The currency shown: the one asked for, else the budget's, else the one charged most. */
function currencyShown(
  asked: string | undefined,
  budgetCurrency: string | undefined,
  totals: Map<string, string>,
) {
  if (asked) return asked;
  if (budgetCurrency) return budgetCurrency;
  const most = [...totals].sort((a, b) => new Decimal(b[1]).cmp(a[1]))[0];
  return most?.[0] ?? 'EUR';
}

interface MonthLines {
  state: MonthState;
  /** Usage without a rate card (drafts only: a closed month has none). */
  unpriced: string[];
  /** Lines by currency, presented as statement lines. */
  byCurrency: Map<string, { lines: StatementLine[]; total: string; forecast: string | null }>;
}

/** A cost centre's lines of a month: its statements once closed, else the draft as of now. */
async function monthLines(ex: Executor, costCentreId: string, month: string, now: Date): Promise<MonthLines> {
  const state = await stateOf(ex, month, now);
  const byCurrency: MonthLines['byCurrency'] = new Map();
  if (state === 'closed') {
    const statements = await repo.statementsOfCostCentre(ex, costCentreId, month, month);
    const lines = await repo.linesOf(
      ex,
      statements.map((s) => s.id),
    );
    for (const s of statements) {
      byCurrency.set(s.currency, {
        total: roundMoney(new Decimal(s.total).toFixed(), s.currency),
        forecast: null,
        lines: lines.filter((l) => l.statementId === s.id).map((l) => presentLine(l, s.currency)),
      });
    }
    return { state, byCurrency, unpriced: [] };
  }
  const draft = await draftOf(ex, month, now, costCentreId);
  for (const g of draft.groups) {
    byCurrency.set(g.currency, {
      lines: g.lines.map(presentPlanned),
      total: g.monthToDate,
      forecast: state === 'running' ? g.forecast.total : null,
    });
  }
  return { state, byCurrency, unpriced: [...new Set(draft.unpriced.map((u) => u.what))].sort() };
}

/** The 12 months ending with `month`: closed ones from their statements, the others as drafts. */
async function trendOf(
  ex: Executor,
  costCentreId: string,
  month: string,
  currency: string,
  now: Date,
  shown: { month: string; state: MonthState; total: string },
): Promise<CostCentreCosts['trend']> {
  const first = addMonths(month, -11);
  const closed = new Map(
    (await repo.statementsOfCostCentre(ex, costCentreId, first, month))
      .filter((s) => s.currency === currency && s.status === 'closed')
      .map((s) => [s.period, roundMoney(new Decimal(s.total).toFixed(), currency)]),
  );
  const periods = new Map((await repo.periodsBetween(ex, first, month)).map((p) => [p.month, p.status]));
  const running = monthOfDate(now);
  // Nothing was charged before the first subscription event: no draft to compute for those months.
  const since = (await firstSubscriptionEventAt(ex))?.toISOString().slice(0, 7) ?? running;
  const trend: CostCentreCosts['trend'] = [];
  for (let i = 0; i < 12; i++) {
    const m = addMonths(first, i);
    if (m === shown.month) {
      trend.push({ month: m, amount: shown.total, state: shown.state });
    } else if (periods.get(m) === 'closed') {
      trend.push({ month: m, amount: closed.get(m) ?? roundMoney('0', currency), state: 'closed' });
    } else if (m < since) {
      trend.push({ month: m, amount: roundMoney('0', currency), state: periods.get(m) ?? 'open' });
    } else {
      const state: MonthState = m === running ? 'running' : (periods.get(m) ?? 'open');
      const draft = await draftOf(ex, m, now, costCentreId);
      const mine = draft.groups.find((g) => g.currency === currency);
      trend.push({ month: m, amount: mine?.monthToDate ?? roundMoney('0', currency), state });
    }
  }
  return trend;
}

/** Names what each line charges for: the subscription, its service, the meter. */
async function costLines(ex: Executor, lines: StatementLine[]): Promise<CostLine[]> {
  const subs = await subscriptionRefs(
    ex,
    lines.map((l) => l.subscriptionId),
  );
  const services = await serviceRefs(
    ex,
    [...subs.values()].map((s) => s.serviceId),
  );
  const meters = new Map((await allMeters(ex)).map((m) => [m.key, m]));
  return lines.map((l) => {
    const sub = subs.get(l.subscriptionId)!;
    const service = services.get(sub.serviceId)!;
    const meter = l.meter ? meters.get(l.meter) : undefined;
    return {
      ...l,
      subscriptionName: sub.name,
      service: { slug: service.slug, name: service.name },
      meterName: meter?.name ?? null,
      unit: meter?.unit ?? null,
    };
  });
}

/** GET /api/billing/cost-centres/:code/costs: a cost centre's month for its owner, finance and admins. */
export async function costCentreCosts(
  ex: Executor,
  actor: Actor,
  code: string,
  query: z.output<typeof CostsQuery>,
  now = new Date(),
): Promise<CostCentreCosts> {
  const centre = await costCentreByCode(ex, code);
  mayReadDraft(actor, centre.ownerId);
  const running = monthOfDate(now);
  const month = query.month ?? running;
  if (month > running) throw invalid('month', `${month} has not started yet; the latest is ${running}`);

  const { state, byCurrency, unpriced } = await monthLines(ex, centre.id, month, now);
  const budget = (await budgetsOf(ex, [centre.id], Number(month.slice(0, 4)))).get(centre.id);
  const currency = currencyShown(
    query.currency,
    budget?.currency,
    new Map([...byCurrency].map(([c, v]) => [c, v.total])),
  );
  const mine = byCurrency.get(currency);
  const amount = mine?.total ?? roundMoney('0', currency);
  const forecast = state === 'running' ? (mine?.forecast ?? roundMoney('0', currency)) : null;
  const lines = await costLines(ex, mine?.lines ?? []);

  const services = new Map<string, { service: CostLine['service']; amounts: string[] }>();
  const subscriptions = new Map<
    string,
    { subscription: { id: string; name: string }; service: CostLine['service']; amounts: string[] }
  >();
  for (const l of lines) {
    const s = services.get(l.service.slug) ?? { service: l.service, amounts: [] };
    s.amounts.push(l.amount);
    services.set(l.service.slug, s);
    const sub = subscriptions.get(l.subscriptionId) ?? {
      subscription: { id: l.subscriptionId, name: l.subscriptionName },
      service: l.service,
      amounts: [],
    };
    sub.amounts.push(l.amount);
    subscriptions.set(l.subscriptionId, sub);
  }
  const byAmount = (a: { amount: string }, b: { amount: string }) => new Decimal(b.amount).cmp(a.amount);

  const monthly =
    budget && budget.currency === currency
      ? roundMoney(new Decimal(budget.monthlyAmount).toFixed(), currency)
      : null;
  return {
    costCentre: { code: centre.code, name: centre.name },
    chargeMode: centre.chargeMode,
    currency,
    otherCurrencies: [...byCurrency.keys()].filter((c) => c !== currency).sort(),
    month,
    state,
    asOf: now.toISOString(),
    total: amount,
    forecast,
    forecastMethod: forecast === null ? null : FORECAST_METHOD,
    unpriced,
    budget: monthly
      ? {
          amount: monthly,
          used: ratio(amount, monthly),
          forecastUsed: forecast === null ? null : ratio(forecast, monthly),
          alerts: (await repo.alertsOf(ex, centre.id, month)).map((a) => ({
            threshold: a.threshold,
            sentAt: a.sentAt.toISOString(),
          })),
        }
      : null,
    trend: await trendOf(ex, centre.id, month, currency, now, { month, state, total: amount }),
    byService: [...services.values()]
      .map((s) => {
        const sum = total(s.amounts, currency);
        return { service: s.service, amount: sum, share: ratio(sum, amount) };
      })
      .sort(byAmount),
    bySubscription: [...subscriptions.values()]
      .map((s) => ({ subscription: s.subscription, service: s.service, amount: total(s.amounts, currency) }))
      .sort(byAmount),
    lines,
  };
}

/** The draft groups of a month for every cost centre, by cost centre and currency. */
const totalsByCentre = (groups: DraftGroup[], pick: (g: DraftGroup) => string) => {
  const out = new Map<string, Map<string, string>>();
  for (const g of groups)
    out.set(g.costCentreId, (out.get(g.costCentreId) ?? new Map()).set(g.currency, pick(g)));
  return out;
};

/**
 * GET /api/billing/cost-centres: every cost centre for finance and admins, the ones a person owns
 * for anyone else; each with its running month (one draft computed for all of them) and the last.
 */
export async function listCostCentreCosts(
  ex: Executor,
  actor: Actor,
  now = new Date(),
): Promise<CostCentreCostsSummary[]> {
  const all = await costCentresInForce(ex);
  const centres = hasRole(actor, 'finance', 'admin') ? all : all.filter((c) => c.ownerId === actor.userId);
  return summariesOf(ex, centres, now);
}

/** The summaries of these cost centres: one draft each month for all of them (or just the one). */
async function summariesOf(
  ex: Executor,
  centres: Awaited<ReturnType<typeof costCentresInForce>>,
  now: Date,
): Promise<CostCentreCostsSummary[]> {
  if (!centres.length) return [];
  const only = centres.length === 1 ? centres[0]!.id : undefined;
  const month = monthOfDate(now);
  const last = addMonths(month, -1);
  const lastState = await stateOf(ex, last, now);
  const [draft, lastDraft, lastStatements, budgets, owners] = await Promise.all([
    draftOf(ex, month, now, only),
    lastState === 'closed' ? null : draftOf(ex, last, now, only),
    lastState === 'closed' ? repo.statementsOf(ex, last) : [],
    budgetsOf(
      ex,
      centres.map((c) => c.id),
      now.getUTCFullYear(),
    ),
    people(
      ex,
      centres.flatMap((c) => (c.ownerId ? [c.ownerId] : [])),
    ),
  ]);
  const soFar = totalsByCentre(draft.groups, (g) => g.monthToDate);
  const forecasts = totalsByCentre(draft.groups, (g) => g.forecast.total);
  const lastTotals = lastDraft
    ? totalsByCentre(lastDraft.groups, (g) => g.monthToDate)
    : lastStatements.reduce(
        (m, s) => m.set(s.costCentreId, (m.get(s.costCentreId) ?? new Map()).set(s.currency, s.total)),
        new Map<string, Map<string, string>>(),
      );
  return centres.map((c) => {
    const budget = budgets.get(c.id);
    const currency = currencyShown(undefined, budget?.currency, soFar.get(c.id) ?? new Map());
    const money = (m: Map<string, Map<string, string>>) =>
      roundMoney(new Decimal(m.get(c.id)?.get(currency) ?? 0).toFixed(), currency);
    const owner = c.ownerId ? owners.get(c.ownerId) : undefined;
    return {
      costCentre: { code: c.code, name: c.name },
      owner: owner ? { id: owner.id, name: owner.name } : null,
      chargeMode: c.chargeMode,
      currency,
      month,
      monthToDate: money(soFar),
      forecast: money(forecasts),
      budget:
        budget && budget.currency === currency
          ? roundMoney(new Decimal(budget.monthlyAmount).toFixed(), currency)
          : null,
      lastMonth: { month: last, state: lastState, total: money(lastTotals) },
      unpriced: [...new Set(draft.unpriced.filter((u) => u.costCentreId === c.id).map((u) => u.what))].sort(),
    };
  });
}

/** PUT /api/billing/cost-centres/:code/charge-mode (finance, admin); closed statements keep theirs. */
export async function putChargeMode(
  tx: Tx,
  actor: Actor,
  code: string,
  chargeMode: ChargeMode,
): Promise<CostCentreCostsSummary> {
  await setChargeMode(tx, actor, code, chargeMode);
  const centre = (await costCentresInForce(tx)).filter((c) => c.code === code);
  if (!centre.length) throw notFound(`Cost centre ${code}`);
  return (await summariesOf(tx, centre, new Date()))[0]!;
}

/**
 * GET /api/billing/cost-centres/:code/usage: the counted events behind a usage line, newest first,
 * for whoever may read the cost centre's bill, and only for a subscription the cost centre was
 * charged that month's usage of (whoever held it at the month's end, as the close charges it).
 */
export async function usageBehind(
  ex: Executor,
  actor: Actor,
  code: string,
  q: z.output<typeof UsageBehindQuery>,
): Promise<{ items: UsageRecord[]; nextCursor: string | null }> {
  const centre = await costCentreByCode(ex, code);
  mayReadDraft(actor, centre.ownerId);
  const period = periodOf(q.month);
  if ((await costCentreChargedFor(ex, q.subscription, period.end)) !== centre.id) {
    throw notFound(`Usage of subscription ${q.subscription} charged to ${code} in ${q.month}`);
  }
  const meter = await findMeter(ex, q.meter);
  if (!meter) throw notFound(`Meter ${q.meter}`);
  const rows = await usageOf(ex, {
    subscriptionId: q.subscription,
    meterKey: q.meter,
    start: period.start,
    end: period.end,
    limit: q.limit,
    after: decodeCursor(q.cursor),
  });
  const page = trimPage(rows, q.limit, (r) => ({ at: r.time, id: String(r.id) }));
  return {
    items: page.rows.map((r) => ({
      time: r.time.toISOString(),
      receivedAt: r.receivedAt.toISOString(),
      source: r.source,
      id: r.eventId,
      type: r.type,
      value: meter.aggregation === 'count' ? null : (r.distinctValue ?? new Decimal(r.value).toFixed()),
    })),
    nextCursor: page.nextCursor,
  };
}
