import { monthOf, recurringSegments, roundMoney } from '@portico/shared';
import type {
  Lease,
  OptionShown,
  PendingChange,
  PlanChoice,
  Sla,
  Subscription,
  SubscriptionDetail,
  SubscriptionEvent,
  SubscriptionQuery,
  UpgradeOffer,
} from '@portico/shared';
import Decimal from 'decimal.js';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import { hasRole } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { planRefs, serviceRefs } from '../catalog/index.ts';
import { people } from '../identity/index.ts';
import { costCentreRefs } from '../org/index.ts';
import * as repo from './inventory.repo.ts';

const DAY_MS = 86_400_000;
/** A lease "ends soon" (reminders, the badge) this close to its end. */
export const LEASE_SOON_DAYS = 14;

export interface Delivery {
  orderId: string;
  orderLineId: string;
  ownerId: string;
  costCentreId: string;
  serviceId: string;
  planId: string;
  name: string;
  serviceVersion: number;
  options: Record<string, unknown>;
  optionsShown: OptionShown[];
  quantity: number;
  currency: string;
  monthlyPrice: string;
  sla: Record<string, unknown>;
  outputs: Record<string, string>;
  /** Sealed (platform/secrets). */
  credentials: string | null;
  lease: { days: number; graceDays: number } | null;
}

type Row = repo.SubscriptionRow;

/** The event billing reads: the subscription's state after the change, at that moment. */
async function recordEvent(
  tx: Tx,
  actor: Actor,
  row: Row,
  kind: SubscriptionEvent['kind'],
  at: Date,
  note: string | null = null,
) {
  await repo.insertEvent(tx, {
    subscriptionId: row.id,
    kind,
    at,
    ownerId: row.ownerId,
    costCentreId: row.costCentreId,
    planId: row.planId,
    quantity: row.quantity,
    currency: row.currency,
    monthlyPrice: row.monthlyPrice,
    actorId: actor.userId,
    note,
  });
}

/** Starts the subscription for a delivered line (once; a repeat returns the first). */
export async function startSubscription(tx: Tx, actor: Actor, d: Delivery): Promise<Row> {
  const { lease, ...row } = d;
  const startedAt = new Date();
  const created = await repo.insertOnce(tx, {
    ...row,
    leaseEndsAt: lease ? new Date(startedAt.getTime() + lease.days * DAY_MS) : null,
    leaseGraceDays: lease?.graceDays ?? null,
    startedAt,
  });
  if (!created) return (await repo.findByLine(tx, d.orderLineId))!;
  await recordEvent(tx, actor, created, 'start', startedAt);
  await recordAudit(tx, actor, {
    action: 'subscription.started',
    entityType: 'subscription',
    entityId: created.id,
    after: {
      status: 'active',
      ownerId: d.ownerId,
      planId: d.planId,
      startedAt: startedAt.toISOString(),
      leaseEndsAt: created.leaseEndsAt?.toISOString() ?? null,
    },
  });
  return created;
}

/** A resize or upgrade was delivered: from this moment the subscription is on the new plan. */
export async function switchPlan(
  tx: Tx,
  actor: Actor,
  id: string,
  to: {
    planId: string;
    serviceVersion: number;
    options: Record<string, unknown>;
    optionsShown: OptionShown[];
    quantity: number;
    monthlyPrice: string;
    sla: Record<string, unknown>;
    outputs: Record<string, string>;
  },
  note: string,
): Promise<Row> {
  const before = await repo.lock(tx, id);
  if (!before) throw notFound('Subscription');
  const after = await repo.update(tx, id, { ...to, outputs: { ...before.outputs, ...to.outputs } });
  await recordEvent(tx, actor, after, 'resize', new Date(), note);
  await recordAudit(tx, actor, {
    action: 'subscription.resized',
    entityType: 'subscription',
    entityId: id,
    before: {
      planId: before.planId,
      serviceVersion: before.serviceVersion,
      monthlyPrice: before.monthlyPrice,
    },
    after: { planId: after.planId, serviceVersion: after.serviceVersion, monthlyPrice: after.monthlyPrice },
  });
  return after;
}

/** Another owner or cost centre from now on; billing charges the new one from this moment. */
export async function transfer(
  tx: Tx,
  actor: Actor,
  id: string,
  to: { ownerId?: string; costCentreId?: string },
  note: string | null,
): Promise<Row> {
  const before = await lockActive(tx, actor, id);
  if (
    (to.ownerId ?? before.ownerId) === before.ownerId &&
    (to.costCentreId ?? before.costCentreId) === before.costCentreId
  )
    throw conflict('That is who owns it and pays for it already');
  const after = await repo.update(tx, id, {
    ownerId: to.ownerId ?? before.ownerId,
    costCentreId: to.costCentreId ?? before.costCentreId,
  });
  await recordEvent(tx, actor, after, 'transfer', new Date(), note);
  await recordAudit(tx, actor, {
    action: 'subscription.transferred',
    entityType: 'subscription',
    entityId: id,
    before: { ownerId: before.ownerId, costCentreId: before.costCentreId },
    after: { ownerId: after.ownerId, costCentreId: after.costCentreId, note },
  });
  return after;
}

