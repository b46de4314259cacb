// The rate-card editor's form state: text as typed, turned into a PriceModel for the calculator
// and the server (which validate it with the same schema from @portico/shared).
import type { PriceModel } from '@portico/shared';

export type ModelKind = PriceModel['model'];

export const modelLabels: Record<ModelKind, string> = {
  flat: 'Flat recurring',
  per_unit: 'Per unit',
  graduated: 'Graduated tiers',
  volume: 'Volume tiers',
  package: 'Package (blocks)',
};

export const modelHints: Record<ModelKind, string> = {
  flat: 'One amount a month, whatever the usage.',
  per_unit: 'Quantity × price per unit.',
  graduated: 'Each tier prices only the units that fall inside it; the tier amounts add up.',
  volume: 'The tier the month’s total falls in prices every unit.',
  package: 'A price per block of N units; a started block counts whole.',
};

export interface TierDraft {
  /** Inclusive upper bound; ignored for the last tier, which is open-ended. */
  upTo: string;
  unitPrice: string;
  flatFee: string;
}

export interface ModelDraft {
  model: ModelKind;
  amount: string;
  unitPrice: string;
  blockSize: string;
  blockPrice: string;
  tiers: TierDraft[];
}

export const emptyTier = (): TierDraft => ({ upTo: '', unitPrice: '', flatFee: '' });

export function emptyDraft(model: ModelKind = 'per_unit'): ModelDraft {
  return {
    model,
    amount: '',
    unitPrice: '',
    blockSize: '',
    blockPrice: '',
    tiers: [emptyTier(), emptyTier()],
  };
}

/** A saved model as the form shows it (to start a new version from the current one). */
export function draftOf(model: PriceModel): ModelDraft {
  const d = emptyDraft(model.model);
  if (model.model === 'flat') d.amount = model.amount;
  if (model.model === 'per_unit') d.unitPrice = model.unitPrice;
  if (model.model === 'package') {
    d.blockSize = String(model.blockSize);
    d.blockPrice = model.blockPrice;
  }
  if (model.model === 'graduated' || model.model === 'volume') {
    d.tiers = model.tiers.map((t) => ({
      upTo: t.upTo === null ? '' : String(t.upTo),
      unitPrice: t.unitPrice,
      flatFee: t.flatFee ?? '',
    }));
  }
  return d;
}

const trim = (s: string) => s.trim();

/**
 * The model the draft describes, not yet validated: the last tier is always open-ended, an empty
 * flat fee is left out, and an empty bound stays empty so the schema names it.
 */
export function modelOf(d: ModelDraft): unknown {
  switch (d.model) {
    case 'flat':
      return { model: 'flat', amount: trim(d.amount) };
    case 'per_unit':
      return { model: 'per_unit', unitPrice: trim(d.unitPrice) };
    case 'package':
      return { model: 'package', blockSize: trim(d.blockSize), blockPrice: trim(d.blockPrice) };
    case 'graduated':
    case 'volume':
      return {
        model: d.model,
        tiers: d.tiers.map((t, i) => ({
          upTo: i === d.tiers.length - 1 ? null : trim(t.upTo),
          unitPrice: trim(t.unitPrice),
          ...(trim(t.flatFee) ? { flatFee: trim(t.flatFee) } : {}),
        })),
      };
  }
}

/** Where each tier starts, as the schema counts: 0, then the previous tier's upper bound. */
export function tierStarts(tiers: TierDraft[]): string[] {
  return tiers.map((_, i) => (i === 0 ? '0' : tiers[i - 1]!.upTo.trim() || '…'));
}

const fieldNames: Record<string, string> = {
  model: 'Price model',
  amount: 'Amount',
  unitPrice: 'Price per unit',
  blockSize: 'Block size',
  blockPrice: 'Price per block',
  tiers: 'Tiers',
  upTo: 'up to',
  from: 'from',
  flatFee: 'flat fee',
};

/** A path inside a model as the form names it: "tiers.1.upTo" → "Tier 2, up to". */
export function fieldName(path: string): string {
  const tier = /^tiers\.(\d+)\.(\w+)$/.exec(path);
  if (tier) return `Tier ${Number(tier[1]) + 1}, ${fieldNames[tier[2]!] ?? tier[2]}`;
  return fieldNames[path] ?? (path || 'Price model');
}
