import type { Budget, BudgetBody, ChargeMode, CostCentre, CostCentreRef, PersonRef } from '@portico/shared';
import Decimal from 'decimal.js';
import type { z } from 'zod';
import { hasRole, type Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { forbidden, invalid, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { budgetImpact, zeroAmounts, type Amounts } from './org.budget.ts';
import * as repo from './org.repo.ts';

export interface Placement {
  department: { id: string; code: string; name: string };
  defaultCostCentre: CostCentreRef & { id: string; ownerId: string | null };
  /** The cost centres this person may charge: their department's, in force today. */
  chargeable: (CostCentreRef & { id: string; ownerId: string | null })[];
}

const ref = (c: { id: string; code: string; name: string; ownerId: string | null }) => ({
  id: c.id,
  code: c.code,
  name: c.name,
  ownerId: c.ownerId,
});

export async function placementOf(ex: Executor, userId: string): Promise<Placement | null> {
  const row = await repo.findPlacement(ex, userId);
  if (!row) return null;
  const own = await repo.costCentresOfDepartment(ex, row.department.id);
  const chargeable = own.map(ref);
  if (!chargeable.some((c) => c.id === row.defaultCostCentre.id)) {
    chargeable.unshift(ref(row.defaultCostCentre));
  }
  return {
    department: row.department,
    defaultCostCentre: ref(row.defaultCostCentre),
    chargeable,
  };
}

/** The cost centre `code`, if `userId` may charge it; otherwise a 400 naming the field. */
export async function chargeableCostCentre(ex: Executor, userId: string, code: string, field: string) {
  const placement = await placementOf(ex, userId);
  const found = placement?.chargeable.find((c) => c.code === code);
  if (!found) {
    const exists = await repo.findCostCentreByCode(ex, code);
    throw invalid(field, exists ? `you may not charge cost centre ${code}` : `no cost centre ${code}`);
  }
  return found;
}

export async function costCentreRefs(ex: Executor, ids: string[]): Promise<Map<string, CostCentreRef>> {
  const rows = await repo.findCostCentresByIds(ex, [...new Set(ids)]);
  return new Map(rows.map((c) => [c.id, { code: c.code, name: c.name }]));
}

export async function costCentreOwnerId(ex: Executor, costCentreId: string): Promise<string | null> {
  const [row] = await repo.findCostCentresByIds(ex, [costCentreId]);
  return row?.ownerId ?? null;
}

// ---- provisioning (seed data and test factories) --------------------------------------

export const createDepartment = (tx: Tx, input: { code: string; name: string }) =>
  repo.insertDepartment(tx, input);

export const createCostCentre = (
  tx: Tx,
  input: { code: string; name: string; departmentId: string; ownerId: string | null; validFrom: string },
) => repo.insertCostCentre(tx, input);

export const placePerson = (
  tx: Tx,
  input: { userId: string; departmentId: string; defaultCostCentreId: string },
) => repo.insertPlacement(tx, input);

// ---- budgets ------------------------------------------------------------------------------

export const budgetOf = async (ex: Executor, costCentreId: string, year: number) =>
  (await repo.findBudget(ex, costCentreId, year)) ?? null;

/**
 * Before a checkout counts what is committed against a budget that blocks or asks for approval
 * on overrun: concurrent checkouts on that cost centre take turns, so two cannot both fit in
 * what is left. A "warn" budget needs no turn-taking.
 */
export async function holdBudget(tx: Tx, costCentreId: string, year: number): Promise<void> {
  const budget = await repo.findBudget(tx, costCentreId, year);
  if (budget && budget.onOverrun !== 'warn') await repo.lockBudget(tx, costCentreId, year);
}

const presentBudget = (b: repo.BudgetRow): Budget => ({
  year: b.year,
  currency: b.currency,
  annualAmount: b.annualAmount,
  monthlyAmount: b.monthlyAmount,
  onOverrun: b.onOverrun,
});

/** What the cost-centre pages need from other modules: names of people, committed amounts. */
export interface CostCentreLookups {
  people: (ex: Executor, ids: string[]) => Promise<Map<string, PersonRef>>;
  committed: (ex: Executor, costCentreId: string, at: Date) => Promise<Amounts>;
}

async function presentCostCentres(
  ex: Executor,
  rows: Awaited<ReturnType<typeof repo.listCostCentres>>,
  lookups: CostCentreLookups,
): Promise<CostCentre[]> {
  const now = new Date();
  const budgets = new Map(
    (
      await repo.findBudgets(
        ex,
        rows.map((r) => r.costCentre.id),
        now.getUTCFullYear(),
      )
    ).map((b) => [b.costCentreId, b]),
  );
  const owners = await lookups.people(
    ex,
    rows.flatMap((r) => (r.costCentre.ownerId ? [r.costCentre.ownerId] : [])),
  );
  const out: CostCentre[] = [];
  for (const { costCentre: c, department } of rows) {
    const budget = budgets.get(c.id) ?? null;
    const impact = budgetImpact({
      costCentre: { code: c.code, name: c.name },
      budget,
      committed: await lookups.committed(ex, c.id, now),
      request: zeroAmounts(),
      at: now,
    });
    out.push({
      code: c.code,
      name: c.name,
      department: { code: department.code, name: department.name },
      owner: c.ownerId ? (owners.get(c.ownerId) ?? null) : null,
      budget: budget ? presentBudget(budget) : null,
      month: impact.month,
      year: impact.year,
    });
  }
  return out;
}

/** Finance and admins see every cost centre; others the ones they own or may charge. */
async function visibleCostCentres(ex: Executor, actor: Actor) {
  if (!actor.userId) return [];
  const all = await repo.listCostCentres(ex);
  if (hasRole(actor, 'finance', 'admin')) return all;
  const chargeable = new Set((await placementOf(ex, actor.userId))?.chargeable.map((c) => c.id) ?? []);
  return all.filter((r) => r.costCentre.ownerId === actor.userId || chargeable.has(r.costCentre.id));
}

export async function listCostCentres(ex: Executor, actor: Actor, lookups: CostCentreLookups) {
  return presentCostCentres(ex, await visibleCostCentres(ex, actor), lookups);
}

export async function getCostCentre(ex: Executor, actor: Actor, code: string, lookups: CostCentreLookups) {
  const row = (await visibleCostCentres(ex, actor)).filter((r) => r.costCentre.code === code);
  if (row.length === 0) throw notFound(`Cost centre ${code}`);
  return (await presentCostCentres(ex, row, lookups))[0]!;
}

export async function setBudget(
  tx: Tx,
  actor: Actor,
  code: string,
  year: number,
  input: z.output<typeof BudgetBody>,
): Promise<void> {
  if (!hasRole(actor, 'finance', 'admin')) throw forbidden('Only finance sets budgets');
  const costCentre = await repo.findCostCentreByCode(tx, code);
  if (!costCentre) throw notFound(`Cost centre ${code}`);
  const before = await repo.findBudget(tx, costCentre.id, year);
  const annual = new Decimal(input.annualAmount);
  const saved = await repo.upsertBudget(tx, {
    costCentreId: costCentre.id,
    year,
    currency: input.currency,
    annualAmount: annual.toFixed(9),
    monthlyAmount: new Decimal(input.monthlyAmount ?? annual.div(12)).toFixed(9),
    onOverrun: input.onOverrun,
    updatedById: actor.userId,
  });
  await recordAudit(tx, actor, {
    action: 'budget.set',
    entityType: 'cost_centre',
    entityId: costCentre.id,
    before: before ? presentBudget(before) : null,
    after: presentBudget(saved),
  });
}

export async function costCentreByCode(ex: Executor, code: string) {
  const c = await repo.findCostCentreByCode(ex, code);
  if (!c) throw notFound(`Cost centre ${code}`);
  return { id: c.id, code: c.code, name: c.name, ownerId: c.ownerId, chargeMode: c.chargeMode };
}

/** How each of these cost centres is charged now, by id. */
export async function chargeModesOf(ex: Executor, ids: string[]): Promise<Map<string, ChargeMode>> {
  return new Map((await repo.findCostCentresByIds(ex, ids)).map((c) => [c.id, c.chargeMode]));
}

/** Every cost centre in force today, by code: what billing lists. */
export async function costCentresInForce(ex: Executor) {
  return (await repo.listCostCentres(ex)).map(({ costCentre: c }) => ({
    id: c.id,
    code: c.code,
    name: c.name,
    ownerId: c.ownerId,
    chargeMode: c.chargeMode,
  }));
}

/** The budgets of a year for these cost centres, by cost centre. */
export async function budgetsOf(ex: Executor, costCentreIds: string[], year: number) {
  return new Map((await repo.findBudgets(ex, costCentreIds, year)).map((b) => [b.costCentreId, b]));
}

/** Whether a cost centre's statements are transferred (chargeback) or only shown (showback). */
export async function setChargeMode(
  tx: Tx,
  actor: Actor,
  code: string,
  chargeMode: ChargeMode,
): Promise<void> {
  if (!hasRole(actor, 'finance', 'admin')) throw forbidden('Only finance sets how a cost centre is charged');
  const before = await repo.findCostCentreByCode(tx, code);
  if (!before) throw notFound(`Cost centre ${code}`);
  if (before.chargeMode === chargeMode) return;
  await repo.updateCostCentre(tx, before.id, { chargeMode });
  await recordAudit(tx, actor, {
    action: 'cost_centre.charge_mode_set',
    entityType: 'cost_centre',
    entityId: before.id,
    before: { chargeMode: before.chargeMode },
    after: { chargeMode },
  });
}

export async function departmentOf(ex: Executor, userId: string): Promise<string | null> {
  return (await placementOf(ex, userId))?.department.code ?? null;
}

/** The cost centres someone owns, by code. */
export async function costCentresOwnedBy(ex: Executor, userId: string): Promise<CostCentreRef[]> {
  return (await repo.findCostCentresOwnedBy(ex, userId))
    .map((c) => ({ code: c.code, name: c.name }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** The cost centres someone owns (a team view shows what they pay for). */
export async function costCentreIdsOwnedBy(ex: Executor, userId: string): Promise<string[]> {
  return (await repo.findCostCentresOwnedBy(ex, userId)).map((c) => c.id);
}
