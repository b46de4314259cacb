// Rating: what a quantity costs under a price model, what share of a month a recurring fee
// covers, and how an amount is rounded for a statement line. One pure module, shared by the
// month close (the bill) and the cart (the estimate), so the two cannot disagree.
//
// Words as in DESIGN.md "Pricing words"; the exact rules chosen here:
//
// Numbers. Prices, quantities and amounts are decimal strings ("0.25", "1.5"), computed with
// decimal.js at 50 significant digits; a JS number never carries a fraction. A tier bound or a
// block size may also be a JSON integer (exact in a double); fractional ones must be strings.
// Amounts out of rate() and prorate() are unrounded (plain notation, no exponent).
//
// Tiers. A tier's upper bound `upTo` is inclusive and its lower bound is the previous tier's
// `upTo`, exclusive; the first tier starts at 0, inclusive. So tiers [100, 500, null] cover
// 0 ≤ q ≤ 100, 100 < q ≤ 500 and q > 500: a fractional 100.5 is in the second tier, nothing
// falls between tiers, and "starts at 0" needs no field. Bounds increase strictly from 0 (the
// first upTo is > 0); only the last tier is open-ended (upTo null), and it must be. A tier may
// say where it starts (`from`), for a rate card that reads like a table; it is only checked:
// 0 for the first tier, the previous upTo for the others. "from: 101" after "upTo: 100" is a
// gap (100 < q < 101 would be in no tier), "from: 50" an overlap.
//
// Models, for a quantity q ≥ 0 in one period:
// - flat: the amount, whatever q is (a price per seat or instance is per_unit).
// - per_unit: q × unitPrice.
// - graduated: each tier prices the units inside it, min(q, upTo) − lower bound; a tier is
//   reached when at least part of a unit falls in it, and each reached tier adds its flat fee
//   once. The amount is the sum of the reached tiers.
// - volume: the tier q falls in prices all q units, plus that tier's flat fee once.
// - package: ceil(q / blockSize) blocks × blockPrice; a started block counts whole.
// No usage, no charge: q = 0 rates to 0 with no breakdown line for every model but flat, so
// no flat fee per tier is charged for a period without usage.
//
// Periods. A period is a calendar month in UTC, half-open [start, end). A recurring fee is
// prorated by the second: amount × (seconds of [from, to) inside the month) / (seconds in the
// month). Instants are counted in whole seconds (milliseconds are dropped), so back-to-back
// segments (a resize, a transfer) add up to the whole month. Metered usage is not prorated:
// rate it as it is.
//
// Rounding. Once per statement line, half-up (ties away from zero, so a credit rounds like a
// charge) to the currency's minor unit from ISO 4217 — not from Intl, whose digits are for
// display and differ (ICU shows HUF, IDR and COP with 0 digits, ISO 4217 says 2; IQD: 0 and 3)
// and vary with the engine's CLDR version, so the browser and the server could round apart.
// A well-formed code not in the table has 2; codes without a minor unit (XAU, XXX …) throw.
import Decimal from 'decimal.js';
import { z } from 'zod';

/**
 * Local to rating, never the global config: 50 significant digits keep sums and products of
 * prices and quantities exact; only prorate() divides, and it rounds at the 50th digit.
 */
const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
type D = InstanceType<typeof D>;

const DECIMAL = /^\d+(\.\d+)?$/;

/** A non-negative decimal string, like "0.25". */
export const DecimalAmount = z.string().regex(DECIMAL, 'must be a non-negative decimal string like "0.25"');
/** A quantity of a meter or of units: a non-negative decimal string (usage may be fractional). */
export const Quantity = DecimalAmount;

const Bound = z.union(
  [
    z
      .number()
      .int('must be an integer, or a decimal string for a fraction')
      .min(0, 'must be a non-negative integer or decimal string')
      .max(Number.MAX_SAFE_INTEGER, 'must be a safe integer, or a decimal string'),
    DecimalAmount,
  ],
  { error: 'must be a non-negative integer or decimal string' },
);

/** Zod runs refinements on input that already failed; those must not feed it to Decimal. */
const isBound = (v: unknown): v is number | string =>
  (Number.isSafeInteger(v) && (v as number) >= 0) || (typeof v === 'string' && DECIMAL.test(v));

export const PriceTier = z.strictObject({
  /** Optional, checked only: where the tier starts (0, then the previous tier's upTo). */
  from: Bound.optional(),
  /** Inclusive upper bound; null for the last, open-ended tier. */
  upTo: Bound.nullable(),
  unitPrice: DecimalAmount,
  /** Added once when the tier is charged (graduated: reached; volume: the total falls in it). */
  flatFee: DecimalAmount.optional(),
});
export type PriceTier = z.infer<typeof PriceTier>;

