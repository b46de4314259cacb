// Pure helpers for the subscription pages: words for leases, pending changes and history
// events, and the exact money arithmetic a plan change shows. No React, so they are unit tested.
import type { Lease, PendingChange, Role, SubscriptionEvent } from '@portico/shared';
import type { Tone } from '../../components/status-badge.tsx';
import { compareMoney, formatDate, formatMoney, isZeroMoney, sumMoney } from '../../components/format.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Calendar days (local time) from `now` to `iso`: 0 today, 1 tomorrow, whatever the hour. */
export function daysUntil(iso: string, now: number): number {
  const midnight = (t: number) => {
    const d = new Date(t);
    d.setHours(0, 0, 0, 0);
    return d.getTime();
  };
  return Math.round((midnight(new Date(iso).getTime()) - midnight(now)) / DAY);
}

function inDays(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'tomorrow';
  return `in ${days} days`;
}

/** The lease badge: "ends in 12 days", "ends tomorrow", "in grace until 3 Mar 2026". */
export function leaseBadge(lease: Lease, now: number): { tone: Tone; text: string } {
  if (lease.state === 'in_grace' || new Date(lease.endsAt).getTime() <= now) {
    return { tone: 'danger', text: `In grace until ${formatDate(lease.graceUntil)}` };
  }
  const days = daysUntil(lease.endsAt, now);
  return {
    tone: lease.state === 'ending_soon' ? 'warning' : 'neutral',
    text: `Ends ${inDays(days)}`,
  };
}

/** A longer sentence for the subscription page. */
export function leaseSentence(lease: Lease, now: number): string {
  if (lease.state === 'in_grace' || new Date(lease.endsAt).getTime() <= now) {
    return `Its lease ended on ${formatDate(lease.endsAt)}. It keeps working until ${formatDate(lease.graceUntil)}, then it is decommissioned — extend it to keep it.`;
  }
  const days = daysUntil(lease.endsAt, now);
  return `Leased until ${formatDate(lease.endsAt)} (${inDays(days)}); after that it keeps working until ${formatDate(lease.graceUntil)}, then it is decommissioned. One extension adds ${lease.extensionDays} days.`;
}

const orderStatusWords: Record<string, string> = {
  pending_approval: 'waiting for approval',
  approved: 'approved, about to be delivered',
  in_fulfilment: 'being delivered',
  delivered: 'delivered',
  partially_delivered: 'partly delivered',
  rejected: 'rejected',
  cancelled: 'cancelled',
};

/** "Change to Large waiting for approval", "Extension being delivered". */
export function pendingText(p: PendingChange): string {
  const status = orderStatusWords[p.status] ?? p.status.replace(/_/g, ' ');
  return p.purpose === 'extend' ? `Extension ${status}` : `Change to ${p.plan.name} ${status}`;
}

export function negateMoney(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

/** `to − from`, exactly, as a decimal string. */
export function moneyDifference(from: string, to: string): string {
  return sumMoney([to, negateMoney(from)]);
}

/**
 * An amount rounded half away from zero to whole cents, exactly: what a prorated cost shows
 * ("21.333333333" → "21.33"), where four decimals would read as a unit price.
 */
export function roundToCents(amount: string): string {
  const neg = amount.startsWith('-');
  const [int = '0', frac = ''] = amount.replace('-', '').split('.');
  const scaled = BigInt(int + frac.padEnd(3, '0').slice(0, 3));
  const cents = (scaled + 5n) / 10n;
  const s = cents.toString().padStart(3, '0');
  const out = `${s.slice(0, -2)}.${s.slice(-2)}`;
  return neg && cents !== 0n ? `-${out}` : out;
}

/** A cost so far (prorated to the moment of each change), in whole cents. */
export function formatCost(amount: string, currency: string): string {
  return formatMoney(roundToCents(amount), currency);
}

/** "+€12.00", "−€4.00", "no change". */
export function formatMoneyDelta(delta: string, currency: string): string {
  if (isZeroMoney(delta)) return 'no change';
  const neg = delta.startsWith('-');
  return `${neg ? '−' : '+'}${formatMoney(neg ? delta.slice(1) : delta, currency)}`;
}

/** One step of the monthly price over time (an event that set it). */
export interface PriceStep {
  at: string;
  monthlyPrice: string;
  currency: string;
}

/**
 * The monthly price after each event, in time order; an `end` event sets it to zero. Events
 * that did not change the price (a transfer) are kept, so the chart's steps line up with the
 * timeline below it.
 */
export function priceSteps(events: SubscriptionEvent[]): PriceStep[] {
  return [...events]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((e) => ({
      at: e.at,
      monthlyPrice: e.kind === 'end' ? '0' : e.monthlyPrice,
      currency: e.currency,
    }));
}

/** The largest monthly price of the steps (for the chart's scale); "0" when there are none. */
export function maxPrice(steps: PriceStep[]): string {
  return steps.reduce((m, s) => (compareMoney(s.monthlyPrice, m) > 0 ? s.monthlyPrice : m), '0');
}

/** A history event in words: its title and what changed compared to the one before it. */
export function describeEvent(
  e: SubscriptionEvent,
  before: SubscriptionEvent | undefined,
): { title: string; detail: string } {
  const price = `${formatMoney(e.monthlyPrice, e.currency)} a month`;
  switch (e.kind) {
    case 'start':
      return { title: `Started on ${e.plan.name}`, detail: `${price}, charged to ${e.costCentre.code}` };
    case 'resize':
      return {
        title: before ? `Changed from ${before.plan.name} to ${e.plan.name}` : `Changed to ${e.plan.name}`,
        detail: before
          ? `${price} (${formatMoneyDelta(moneyDifference(before.monthlyPrice, e.monthlyPrice), e.currency)})`
          : price,
      };
    case 'transfer': {
      const parts: string[] = [];
      if (!before || before.owner.id !== e.owner.id) parts.push(`owner ${e.owner.name}`);
      if (!before || before.costCentre.code !== e.costCentre.code) {
        parts.push(`cost centre ${e.costCentre.code} — ${e.costCentre.name}`);
      }
      return { title: 'Transferred', detail: parts.length ? `To ${parts.join(', ')}` : 'Owner unchanged' };
    }
    case 'extend':
      return { title: 'Lease extended', detail: price };
    case 'end':
      return { title: 'Ended', detail: 'Decommissioned; billing stopped' };
  }
}

/** Who sees the Team tab without asking: cost-centre owners and managers approve, finance and admins see all. */
export function teamRoles(roles: readonly Role[]): boolean {
  return roles.some((r) => r === 'approver' || r === 'finance' || r === 'admin');
}

/**
 * A server message for one field as a sentence: "is required" reads after the label
 * ("Justification is required."); a message of its own ("no active user x@y") is only capitalised.
 */
export function fieldMessage(label: string, message: string | undefined): string | undefined {
  if (!message) return undefined;
  const text = /^(is|are|must|needs|allows|has|should|cannot|can't|may)\b/.test(message)
    ? `${label} ${message}`
    : message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Whether the monthly price ever changed (a chart of a flat line says nothing). */
export function priceChanged(steps: PriceStep[]): boolean {
  return new Set(steps.map((s) => roundToCents(s.monthlyPrice))).size > 1;
}
