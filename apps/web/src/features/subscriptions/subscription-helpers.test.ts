import { describe, expect, it } from 'vitest';
import type { Lease, SubscriptionEvent } from '@portico/shared';
import {
  daysUntil,
  describeEvent,
  fieldMessage,
  formatMoneyDelta,
  leaseBadge,
  maxPrice,
  moneyDifference,
  roundToCents,
  pendingText,
  priceChanged,
  priceSteps,
  teamRoles,
} from './subscription-helpers.ts';

const now = Date.parse('2026-03-01T12:00:00Z');
const lease = (over: Partial<Lease>): Lease => ({
  endsAt: '2026-03-13T12:00:00Z',
  graceUntil: '2026-03-20T12:00:00Z',
  state: 'ending_soon',
  extensionDays: 90,
  ...over,
});

const person = (id: string, name: string) => ({ id, name, email: `${name.toLowerCase()}@example.com` });
const event = (over: Partial<SubscriptionEvent>): SubscriptionEvent => ({
  kind: 'start',
  at: '2026-01-10T09:00:00Z',
  owner: person('00000000-0000-4000-8000-000000000001', 'Max'),
  costCentre: { code: 'ENG-100', name: 'Platform' },
  plan: { slug: 'small', name: 'Small' },
  quantity: 1,
  currency: 'EUR',
  monthlyPrice: '40.000000000',
  actor: 'Max',
  note: null,
  ...over,
});

describe('leases in words', () => {
  it('counts calendar days, so the hour of the day does not matter', () => {
    expect(daysUntil('2026-03-13T12:00:00Z', now)).toBe(12);
    expect(daysUntil('2026-03-13T11:00:00Z', now)).toBe(12);
    expect(leaseBadge(lease({}), now)).toEqual({ tone: 'warning', text: 'Ends in 12 days' });
    expect(leaseBadge(lease({ endsAt: '2026-03-02T10:00:00Z' }), now).text).toBe('Ends tomorrow');
    expect(leaseBadge(lease({ endsAt: '2026-03-01T18:00:00Z' }), now).text).toBe('Ends today');
  });

  it('is quiet while running and loud in grace', () => {
    expect(leaseBadge(lease({ state: 'running', endsAt: '2026-05-30T12:00:00Z' }), now).tone).toBe('neutral');
    const grace = leaseBadge(lease({ state: 'in_grace', endsAt: '2026-02-27T12:00:00Z' }), now);
    expect(grace.tone).toBe('danger');
    expect(grace.text).toBe('In grace until 20 Mar 2026');
  });
});

describe('pending changes', () => {
  it('says what is on its way and where it stands', () => {
    const p = {
      purpose: 'change' as const,
      orderId: '00000000-0000-4000-8000-000000000009',
      orderNumber: 'ORD-1042',
      lineId: '00000000-0000-4000-8000-00000000000a',
      plan: { slug: 'large', name: 'Large' },
      status: 'pending_approval',
    };
    expect(pendingText(p)).toBe('Change to Large waiting for approval');
    expect(pendingText({ ...p, purpose: 'extend', status: 'in_fulfilment' })).toBe(
      'Extension being delivered',
    );
    expect(pendingText({ ...p, status: 'on_hold' })).toBe('Change to Large on hold');
  });
});

describe('money differences', () => {
  it('are exact and signed', () => {
    expect(moneyDifference('40.000000000', '75.50')).toBe('35.500000000');
    expect(moneyDifference('75.50', '40')).toBe('-35.50');
    expect(formatMoneyDelta('35.5', 'EUR')).toBe('+€35.50');
    expect(formatMoneyDelta('-35.50', 'EUR')).toBe('−€35.50');
    expect(formatMoneyDelta('0.000', 'EUR')).toBe('no change');
    // 0.1 + 0.2 style float errors must not appear.
    expect(moneyDifference('0.1', '0.3')).toBe('0.20');
  });

  it('round prorated costs to cents, half away from zero', () => {
    expect(roundToCents('21.333333333')).toBe('21.33');
    expect(roundToCents('21.335')).toBe('21.34');
    expect(roundToCents('0.004')).toBe('0.00');
    expect(roundToCents('-0.004')).toBe('0.00');
    expect(roundToCents('-3.005')).toBe('-3.01');
    expect(roundToCents('7')).toBe('7.00');
  });
});

describe('history', () => {
  const events = [
    event({
      kind: 'resize',
      at: '2026-02-01T00:00:00Z',
      plan: { slug: 'large', name: 'Large' },
      monthlyPrice: '80',
    }),
    event({}),
    event({
      kind: 'end',
      at: '2026-02-20T00:00:00Z',
      plan: { slug: 'large', name: 'Large' },
      monthlyPrice: '80',
    }),
  ];

  it('steps the monthly price in time order, down to zero at the end', () => {
    const steps = priceSteps(events);
    expect(steps.map((s) => s.monthlyPrice)).toEqual(['40.000000000', '80', '0']);
    expect(maxPrice(steps)).toBe('80');
    expect(maxPrice([])).toBe('0');
  });

  it('describes a resize against the event before it', () => {
    const d = describeEvent(events[0]!, events[1]);
    expect(d.title).toBe('Changed from Small to Large');
    expect(d.detail).toBe('€80.00 a month (+€40.00)');
  });

  it('names only what a transfer changed', () => {
    const before = event({});
    const after = event({ kind: 'transfer', costCentre: { code: 'FIN-200', name: 'Finance' } });
    expect(describeEvent(after, before).detail).toBe('To cost centre FIN-200 — Finance');
    const toRita = event({ kind: 'transfer', owner: person('00000000-0000-4000-8000-000000000002', 'Rita') });
    expect(describeEvent(toRita, before).detail).toBe('To owner Rita');
  });
});

describe('field messages', () => {
  it('lead with the label only when the message reads after it', () => {
    expect(fieldMessage('Justification', 'is required')).toBe('Justification is required.');
    expect(fieldMessage('New owner', 'no active user x@example.com')).toBe('No active user x@example.com.');
    expect(fieldMessage('Note', 'Too long.')).toBe('Too long.');
    expect(fieldMessage('Note', undefined)).toBeUndefined();
  });
});

describe('price chart', () => {
  it('is drawn only when the price moved', () => {
    const flat = [event({}), event({ kind: 'transfer', at: '2026-02-01T00:00:00Z', monthlyPrice: '40.00' })];
    expect(priceChanged(priceSteps(flat))).toBe(false);
    expect(priceChanged(priceSteps([...flat, event({ kind: 'end', at: '2026-02-02T00:00:00Z' })]))).toBe(
      true,
    );
  });
});

describe('team tab', () => {
  it('is offered to approvers, finance and admins without asking', () => {
    expect(teamRoles(['requester'])).toBe(false);
    expect(teamRoles(['requester', 'approver'])).toBe(true);
    expect(teamRoles(['finance'])).toBe(true);
  });
});
