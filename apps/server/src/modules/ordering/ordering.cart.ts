// The cart: items a requester means to order, priced live from the catalogue, with the
// budget impact, quotas and approval route previewed for the chosen cost centre.
import {
  describeOptions,
  describePrice,
  rate,
  roundMoney,
  type ApprovalRoute,
  type BudgetImpact,
  type Cart,
  type CartItem,
  type CartItemBody,
  type CartItemPatch,
  type CostEstimate,
  type PriceModel,
} from '@portico/shared';
import Decimal from 'decimal.js';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import {
  AppError,
  forbidden,
  invalid,
  invalidFields,
  notFound,
  type FieldError,
} from '../../platform/errors.ts';
import { usagePricesOf, type UsagePrice } from '../billing/index.ts';
import { planRefs, serviceRefs } from '../catalog/index.ts';
import { chargeableCostCentre, placementOf } from '../org/index.ts';
import * as repo from './ordering.repo.ts';
import { priceLine, quotaChecks, type PricedLine } from './ordering.service.ts';

export interface ChargedTo {
  id: string;
  code: string;
  name: string;
  ownerId: string | null;
}

/** The budget impact and each line's approval route, were these lines ordered now. */
export type OrderPreview = (
  ex: Executor,
  requesterId: string,
  costCentre: ChargedTo,
  lines: PricedLine[],
) => Promise<{ budget: BudgetImpact; routes: ApprovalRoute[] }>;

const requester = (actor: Actor) => {
  if (!actor.userId) throw forbidden('Only a person has a cart');
  return actor.userId;
};

/** Errors about the line priced as `item` are about the request body's own fields. */
const ofItem = (errors: FieldError[]) => errors.map((e) => ({ ...e, path: e.path.replace(/^item\./, '') }));

/** Prices an item as it is now; `problem` says why it cannot be ordered as it is. */
async function priceItem(ex: Executor, item: repo.CartItemRow) {
  const service = (await serviceRefs(ex, [item.serviceId])).get(item.serviceId)!;
  const plan = (await planRefs(ex, [item.planId])).get(item.planId)!;
  try {
    const priced = await priceLine(
      ex,
      { service: service.slug, plan: plan.slug, options: item.options, quantity: item.quantity },
      'item',
    );
    return { service, plan, priced, problems: priced.errors };
  } catch (err) {
    if (!(err instanceof AppError) || !err.errors) throw err;
    return { service, plan, priced: null, problems: ofItem(err.errors) };
  }
}

const money = (d: Decimal) => d.toFixed(2);

/** The first price a model names: what the cart shows as "per unit" beside the full summary. */
function firstPrice(model: PriceModel): string {
  if (model.model === 'per_unit') return model.unitPrice;
  if (model.model === 'package') return model.blockPrice;
  if (model.model === 'flat') return model.amount;
  return model.tiers[0]!.unitPrice;
}

/**
 * What an item would cost: its one-time and monthly prices, and its expected metered use rated
 * with the plan's rate cards in force (rate(), as the month close rates it; rounded like a
 * statement line), or at the catalogue's price per unit where a unit has no rate card.
 */
function estimate(
  priced: PricedLine,
  usage: Record<string, number>,
  usagePrices: Map<string, UsagePrice>,
): { estimate: CostEstimate; metered: CartItem['metered'] } {
  const currency = priced.plan.currency;
  const listed = new Map(priced.plan.meteredPrices.map((m) => [m.unit, m]));
  const units = [...new Set([...listed.keys(), ...usagePrices.keys()])];
  const metered = units.map((unit) => {
    const quantity = usage[unit] ?? 0;
    const card = usagePrices.get(unit);
    const description = listed.get(unit)?.description ?? card?.name ?? '';
    const model: PriceModel = card?.model ?? { model: 'per_unit', unitPrice: listed.get(unit)!.price };
    return {
      unit,
      price: firstPrice(model),
      priceSummary: describePrice(model, unit),
      description,
      quantity,
      amount: roundMoney(rate(model, new Decimal(quantity).toFixed()).amount, currency),
      rateCardVersion: card?.version ?? null,
    };
  });
  const oneTime = new Decimal(priced.unit.oneTime).times(priced.quantity);
  const monthly = new Decimal(priced.unit.monthly).times(priced.quantity);
  const meteredMonthly = metered.reduce((sum, m) => sum.plus(m.amount), new Decimal(0));
  return {
    metered,
    estimate: {
      currency,
      oneTime: money(oneTime),
      monthly: money(monthly),
      meteredMonthly: money(meteredMonthly),
      firstYear: money(oneTime.plus(monthly.plus(meteredMonthly).times(12))),
    },
  };
}