const Tiers = z
  .array(PriceTier)
  .min(1, 'needs at least one tier')
  .superRefine((tiers, ctx) => {
    // A bound that is no number at all has its own issue already; the order means nothing then.
    if (!tiers.every((t) => isBound(t.upTo ?? 0) && isBound(t.from ?? 0))) return;
    const fail = (i: number, field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [i, field], message });
    let lower = new D(0);
    let lowerName = '0';
    tiers.forEach((tier, i) => {
      const last = i === tiers.length - 1;
      if (tier.from !== undefined) {
        const from = new D(tier.from);
        const expected =
          i === 0 ? 'must be 0: the first tier starts at 0' : `must be ${lowerName} (tiers.${i - 1}.upTo)`;
        if (from.gt(lower)) {
          fail(
            i,
            'from',
            i === 0
              ? expected
              : `${expected}: a gap, quantities above ${lowerName} up to ${from.toFixed()} would be in no tier`,
          );
        } else if (from.lt(lower)) {
          fail(i, 'from', `${expected}: an overlap with tiers.${i - 1}`);
        }
      }
      if (tier.upTo === null) {
        if (!last) fail(i, 'upTo', 'only the last tier may be open-ended (null)');
        return;
      }
      if (last) fail(i, 'upTo', 'the last tier must be open-ended (null)');
      const upTo = new D(tier.upTo);
      if (!upTo.gt(lower)) {
        fail(
          i,
          'upTo',
          i === 0
            ? 'must be greater than 0: the first tier starts at 0'
            : `must be greater than tiers.${i - 1}.upTo (${lowerName}): bounds increase strictly`,
        );
      }
      lower = D.max(lower, upTo);
      lowerName = lower.toFixed();
    });
  });

export const FlatPrice = z.strictObject({ model: z.literal('flat'), amount: DecimalAmount });
export const PerUnitPrice = z.strictObject({ model: z.literal('per_unit'), unitPrice: DecimalAmount });
export const GraduatedPrice = z.strictObject({ model: z.literal('graduated'), tiers: Tiers });
export const VolumePrice = z.strictObject({ model: z.literal('volume'), tiers: Tiers });
export const PackagePrice = z.strictObject({
  model: z.literal('package'),
  blockSize: Bound.refine((v) => !isBound(v) || new D(v).gt(0), 'must be greater than 0'),
  blockPrice: DecimalAmount,
});

export const PriceModel = z.discriminatedUnion('model', [
  FlatPrice,
  PerUnitPrice,
  GraduatedPrice,
  VolumePrice,
  PackagePrice,
]);
export type PriceModel = z.infer<typeof PriceModel>;

/** A model's problems as the API reports them: the field path ("tiers.1.upTo") and a message. */
export function priceModelIssues(input: unknown): { path: string; message: string }[] {
  const parsed = PriceModel.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    // An unknown key is reported where the key is, not where its parent starts.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    return { path: path.map(String).join('.'), message: issue.message };
  });
}

/** One line of how an amount came about: what a statement line and the estimate show. */
export interface RatedLine {
  /** The tier's index (graduated, volume); null for the other models. */
  tier: number | null;
  /** The units priced on this line: those inside the tier (graduated), else the quantity. */
  units: string;
  /** The price per unit; per block for package; "0" for flat. */
  unitPrice: string;
  /** Package only: the blocks counted, a started one whole. */
  blocks: string | null;
  /** The flat fee charged on this line (flat: the amount). */
  flatFee: string;
  /** units × unitPrice (package: blocks × unitPrice) + flatFee, unrounded. */
  amount: string;
}

export interface Rated {
  /** The sum of the lines, unrounded: round it once, with roundMoney, on the statement line. */
  amount: string;
  breakdown: RatedLine[];
}

/** What `quantity` costs under `model` for one period (see the header for each model's rule). */
export function rate(model: PriceModel, quantity: string): Rated {
  const m = PriceModel.parse(model);
  if (!DECIMAL.test(quantity))
    throw new RangeError(`quantity must be a non-negative decimal string, got "${quantity}"`);
  const q = new D(quantity);
  const lines: RatedLine[] = [];
  const line = (tier: number | null, units: D, unitPrice: D, flatFee: D, blocks: D | null = null) => {
    const amount = (blocks ?? units).times(unitPrice).plus(flatFee);
    lines.push({
      tier,
      units: units.toFixed(),
      unitPrice: unitPrice.toFixed(),
      blocks: blocks?.toFixed() ?? null,
      flatFee: flatFee.toFixed(),
      amount: amount.toFixed(),
    });
  };
  const zero = new D(0);

  if (m.model === 'flat') {
    line(null, q, zero, new D(m.amount));
  } else if (q.isZero()) {
    // No usage, no charge: not even a tier's flat fee.
  } else if (m.model === 'per_unit') {
    line(null, q, new D(m.unitPrice), zero);
  } else if (m.model === 'package') {
    const size = new D(m.blockSize);
    const blocks = q.divToInt(size).plus(q.mod(size).isZero() ? 0 : 1);
    line(null, q, new D(m.blockPrice), zero, blocks);
  } else if (m.model === 'graduated') {
    let lower = zero;
    for (const [i, tier] of m.tiers.entries()) {
      if (!q.gt(lower)) break;
      const upper = tier.upTo === null ? q : D.min(q, tier.upTo);
      line(i, upper.minus(lower), new D(tier.unitPrice), new D(tier.flatFee ?? 0));
      if (tier.upTo !== null) lower = new D(tier.upTo);
    }
  } else {
    const i = m.tiers.findIndex((tier) => tier.upTo === null || q.lte(tier.upTo));
    const tier = m.tiers[i]!; // the last tier is open-ended, so one always matches
    line(i, q, new D(tier.unitPrice), new D(tier.flatFee ?? 0));
  }

  const amount = lines.reduce((sum, l) => sum.plus(l.amount), zero);
  return { amount: amount.toFixed(), breakdown: lines };
}

