import type { OptionShown, Sla, Subscription } from '@portico/shared';
import type { Actor } from '../../platform/actor.ts';
import { hasRole } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { planRefs, serviceRefs } from '../catalog/index.ts';
import { people } from '../identity/index.ts';
import { costCentreRefs } from '../org/index.ts';
import * as repo from './inventory.repo.ts';

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
  lease: { endsAt: Date; graceDays: number } | null;
}

/** Starts the subscription for a delivered line (once; a repeat returns the first). */
export async function startSubscription(tx: Tx, actor: Actor, d: Delivery): Promise<repo.SubscriptionRow> {
  const { lease, ...row } = d;
  const created = await repo.insertOnce(tx, {
    ...row,
    leaseEndsAt: lease?.endsAt ?? null,
    leaseGraceDays: lease?.graceDays ?? null,
    startedAt: new Date(),
  });
  if (!created) return (await repo.findByLine(tx, d.orderLineId))!;
  await recordAudit(tx, actor, {
    action: 'subscription.started',
    entityType: 'subscription',
    entityId: created.id,
    after: {
      status: 'active',
      ownerId: d.ownerId,
      planId: d.planId,
      startedAt: created.startedAt.toISOString(),
    },
  });
  return created;
}

const canSee = (actor: Actor, s: repo.SubscriptionRow) =>
  s.ownerId === actor.userId || hasRole(actor, 'admin');

/** A subscription the actor owns (or any, for admins); others get 404, not a hint it exists. */
export async function getOwned(ex: Executor, actor: Actor, id: string): Promise<repo.SubscriptionRow> {
  const row = await repo.find(ex, id);
  if (!row || !canSee(actor, row)) throw notFound('Subscription');
  return row;
}

async function present(ex: Executor, rows: repo.SubscriptionRow[]): Promise<Subscription[]> {
  const [services, plans, who, centres] = await Promise.all([
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
  ]);
  return rows.map((r) => {
    const sla = r.sla as Sla;
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      owner: who.get(r.ownerId)!,
      costCentre: centres.get(r.costCentreId)!,
      service: services.get(r.serviceId)!,
      plan: plans.get(r.planId)!,
      quantity: r.quantity,
      currency: r.currency,
      monthlyPrice: r.monthlyPrice,
      sla: {
        name: sla.name,
        availability: sla.availability,
        supportHours: sla.supportHours,
        responseHours: sla.responseHours,
        resolutionHours: sla.resolutionHours,
        summary: sla.summary,
      },
      outputs: r.outputs,
      startedAt: r.startedAt.toISOString(),
      orderId: r.orderId,
    };
  });
}

export async function getSubscription(ex: Executor, actor: Actor, id: string): Promise<Subscription> {
  return (await present(ex, [await getOwned(ex, actor, id)]))[0]!;
}

export async function listMine(ex: Executor, actor: Actor, query: { limit: number; cursor?: string }) {
  if (!actor.userId) return { items: [], nextCursor: null };
  const page = trimPage(
    await repo.listOwnedBy(ex, actor.userId, query.limit, decodeCursor(query.cursor)),
    query.limit,
    (r) => ({ at: r.startedAt, id: r.id }),
  );
  return { items: await present(ex, page.rows), nextCursor: page.nextCursor };
}

/** Names of subscriptions, for lists that mention them (tickets); not an authorization check. */
export async function subscriptionRefs(ex: Executor, ids: string[]) {
  const rows = await repo.findMany(ex, [...new Set(ids)]);
  return new Map(rows.map((s) => [s.id, { id: s.id, name: s.name, serviceId: s.serviceId }]));
}
