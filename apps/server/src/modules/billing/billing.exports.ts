// The exports of a closed period for finance's other systems: the statement lines as they are,
// a FOCUS cost-and-usage file for FinOps tools, and the general ledger's journal. Rows are
// built here (the rules); the routes only stream them out as CSV.
import { monthOf, roundMoney } from '@portico/shared';
import Decimal from 'decimal.js';
import type { Actor } from '../../platform/actor.ts';
import type { Executor } from '../../platform/db.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { planRefs, serviceRefs } from '../catalog/index.ts';
import { people } from '../identity/index.ts';
import { subscriptionRefs } from '../inventory/index.ts';
import { costCentreRefs } from '../org/index.ts';
import { mayManageBilling } from './billing.policy.ts';
import * as repo from './billing.repo.ts';

/** Who issues Portico's internal bills, and to whom: the provider and the company's account. */
export const PROVIDER_NAME = 'Portico IT';
export const BILLING_ACCOUNT = { id: 'portico', name: 'Portico company' };
/** The ledger account IT's charges are credited to: IT Operations' cost centre (demo seed). */
export const IT_COST_CENTRE = 'CC-IT-900';

export type Cell = string | null;
export interface Export {
  columns: readonly string[];
  rows: Cell[][];
}

export const LINE_COLUMNS = [
  'period',
  'cost_centre_code',
  'cost_centre_name',
  'charge_mode',
  'currency',
  'subscription_id',
  'subscription_name',
  'owner',
  'service',
  'plan',
  'kind',
  'meter',
  'charge_period',
  'quantity',
  'unit_price',
  'amount',
  'rate_card_version',
] as const;

/**
 * FOCUS 1.1 (FinOps Open Cost and Usage Specification, Cost and Usage dataset). Every column the
 * spec marks Mandatory: BilledCost, BillingAccountId, BillingAccountName, BillingCurrency,
 * BillingPeriodEnd, BillingPeriodStart, ChargeCategory, ChargeClass, ChargeDescription,
 * ChargePeriodEnd, ChargePeriodStart, ContractedCost, EffectiveCost, InvoiceIssuerName, ListCost,
 * PricingQuantity, PricingUnit, ProviderName, PublisherName, ServiceCategory, ServiceName.
 * ChargeClass is null except on corrections ("Correction"), as the spec requires.
 * Conditional/recommended columns that apply to an internal provider: ChargeFrequency,
 * ConsumedQuantity, ConsumedUnit (usage only), ResourceId, ResourceName, ResourceType, SkuId,
 * SkuPriceId (the rate card), SubAccountId, SubAccountName, Tags (JSON). Unit-price columns are
 * left out: a usage line's price may be tiered ("100 × 0.1 + 0.5 × 0.08") and a fee is prorated,
 * so no single unit price times PricingQuantity gives the cost as FOCUS would require.
 */
export const FOCUS_VERSION = '1.1';
export const FOCUS_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'Tags',
] as const;
/** The Mandatory columns of FOCUS 1.1 that may never be null (ChargeClass may). */
export const FOCUS_NOT_NULL = FOCUS_COLUMNS.filter((c) =>
  [
    'BilledCost',
    'BillingAccountId',
    'BillingAccountName',
    'BillingCurrency',
    'BillingPeriodEnd',
    'BillingPeriodStart',
    'ChargeCategory',
    'ChargeDescription',
    'ChargePeriodEnd',
    'ChargePeriodStart',
    'ContractedCost',
    'EffectiveCost',
    'InvoiceIssuerName',
    'ListCost',
    'PricingQuantity',
    'PricingUnit',
    'ProviderName',
    'PublisherName',
    'ServiceCategory',
    'ServiceName',
  ].includes(c),
);

export const JOURNAL_COLUMNS = [
  'period',
  'debit_account',
  'credit_account',
  'amount',
  'currency',
  'description',
] as const;

/** A closed period, or 404 (never closed) / 409 (not final yet): exports are of final numbers. */
async function closedPeriod(ex: Executor, actor: Actor, month: string) {
  mayManageBilling(actor);
  const period = await repo.findPeriod(ex, month);
  if (!period) throw notFound(`Billing period ${month}`);
  if (period.status !== 'closed')
    throw conflict(`${month} is ${period.status}; only a closed period is exported`);
}

/** Every line of the period with what it names, statement by statement. */
async function linesWithRefs(ex: Executor, month: string) {
  const statements = await repo.statementsOf(ex, month);
  const lines = await repo.linesOf(
    ex,
    statements.map((s) => s.id),
  );
  const [centres, subscriptions] = await Promise.all([
    costCentreRefs(
      ex,
      statements.map((s) => s.costCentreId),
    ),
    subscriptionRefs(
      ex,
      lines.map((l) => l.subscriptionId),
    ),
  ]);
  const subs = [...subscriptions.values()];
  const [services, plans, owners] = await Promise.all([
    serviceRefs(
      ex,
      subs.map((s) => s.serviceId),
    ),
    planRefs(
      ex,
      subs.map((s) => s.planId),
    ),
    people(
      ex,
      subs.map((s) => s.ownerId),
    ),
  ]);
  const byId = new Map(statements.map((s) => [s.id, s]));
  return lines.map((line) => {
    const statement = byId.get(line.statementId)!;
    const sub = subscriptions.get(line.subscriptionId)!;
    return {
      line,
      statement,
      centre: centres.get(statement.costCentreId)!,
      subscription: sub,
      service: services.get(sub.serviceId)!,
      // The subscription's plan now; a line charged before a plan switch still shows the new one.
      plan: plans.get(sub.planId)!,
      owner: owners.get(sub.ownerId)!,
      amount: roundMoney(new Decimal(line.amount).toFixed(), statement.currency),
      quantity: new Decimal(line.quantity).toFixed(),
    };
  });
}