// ---- periods --------------------------------------------------------------------------

/** A calendar month in UTC, half-open: [start, end). */
export interface Period {
  start: Date;
  end: Date;
}

/** An instant: a Date, or an ISO date-time string that says its offset ("…Z", "…+02:00"). */
export type Instant = Date | string;

function toDate(at: Instant, name: string): Date {
  if (typeof at === 'string' && !/(Z|[+-]\d\d:\d\d)$/i.test(at)) {
    throw new RangeError(`${name} must say its UTC offset ("…Z"), got "${at}"`);
  }
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${name} is not a valid instant: "${String(at)}"`);
  return date;
}

/** Whole seconds since the epoch; a fraction of a second is dropped. */
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The UTC calendar month `at` falls in. */
/** A calendar month ("2026-10") moved by `delta` months: ("2026-01", -1) → "2025-12". */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + delta, 1)).toISOString().slice(0, 7);
}

export function monthOf(at: Instant): Period {
  const date = toDate(at, 'the instant');
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
}

/**
 * The part of a monthly recurring amount that [from, to) covers inside `period`, by the second,
 * unrounded. The segment is clipped to the period; one that misses it (or is empty) costs 0.
 */
export function prorate(monthlyAmount: string, from: Instant, to: Instant, period: Period): string {
  if (!DECIMAL.test(monthlyAmount)) {
    throw new RangeError(`monthlyAmount must be a non-negative decimal string, got "${monthlyAmount}"`);
  }
  const month = monthOf(period.start);
  if (month.start.getTime() !== period.start.getTime() || month.end.getTime() !== period.end.getTime()) {
    throw new RangeError('period must be a UTC calendar month, as monthOf() returns it');
  }
  const start = Math.max(seconds(toDate(from, 'from')), seconds(period.start));
  const end = Math.min(seconds(toDate(to, 'to')), seconds(period.end));
  if (end <= start) return '0';
  const covered = end - start;
  const total = seconds(period.end) - seconds(period.start);
  return new D(monthlyAmount).times(covered).div(total).toFixed();
}

// ---- rounding -------------------------------------------------------------------------

/** ISO 4217 minor units where they are not 2. */
// prettier-ignore
const MINOR_UNITS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};
/** ISO 4217 codes without a minor unit (metals, funds, test): not a currency to bill in. */
const NO_MINOR_UNIT = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
]);

/** The digits after the decimal point of a currency's minor unit (ISO 4217): EUR 2, JPY 0, KWD 3. */
export function minorUnits(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency) || NO_MINOR_UNIT.has(currency)) {
    throw new RangeError(`"${currency}" is not a currency to bill in (an ISO 4217 code like "EUR")`);
  }
  return MINOR_UNITS[currency] ?? 2;
}

/** An amount rounded half-up (ties away from zero) to the currency's minor unit: "12.345" EUR → "12.35". */
export function roundMoney(amount: string, currency: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(amount))
    throw new RangeError(`amount must be a decimal string, got "${amount}"`);
  const digits = minorUnits(currency);
  const rounded = new D(amount).toDecimalPlaces(digits, D.ROUND_HALF_UP);
  return (rounded.isZero() ? rounded.abs() : rounded).toFixed(digits);
}

/**
 * A price model in words, as the cart and the rate-card list show it: "0.10 per GB",
 * "0.09 per GB up to 1000, then 0.07 per GB (each tier its own units)". Amounts in the currency's
 * units without its sign; the caller adds the currency.
 */
export function describePrice(model: PriceModel, unit: string): string {
  const m = PriceModel.parse(model);
  const n = (v: number | string) => new D(v).toFixed();
  if (m.model === 'flat') return `${n(m.amount)} a month, whatever the use`;
  if (m.model === 'per_unit') return `${n(m.unitPrice)} per ${unit}`;
  if (m.model === 'package') return `${n(m.blockPrice)} per ${n(m.blockSize)} ${unit} started`;
  const tiers = m.tiers
    .map((t, i) => {
      const fee = t.flatFee && !new D(t.flatFee).isZero() ? ` + ${n(t.flatFee)}` : '';
      const price = `${n(t.unitPrice)} per ${unit}${fee}`;
      if (t.upTo === null) return i === 0 ? price : `then ${price}`;
      return i === 0 ? `${price} up to ${n(t.upTo)}` : `then ${price} up to ${n(t.upTo)}`;
    })
    .join(', ');
  return m.model === 'graduated'
    ? `${tiers} (each tier prices the units inside it)`
    : `${tiers} (the month's total picks the tier for every unit)`;
}