const zeroEstimate = (currency: string): CostEstimate => ({
  currency,
  oneTime: '0.00',
  monthly: '0.00',
  meteredMonthly: '0.00',
  firstYear: '0.00',
});

function sumEstimates(currency: string, all: CostEstimate[]): CostEstimate {
  const add = (key: keyof Omit<CostEstimate, 'currency'>) =>
    money(all.reduce((s, e) => s.plus(e[key]), new Decimal(0)));
  return {
    currency,
    oneTime: add('oneTime'),
    monthly: add('monthly'),
    meteredMonthly: add('meteredMonthly'),
    firstYear: add('firstYear'),
  };
}

async function chargedTo(ex: Executor, userId: string, code: string | undefined): Promise<ChargedTo | null> {
  if (code) return chargeableCostCentre(ex, userId, code, 'costCentre');
  return (await placementOf(ex, userId))?.defaultCostCentre ?? null;
}

export async function getCart(
  ex: Executor,
  actor: Actor,
  costCentreCode: string | undefined,
  preview: OrderPreview,
): Promise<Cart> {
  const userId = requester(actor);
  const costCentre = await chargedTo(ex, userId, costCentreCode);
  const rows = await repo.cartOf(ex, userId);
  const items = await Promise.all(rows.map(async (row) => ({ row, ...(await priceItem(ex, row)) })));
  const now = new Date();
  const usagePrices = new Map(
    await Promise.all(
      [...new Set(rows.map((r) => r.planId))].map(
        async (id) => [id, await usagePricesOf(ex, id, now)] as const,
      ),
    ),
  );
  const orderable = items.flatMap((i) => (i.priced && i.problems.length === 0 ? [i.priced] : []));
  const quotas =
    costCentre && orderable.length
      ? await quotaChecks(
          ex,
          { requesterId: userId, costCentreId: costCentre.id, costCentreCode: costCentre.code },
          orderable,
        )
      : [];
  const previewed = costCentre && orderable.length ? await preview(ex, userId, costCentre, orderable) : null;
  const currency = orderable[0]?.plan.currency ?? 'EUR';

  const presented: CartItem[] = items.map(({ row, service, plan, priced, problems }) => {
    const at = priced ? orderable.indexOf(priced) : -1;
    const cost = priced ? estimate(priced, row.usage, usagePrices.get(row.planId)!) : null;
    return {
      id: row.id,
      service: { ...service, version: priced?.service.version ?? 0 },
      plan,
      options: row.options,
      // An item that cannot be priced (its service or plan withdrawn) shows its problem instead.
      optionsShown: priced ? describeOptions(priced.service.options ?? null, priced.options) : [],
      quantity: row.quantity,
      usage: row.usage,
      metered: cost?.metered ?? [],
      unitOneTime: priced?.unit.oneTime ?? '0',
      unitMonthly: priced?.unit.monthly ?? '0',
      estimate: cost?.estimate ?? zeroEstimate(currency),
      leadTimeDays: priced?.plan.leadTimeDays ?? 0,
      sla: priced?.sla ?? {
        name: '',
        availability: '',
        supportHours: '',
        responseHours: 0,
        resolutionHours: 0,
        summary: '',
      },
      problems,
      quota: at >= 0 ? (quotas[at] ?? []) : [],
      approval: at >= 0 ? (previewed?.routes[at] ?? null) : null,
      addedAt: row.addedAt.toISOString(),
    };
  });

  const blockers = [
    ...(rows.length === 0 ? ['The cart is empty.'] : []),
    ...(costCentre ? [] : ['Choose a cost centre to charge.']),
    ...presented.flatMap((i) => i.problems.map((p) => `${i.service.name}: ${p.path} ${p.message}`)),
    ...presented.flatMap((i) => i.quota.filter((q) => !q.ok).map((q) => q.message)),
    ...(previewed?.budget.outcome === 'block' ? [previewed.budget.message] : []),
  ];
  return {
    items: presented,
    costCentre: costCentre ? { code: costCentre.code, name: costCentre.name } : null,
    total: sumEstimates(
      currency,
      presented.map((i) => i.estimate),
    ),
    budget: previewed?.budget ?? null,
    canCheckout: blockers.length === 0,
    blockers,
  };
}

