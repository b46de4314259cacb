// Display formatting. Money stays a decimal string end to end; the only arithmetic the UI
// does (price × quantity, sums) is exact, on scaled BigInts, never on floats.

export { formatMoney } from '@portico/shared';

const LOCALE = 'en-IE';

export function isZeroMoney(amount: string): boolean {
  return /^-?0*(\.0*)?$/.test(amount);
}

function toScaled(amount: string, scale: number): bigint {
  const neg = amount.startsWith('-');
  const [int = '0', frac = ''] = amount.replace('-', '').split('.');
  const v = BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
  return neg ? -v : v;
}

function fromScaled(v: bigint, scale: number): string {
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(scale + 1, '0');
  const out = `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  return neg ? `-${out}` : out;
}

function scaleOf(...amounts: string[]): number {
  return Math.max(2, ...amounts.map((a) => (a.split('.')[1] ?? '').length));
}

/** Exact decimal-string multiplication by an integer quantity. */
export function multiplyMoney(amount: string, quantity: number): string {
  const scale = scaleOf(amount);
  return fromScaled(toScaled(amount, scale) * BigInt(quantity), scale);
}

export function sumMoney(amounts: string[]): string {
  const scale = scaleOf(...amounts);
  return fromScaled(
    amounts.reduce((acc, a) => acc + toScaled(a, scale), 0n),
    scale,
  );
}

const dateFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** An ISO date (`2025-11-24`) or date-time as "24 Nov 2025". */
export function formatDate(iso: string): string {
  // A bare date is a calendar day, not midnight UTC: build it in local time.
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}

/** A short duration: "just now", "5m", "3h", "2d 4h". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days}d ${rest}h` : `${days}d`;
}

/** "3h ago" style, for lists. */
export function formatAgo(iso: string, now = Date.now()): string {
  const d = formatDuration(now - new Date(iso).getTime());
  return d === 'just now' ? d : `${d} ago`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const acronyms = new Set(['ip', 'dns', 'url', 'id', 'vpn', 'os', 'cpu', 'ram', 'ssh', 'fqdn', 'vm']);

/** "hostname" / "ip_address" / "vmName" → "Hostname" / "IP address" / "VM name". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((w) => (acronyms.has(w) ? w.toUpperCase() : w))
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Today's local date as YYYY-MM-DD (for `<input type=date min>`). */
export function todayIsoDate(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Exact comparison of two decimal strings: negative, zero or positive like a sort comparator. */
export function compareMoney(a: string, b: string): number {
  const scale = scaleOf(a, b);
  const d = toScaled(a, scale) - toScaled(b, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** The larger of decimal strings, exactly. */
export function maxMoney(...amounts: string[]): string {
  return amounts.reduce((a, b) => (compareMoney(a, b) >= 0 ? a : b));
}

/** A decimal string without its sign ("-12.50" → "12.50"), for "€12.50 over". */
export function absMoney(amount: string): string {
  return amount.replace(/^-/, '');
}

/**
 * part ÷ whole as a plain fraction, only for drawing (a bar's width), never for money: worked
 * out on scaled BigInts, so no float ever holds an amount. 0 when whole is zero or less.
 */
export function moneyRatio(part: string, whole: string): number {
  const scale = scaleOf(part, whole);
  const w = toScaled(whole, scale);
  if (w <= 0n) return 0;
  return Number((toScaled(part, scale) * 10_000n) / w) / 10_000;
}

const monthFormat = new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric' });

/** A budget period, `2025-11` → "November 2025", `2025` → "2025". */
export function formatPeriod(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? monthFormat.format(new Date(Number(m[1]), Number(m[2]) - 1, 1)) : period;
}