/** Decommissioning starts: it is being taken down; billing ends when that is done. */
export async function markEnding(tx: Tx, actor: Actor, id: string, reason: string | null): Promise<Row> {
  const before = await lockActive(tx, actor, id);
  const after = await repo.update(tx, id, { status: 'ending' });
  await recordAudit(tx, actor, {
    action: 'subscription.decommissioning',
    entityType: 'subscription',
    entityId: id,
    before: { status: before.status },
    after: { status: 'ending', reason },
  });
  return after;
}

/** What it provides is gone (deprovisioned): the subscription ends, and so does its billing. */
export async function endSubscription(tx: Tx, actor: Actor, orderLineId: string): Promise<Row | null> {
  const found = await repo.findByLine(tx, orderLineId);
  if (!found) return null;
  const before = (await repo.lock(tx, found.id))!;
  if (before.status === 'ended') return before;
  const endedAt = new Date();
  const after = await repo.update(tx, before.id, { status: 'ended', endedAt });
  await recordEvent(tx, actor, after, 'end', endedAt);
  await recordAudit(tx, actor, {
    action: 'subscription.ended',
    entityType: 'subscription',
    entityId: before.id,
    before: { status: before.status },
    after: { status: 'ended', endedAt: endedAt.toISOString() },
  });
  return after;
}

/** The lease runs `days` longer, counted from its current end (or from now, in its grace period). */
export async function extendLease(tx: Tx, actor: Actor, id: string, days: number): Promise<Row> {
  const before = await repo.lock(tx, id);
  if (!before) throw notFound('Subscription');
  if (before.status !== 'active' || !before.leaseEndsAt)
    throw conflict('Only an active lease can be extended');
  const from = Math.max(before.leaseEndsAt.getTime(), Date.now());
  const after = await repo.update(tx, id, { leaseEndsAt: new Date(from + days * DAY_MS) });
  await recordEvent(
    tx,
    actor,
    after,
    'extend',
    new Date(),
    `Lease until ${after.leaseEndsAt!.toISOString()}`,
  );
  await recordAudit(tx, actor, {
    action: 'subscription.lease_extended',
    entityType: 'subscription',
    entityId: id,
    before: { leaseEndsAt: before.leaseEndsAt.toISOString() },
    after: { leaseEndsAt: after.leaseEndsAt!.toISOString() },
  });
  return after;
}

/** The sealed credentials, for the owner (or an admin); every look is on the audit log. */
export async function revealCredentials(tx: Tx, actor: Actor, id: string): Promise<string> {
  const row = await getVisible(tx, actor, id);
  if (!canAct(actor, row)) throw forbidden('Only the owner can see its credentials');
  if (!row.credentials || row.status === 'ended') throw notFound('Credentials');
  await recordAudit(tx, actor, {
    action: 'subscription.credentials_revealed',
    entityType: 'subscription',
    entityId: id,
  });
  return row.credentials;
}

// ---- who sees what --------------------------------------------------------------------------

/** Whom a team view covers: cost centres someone owns and the people who report to them. */
export interface Team {
  costCentreIds: string[];
  ownerIds: string[];
  /** Finance and admins see every subscription. */
  all: boolean;
}

const canAct = (actor: Actor, s: Row) => s.ownerId === actor.userId || hasRole(actor, 'admin');

/** A subscription the actor may see: theirs, their team's, or any for finance and admins; else 404. */
export async function getVisible(ex: Executor, actor: Actor, id: string, team?: Team): Promise<Row> {
  const row = await repo.find(ex, id);
  const sees =
    row &&
    (row.ownerId === actor.userId ||
      hasRole(actor, 'admin', 'finance') ||
      team?.costCentreIds.includes(row.costCentreId) ||
      team?.ownerIds.includes(row.ownerId));
  if (!sees) throw notFound('Subscription');
  return row;
}

/** A subscription the actor owns (or any, for admins); others get 404, not a hint it exists. */
export async function getOwned(ex: Executor, actor: Actor, id: string): Promise<Row> {
  const row = await repo.find(ex, id);
  if (!row || !canAct(actor, row)) throw notFound('Subscription');
  return row;
}

/** Jobs (a lease running out) act on anyone's subscription; people only on their own. */
async function lockActive(tx: Tx, actor: Actor, id: string): Promise<Row> {
  if (actor.userId) await getOwned(tx, actor, id);
  const row = await repo.lock(tx, id);
  if (!row) throw notFound('Subscription');
  if (row.status !== 'active')
    throw conflict(`It is ${row.status === 'ending' ? 'being decommissioned' : 'ended'}`);
  return row;
}