export async function exportLines(ex: Executor, actor: Actor, month: string): Promise<Export> {
  await closedPeriod(ex, actor, month);
  const rows = (await linesWithRefs(ex, month)).map((r) => [
    month,
    r.centre.code,
    r.centre.name,
    r.statement.chargeMode,
    r.statement.currency,
    r.subscription.id,
    r.subscription.name,
    r.owner.email,
    r.service.name,
    r.plan.name,
    r.line.kind,
    r.line.meterKey,
    r.line.chargePeriod,
    r.quantity,
    r.line.unitPrice,
    r.amount,
    r.line.rateCardVersion === null ? null : String(r.line.rateCardVersion),
  ]);
  return { columns: LINE_COLUMNS, rows };
}

const iso = (d: Date | string) => new Date(d).toISOString().replace('.000Z', 'Z');

export async function exportFocus(ex: Executor, actor: Actor, month: string): Promise<Export> {
  await closedPeriod(ex, actor, month);
  const billing = monthOf(`${month}-01T00:00:00Z`);
  const rows = (await linesWithRefs(ex, month)).map((r) => {
    const { line } = r;
    const charged = monthOf(`${line.chargePeriod}-01T00:00:00Z`);
    const fee = line.kind === 'fee';
    const what = fee
      ? `${r.service.name} ${r.plan.name} × ${r.quantity}, monthly fee ${line.unitPrice}`
      : `${r.service.name} ${r.plan.name}: ${r.quantity} ${line.detail.unit ?? ''} of ${line.meterKey} at ${line.unitPrice}`;
    const row: Record<(typeof FOCUS_COLUMNS)[number], Cell> = {
      BilledCost: r.amount,
      BillingAccountId: BILLING_ACCOUNT.id,
      BillingAccountName: BILLING_ACCOUNT.name,
      BillingCurrency: r.statement.currency,
      BillingPeriodEnd: iso(billing.end),
      BillingPeriodStart: iso(billing.start),
      // FOCUS: Usage for consumption, Purchase for recurring fees, Adjustment for corrections.
      ChargeCategory: line.kind === 'usage' ? 'Usage' : fee ? 'Purchase' : 'Adjustment',
      ChargeClass: line.kind === 'correction' ? 'Correction' : null,
      ChargeDescription: `${what} (${r.subscription.name})`,
      ChargeFrequency: fee ? 'Recurring' : 'Usage-Based',
      ChargePeriodEnd: iso(line.detail.to ?? charged.end),
      ChargePeriodStart: iso(line.detail.from ?? charged.start),
      ConsumedQuantity: line.kind === 'usage' ? r.quantity : null,
      ConsumedUnit: line.kind === 'usage' ? (line.detail.unit ?? line.meterKey) : null,
      // No negotiated or amortised prices inside the company: all costs are the line's amount.
      ContractedCost: r.amount,
      EffectiveCost: r.amount,
      InvoiceIssuerName: PROVIDER_NAME,
      ListCost: r.amount,
      PricingQuantity: r.quantity,
      PricingUnit: fee ? 'Month' : (line.detail.unit ?? line.meterKey ?? 'Unit'),
      ProviderName: PROVIDER_NAME,
      PublisherName: PROVIDER_NAME,
      ResourceId: r.subscription.id,
      ResourceName: r.subscription.name,
      ResourceType: r.service.name,
      // The catalogue's kinds are not FOCUS service categories; Other is the allowed catch-all.
      ServiceCategory: 'Other',
      ServiceName: r.service.name,
      SkuId: `${r.service.slug}/${r.plan.slug}`,
      SkuPriceId: line.rateCardId,
      SubAccountId: r.centre.code,
      SubAccountName: r.centre.name,
      Tags: JSON.stringify({
        'portico:costCentre': r.centre.code,
        'portico:owner': r.owner.email,
        'portico:chargeMode': r.statement.chargeMode,
      }),
    };
    return FOCUS_COLUMNS.map((c) => row[c]);
  });
  return { columns: FOCUS_COLUMNS, rows };
}

export async function exportJournal(ex: Executor, actor: Actor, month: string): Promise<Export> {
  await closedPeriod(ex, actor, month);
  // Showback statements are shown, never transferred: nothing to book.
  const statements = (await repo.statementsOf(ex, month)).filter((s) => s.chargeMode === 'chargeback');
  const centres = await costCentreRefs(
    ex,
    statements.map((s) => s.costCentreId),
  );
  const rows = statements.map((s) => {
    const centre = centres.get(s.costCentreId)!;
    return [
      month,
      centre.code,
      IT_COST_CENTRE,
      roundMoney(new Decimal(s.total).toFixed(), s.currency),
      s.currency,
      `Portico IT services ${month}: ${centre.code} ${centre.name}`,
    ];
  });
  return { columns: JOURNAL_COLUMNS, rows };
}
