// Months and lines as the cost pages say them. Months are UTC calendar months, "2026-10".
import { addMonths, type ChargeMode, type CostLine, type MonthState } from '@portico/shared';

/** The running month in UTC. */
export function currentMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

export function isMonth(value: string | null): value is string {
  return !!value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

const longMonth = new Intl.DateTimeFormat('en-IE', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortMonth = new Intl.DateTimeFormat('en-IE', { month: 'short', timeZone: 'UTC' });
const day = new Intl.DateTimeFormat('en-IE', { day: 'numeric', timeZone: 'UTC' });
const dayMonth = new Intl.DateTimeFormat('en-IE', { day: 'numeric', month: 'short', timeZone: 'UTC' });

const monthStart = (month: string) => new Date(`${month}-01T00:00:00Z`);

/** "2026-10" → "October 2026". */
export function monthName(month: string): string {
  return longMonth.format(monthStart(month));
}

/** "2026-10" → "Oct". */
export function monthShort(month: string): string {
  return shortMonth.format(monthStart(month));
}

/**
 * The part of the month a fee covers, [from, to), in words: "1–14 Oct (prorated)", or
 * "whole month" when it covers all of it. `to` is exclusive, so the last day is the one before.
 */
export function feePart(line: Pick<CostLine, 'from' | 'to' | 'chargePeriod'>): string | null {
  if (!line.from || !line.to) return null;
  const from = new Date(line.from);
  const to = new Date(line.to);
  const start = monthStart(line.chargePeriod);
  const end = monthStart(addMonths(line.chargePeriod, 1));
  if (from.getTime() <= start.getTime() && to.getTime() >= end.getTime()) return 'whole month';
  const last = new Date(to.getTime() - 1000);
  let range: string;
  if (from.getUTCDate() === last.getUTCDate() && from.getUTCMonth() === last.getUTCMonth()) {
    range = dayMonth.format(from);
  } else if (from.getUTCMonth() === last.getUTCMonth()) {
    range = `${day.format(from)}–${dayMonth.format(last)}`;
  } else {
    range = `${dayMonth.format(from)} – ${dayMonth.format(last)}`;
  }
  return `${range} (prorated)`;
}

export const stateLabels: Record<MonthState, string> = {
  running: 'Running',
  open: 'Open',
  closing: 'Closing',
  closed: 'Closed',
};

/** A closed month has a statement; any other is a draft, computed like the close. */
export function documentOf(state: MonthState): 'Statement' | 'Draft' {
  return state === 'closed' ? 'Statement' : 'Draft';
}

export const chargeModeText: Record<ChargeMode, string> = {
  chargeback: 'Chargeback: the amounts are transferred from this cost centre each month (in the journal).',
  showback: 'Showback: the amounts are shown for information only; nothing is transferred.',
};

/** A share "0.4231" as "42.3%". */
export function formatShare(share: string): string {
  const pct = Number(share) * 100;
  return `${pct.toFixed(pct > 0 && pct < 10 ? 1 : 0)}%`;
}

/**
 * A decimal quantity as people read it, at most `digits` decimals (half-up, on the string):
 * "1234.5" → "1,234.5", "1124.884362321" → "1,124.884". Only for showing; money is never rounded here.
 */
export function formatQuantity(quantity: string, digits = 3): string {
  const negative = quantity.startsWith('-');
  const [int = '0', frac = ''] = quantity.replace('-', '').split('.');
  let whole = BigInt(int + frac.padEnd(digits, '0').slice(0, digits));
  if (Number(frac[digits] ?? '0') >= 5) whole += 1n;
  const s = whole.toString().padStart(digits + 1, '0');
  const intPart = s.slice(0, s.length - digits);
  const fracPart = s.slice(s.length - digits).replace(/0+$/, '');
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative && whole !== 0n ? '−' : ''}${grouped}${fracPart ? `.${fracPart}` : ''}`;
}