// ---- presenting -----------------------------------------------------------------------------

/** What other modules know about a subscription's service, pending orders and plans. */
export interface Extras {
  pending: Map<string, PendingChange>;
  upgrades: Map<string, UpgradeOffer>;
  /** Services whose plans can be switched between (more than one orderable plan). */
  resizable: Set<string>;
  /** Metered use so far this month, rated as the bill rates it, by subscription (none: 0). */
  usageThisMonth: Map<string, string>;
}

function leaseOf(r: Row, now: Date): Lease | null {
  if (!r.leaseEndsAt || r.status === 'ended') return null;
  const graceUntil = new Date(r.leaseEndsAt.getTime() + (r.leaseGraceDays ?? 0) * DAY_MS);
  const left = r.leaseEndsAt.getTime() - now.getTime();
  return {
    endsAt: r.leaseEndsAt.toISOString(),
    graceUntil: graceUntil.toISOString(),
    state: left <= 0 ? 'in_grace' : left <= LEASE_SOON_DAYS * DAY_MS ? 'ending_soon' : 'running',
    extensionDays: Math.round((r.leaseEndsAt.getTime() - r.startedAt.getTime()) / DAY_MS) || 1,
  };
}

async function present(
  ex: Executor,
  actor: Actor,
  rows: Row[],
  extras: Extras,
): Promise<{ items: Subscription[]; events: Map<string, repo.EventRow[]> }> {
  const [services, plans, who, centres, allEvents] = await Promise.all([
    serviceRefs(
      ex,
      rows.map((r) => r.serviceId),
    ),
    planRefs(
      ex,
      rows.map((r) => r.planId),
    ),
    people(
      ex,
      rows.map((r) => r.ownerId),
    ),
    costCentreRefs(
      ex,
      rows.map((r) => r.costCentreId),
    ),
    repo.eventsOf(
      ex,
      rows.map((r) => r.id),
    ),
  ]);
  const events = new Map<string, repo.EventRow[]>();
  for (const e of allEvents) events.set(e.subscriptionId, [...(events.get(e.subscriptionId) ?? []), e]);
  const now = new Date();
  const month = monthOf(now);
  const items = rows.map((r): Subscription => {
    const sla = r.sla as Sla;
    const active = r.status === 'active';
    const mine = canAct(actor, r);
    const pending = extras.pending.get(r.id) ?? null;
    const lease = leaseOf(r, now);
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      owner: who.get(r.ownerId)!,
      costCentre: centres.get(r.costCentreId)!,
      service: { ...services.get(r.serviceId)!, version: r.serviceVersion },
      plan: plans.get(r.planId)!,
      optionsShown: r.optionsShown,
      quantity: r.quantity,
      currency: r.currency,
      monthlyPrice: r.monthlyPrice,
      // The bill's own arithmetic: recurring fees by the second, each part rounded as a statement
      // line is, and the metered use billing rated.
      costThisMonth: roundMoney(
        recurringSegments(events.get(r.id) ?? [], month, now)
          .reduce((sum, seg) => sum.plus(roundMoney(seg.amount, r.currency)), new Decimal(0))
          .plus(extras.usageThisMonth.get(r.id) ?? 0)
          .toFixed(),
        r.currency,
      ),
      usageThisMonth: roundMoney(extras.usageThisMonth.get(r.id) ?? '0', r.currency),
      sla: {
        name: sla.name,
        availability: sla.availability,
        supportHours: sla.supportHours,
        responseHours: sla.responseHours,
        resolutionHours: sla.resolutionHours,
        summary: sla.summary,
      },
      outputs: r.outputs,
      hasCredentials: r.credentials !== null,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      orderId: r.orderId,
      lease,
      upgrade: active ? (extras.upgrades.get(r.id) ?? null) : null,
      pending,
      actions: {
        change:
          mine && active && !pending && (extras.resizable.has(r.serviceId) || extras.upgrades.has(r.id)),
        decommission: mine && active,
        transfer: mine && active,
        extend: mine && active && lease !== null && !pending,
        ticket: r.ownerId === actor.userId && r.status !== 'ended',
        revealCredentials: mine && r.credentials !== null && r.status !== 'ended',
      },
    };
  });
  return { items, events };
}

export type ExtrasOf = (ex: Executor, rows: Row[]) => Promise<Extras>;