/** Checks what an item would buy; errors name the body's fields. */
async function checkItem(
  ex: Executor,
  userId: string,
  item: { service: string; plan: string; options: Record<string, unknown>; quantity: number },
) {
  const priced = await priceLine(ex, item, 'item').catch((err: unknown) => {
    throw err instanceof AppError && err.errors ? invalidFields(ofItem(err.errors)) : err;
  });
  if (priced.errors.length) throw invalidFields(priced.errors);
  const others = await repo.cartOf(ex, userId);
  const currencies = new Set(
    (await Promise.all(others.map((o) => priceItem(ex, o)))).flatMap((o) =>
      o.priced ? [o.priced.plan.currency] : [],
    ),
  );
  if (currencies.size && !currencies.has(priced.plan.currency)) {
    throw invalid(
      'plan',
      `is priced in ${priced.plan.currency}; the cart holds ${[...currencies].join(', ')} items: check those out first`,
    );
  }
  return priced;
}

export async function addItem(tx: Tx, actor: Actor, body: z.output<typeof CartItemBody>) {
  const userId = requester(actor);
  const priced = await checkItem(tx, userId, body);
  await repo.insertCartItem(tx, {
    userId,
    serviceId: priced.service.id,
    planId: priced.plan.id,
    options: priced.options,
    quantity: body.quantity,
    usage: body.usage,
  });
}

export async function updateItem(tx: Tx, actor: Actor, id: string, patch: z.output<typeof CartItemPatch>) {
  const userId = requester(actor);
  const row = (await repo.cartOf(tx, userId)).find((r) => r.id === id);
  if (!row) throw notFound('Cart item');
  const service = (await serviceRefs(tx, [row.serviceId])).get(row.serviceId)!;
  const plan = patch.plan ?? (await planRefs(tx, [row.planId])).get(row.planId)!.slug;
  const priced = await checkItem(tx, userId, {
    service: service.slug,
    plan,
    options: patch.options ?? row.options,
    quantity: patch.quantity ?? row.quantity,
  });
  await repo.updateCartItem(tx, userId, id, {
    planId: priced.plan.id,
    options: priced.options,
    quantity: priced.quantity,
    usage: patch.usage ?? row.usage,
  });
}

export async function removeItem(tx: Tx, actor: Actor, id: string) {
  const removed = await repo.deleteCartItems(tx, requester(actor), [id]);
  if (removed.length === 0) throw notFound('Cart item');
}

/** The cart as order lines, for checkout, and a way to empty it once the order is placed. */
export async function cartAsLines(ex: Executor, actor: Actor) {
  const userId = requester(actor);
  const rows = await repo.cartOf(ex, userId);
  const services = await serviceRefs(
    ex,
    rows.map((r) => r.serviceId),
  );
  const plans = await planRefs(
    ex,
    rows.map((r) => r.planId),
  );
  return {
    ids: rows.map((r) => r.id),
    lines: rows.map((r) => ({
      service: services.get(r.serviceId)!.slug,
      plan: plans.get(r.planId)!.slug,
      options: r.options,
      quantity: r.quantity,
    })),
  };
}

export async function emptyCart(tx: Tx, actor: Actor, ids: string[]) {
  await repo.deleteCartItems(tx, requester(actor), ids);
}
