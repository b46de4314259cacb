import type { PriceModel } from '@portico/shared';
import type { Executor } from '../../platform/db.ts';
import { allMeters } from '../metering/index.ts';
import * as repo from './billing.repo.ts';

export interface UsagePrice {
  meter: string;
  unit: string;
  name: string;
  model: PriceModel;
  version: number;
}

/**
 * The rate cards of a plan in force on `on`, by their meter's unit: what the cart prices expected
 * use with, so an estimate is rated exactly as the bill will be.
 */
export async function usagePricesOf(
  ex: Executor,
  planId: string,
  on: Date,
): Promise<Map<string, UsagePrice>> {
  const cards = await repo.rateCardsOfPlanOn(ex, planId, on.toISOString().slice(0, 10));
  if (!cards.length) return new Map();
  const meters = new Map((await allMeters(ex)).map((m) => [m.key, m]));
  const byUnit = new Map<string, UsagePrice>();
  for (const c of cards) {
    const meter = meters.get(c.meterKey)!;
    // Highest version first per meter; a second meter with the same unit does not replace the first.
    if (byUnit.has(meter.unit)) continue;
    byUnit.set(meter.unit, {
      meter: meter.key,
      unit: meter.unit,
      name: meter.name,
      model: c.model,
      version: c.version,
    });
  }
  return byUnit;
}