export async function listSubscriptions(
  ex: Executor,
  actor: Actor,
  query: z.output<typeof SubscriptionQuery>,
  context: { team: Team; costCentreId?: string; serviceIds?: string[]; extras: ExtrasOf },
) {
  if (!actor.userId) return { items: [], nextCursor: null };
  const { team } = context;
  const filter: repo.ListFilter = {
    status: query.status,
    ...(query.q ? { q: query.q, serviceIds: context.serviceIds ?? [] } : {}),
    ...(context.costCentreId ? { costCentreId: context.costCentreId } : {}),
    ...(query.scope === 'mine'
      ? { ownerId: actor.userId }
      : team.all
        ? {}
        : { teamOf: { costCentreIds: team.costCentreIds, ownerIds: team.ownerIds } }),
  };
  const page = trimPage(
    await repo.list(ex, filter, query.limit, decodeCursor(query.cursor)),
    query.limit,
    (r) => ({ at: r.startedAt, id: r.id }),
  );
  const { items } = await present(ex, actor, page.rows, await context.extras(ex, page.rows));
  return { items, nextCursor: page.nextCursor };
}

export async function getSubscription(
  ex: Executor,
  actor: Actor,
  id: string,
  context: {
    team: Team;
    extras: ExtrasOf;
    plans: (ex: Executor, row: Row) => Promise<PlanChoice[]>;
    /** The actor just gave it away: show it once more, as it is now. */
    justTransferred?: boolean;
  },
): Promise<SubscriptionDetail> {
  const row = context.justTransferred
    ? ((await repo.find(ex, id)) ?? (await getVisible(ex, actor, id)))
    : await getVisible(ex, actor, id, context.team);
  const { items, events } = await present(ex, actor, [row], await context.extras(ex, [row]));
  const rows = events.get(row.id) ?? [];
  const [plans, who, centres, actors] = await Promise.all([
    planRefs(
      ex,
      rows.map((e) => e.planId),
    ),
    people(
      ex,
      rows.map((e) => e.ownerId),
    ),
    costCentreRefs(
      ex,
      rows.map((e) => e.costCentreId),
    ),
    people(
      ex,
      rows.flatMap((e) => (e.actorId ? [e.actorId] : [])),
    ),
  ]);
  return {
    ...items[0]!,
    events: rows.map((e) => ({
      kind: e.kind,
      at: e.at.toISOString(),
      owner: who.get(e.ownerId)!,
      costCentre: centres.get(e.costCentreId)!,
      plan: plans.get(e.planId)!,
      quantity: e.quantity,
      currency: e.currency,
      monthlyPrice: e.monthlyPrice,
      actor: e.actorId ? (actors.get(e.actorId)?.name ?? null) : null,
      note: e.note,
    })),
    plans: await context.plans(ex, row),
  };
}

/** Names of subscriptions, for lists that mention them (tickets); not an authorization check. */
export async function subscriptionRefs(ex: Executor, ids: string[]) {
  const rows = await repo.findMany(ex, [...new Set(ids)]);
  return new Map(
    rows.map((s) => [
      s.id,
      { id: s.id, name: s.name, serviceId: s.serviceId, planId: s.planId, ownerId: s.ownerId },
    ]),
  );
}

/** Active leases ending before `before`: the lease sweep's work. */
export const leasesEndingBefore = (ex: Executor, before: Date) => repo.leasesEndingBefore(ex, before);

export const findSubscription = (ex: Executor, id: string) => repo.find(ex, id);
export const subscriptionOfLine = (ex: Executor, lineId: string) => repo.findByLine(ex, lineId);

export interface SubscriptionForUsage {
  id: string;
  status: 'active' | 'ending' | 'ended';
  startedAt: Date;
  endedAt: Date | null;
  osbInstanceId: string | null;
}

/**
 * The subscriptions usage events may name (metering): by subscription id, or by the Open
 * Service Broker instance id a broker step recorded in the outputs. Not an authorization check.
 */
export const subscriptionsForUsage = (
  ex: Executor,
  ids: string[],
  instanceIds: string[],
): Promise<SubscriptionForUsage[]> =>
  repo.findByIdsOrInstances(ex, [...new Set(ids)], [...new Set(instanceIds)]);

/**
 * The cost centre a subscription's usage of a period is charged to: whoever held it at the
 * period's end (the close's rule).
 */
export const costCentreChargedFor = (ex: Executor, subscriptionId: string, periodEnd: Date) =>
  repo.holderBefore(ex, subscriptionId, periodEnd);

export const firstSubscriptionEventAt = (ex: Executor) => repo.firstEventAt(ex);

/**
 * What billing rates: the events before `end` of the subscriptions charged to some of
 * `costCentreIds`, or of `subscriptionIds`; each subscription's in order.
 */
export const subscriptionEventsBefore = repo.eventsBefore;
/** The cost centres subscriptions were charged to before `end`, a page at a time (the month close). */
export const billedCostCentres = repo.costCentresBefore;
export const billedCostCentreCount = repo.costCentreCountBefore;
export type BilledEvent = repo.EventRow;
