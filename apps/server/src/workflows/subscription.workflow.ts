// What owners do with a subscription, across modules: resize or upgrade and extend a lease
// (orders through approval and fulfilment, placed by the order journey), decommission (the
// fulfilment engine undoes the delivering steps: unbind, deprovision), transfer, and the lease's
// reminders and end. Presenting one needs the catalogue (plans, upgrades) and open orders.
import type {
  ChangeBody,
  ChangePlaced,
  DecommissionBody,
  ExtendBody,
  PlanChoice,
  TransferBody,
  UpgradeOffer,
} from '@portico/shared';
import { formatMoney } from '@portico/shared';
import type { z } from 'zod';
import { hasRole, systemActor, type Actor } from '../platform/actor.ts';
import type { Executor, Tx } from '../platform/db.ts';
import { conflict, invalid } from '../platform/errors.ts';
import { usageCostSoFar } from '../modules/billing/index.ts';
import { offerOf, planRefs, serviceIdsNamed } from '../modules/catalog/index.ts';
import { personByEmail, reportIds } from '../modules/identity/index.ts';
import {
  findSubscription,
  getOwned,
  markEnding,
  transfer,
  type Extras,
  type Team,
} from '../modules/inventory/index.ts';
import { notify } from '../modules/notify/index.ts';
import { advanceLine, linesWithOrders, openChanges, orderNumber } from '../modules/ordering/index.ts';
import { cancelChain } from '../modules/approvals/index.ts';
import {
  chargeableCostCentre,
  costCentreByCode,
  costCentreIdsOwnedBy,
  costCentreRefs,
} from '../modules/org/index.ts';
import { LEASE_JOB, type LeaseMoment, type orderJourney } from './order-journey.workflow.ts';

type Journey = ReturnType<typeof orderJourney>;
type Offer = NonNullable<Awaited<ReturnType<typeof offerOf>>>;

/** What changed from the plan as bought (in its version's document) to the plan offered now. */
function upgradeOf(offer: Offer, owned: { version: number; planSlug: string }): UpgradeOffer | null {
  if (!offer.service.orderable || offer.service.version <= owned.version) return null;
  const before = offer.documents.get(owned.version)?.plans.find((p) => p.slug === owned.planSlug);
  const now = offer.plans.find((p) => p.slug === owned.planSlug);
  if (!before || !now) return null;
  const changes: string[] = [];
  const money = (amount: string) => formatMoney(amount, now.currency);
  if (Number(before.monthlyPrice) !== Number(now.monthlyPrice))
    changes.push(`Monthly price ${money(before.monthlyPrice)} → ${money(now.monthlyPrice)}`);
  for (const f of now.features) if (!before.features.includes(f)) changes.push(`New: ${f}`);
  for (const f of before.features) if (!now.features.includes(f)) changes.push(`No longer: ${f}`);
  if (before.sla.availability !== now.sla.availability)
    changes.push(`Availability ${before.sla.availability} → ${now.sla.availability}`);
  if (before.sla.supportHours !== now.sla.supportHours)
    changes.push(`Support ${before.sla.supportHours} → ${now.sla.supportHours}`);
  const boughtPlans = new Set(offer.documents.get(owned.version)?.plans.map((p) => p.slug));
  for (const p of offer.plans) if (!boughtPlans.has(p.slug)) changes.push(`New plan: ${p.name}`);
  if (changes.length === 0) return null;
  return {
    version: offer.service.version,
    plan: { slug: now.slug, name: now.name },
    currency: now.currency,
    monthlyPrice: now.monthlyPrice,
    changes,
  };
}

export function subscriptionJourney(journey: Journey) {
  async function offers(ex: Executor, serviceIds: string[]) {
    const result = new Map<string, Offer>();
    for (const id of new Set(serviceIds)) {
      const offer = await offerOf(ex, id);
      if (offer) result.set(id, offer);
    }
    return result;
  }

  /**
   * Takes it down. A change still waiting for approval is withdrawn (it would change nothing);
   * one already being delivered must finish first, or the two would work on the same resource.
   */
  async function decommission(tx: Tx, actor: Actor, id: string, reason: string | null) {
    const row = await markEnding(tx, actor, id, reason);
    const change = (await openChanges(tx, [row.id])).get(row.id);
    if (change?.status === 'in_fulfilment')
      throw conflict(
        `${change.orderNumber} is changing it right now; decommission it once that is delivered`,
      );
    if (change) {
      await advanceLine(tx, actor, change.lineId, 'cancelled', {
        note: 'The subscription is being decommissioned',
      });
      await cancelChain(tx, change.lineId);
    }
    await journey.decommissionLine(tx, actor, row.orderLineId);
  }

  /** Resize, upgrade or extend: one order line for this subscription, through the usual checkout. */
  async function placeChange(
    tx: Tx,
    actor: Actor,
    id: string,
    purpose: 'change' | 'extend',
    line: { plan: string; options: Record<string, unknown>; justification: string },
    key: string,
  ): Promise<ChangePlaced> {
    const row = await getOwned(tx, actor, id);
    if (row.status !== 'active') throw conflict('Only an active subscription can change');
    if ((await openChanges(tx, [row.id])).size)
      throw conflict('A change of it is already on its way; wait for that order first');
    const offer = (await offers(tx, [row.serviceId])).get(row.serviceId)!;
    const costCentre = (await costCentreRefs(tx, [row.costCentreId])).get(row.costCentreId)!;
    const placed = await journey.placeOrder(
      tx,
      actor,
      {
        costCentre: costCentre.code,
        justification: line.justification,
        slaAccepted: true,
        lines: [
          { service: offer.service.slug, plan: line.plan, options: line.options, quantity: row.quantity },
        ],
      },
      key,
      undefined,
      { purpose, subscriptionId: row.id },
    );
    const { line: placedLine, order } = (await linesWithOrders(tx, placed.lineIds)).get(placed.lineIds[0]!)!;
    return {
      orderId: order.id,
      orderNumber: orderNumber(order.seq),
      done: placedLine.status === 'delivered',
    };
  }

  return {
    async teamOf(ex: Executor, actor: Actor): Promise<Team> {
      if (!actor.userId) return { costCentreIds: [], ownerIds: [], all: false };
      if (hasRole(actor, 'finance', 'admin')) return { costCentreIds: [], ownerIds: [], all: true };
      const [costCentreIds, ownerIds] = await Promise.all([
        costCentreIdsOwnedBy(ex, actor.userId),
        reportIds(ex, actor.userId),
      ]);
      return { costCentreIds, ownerIds, all: false };
    },

    serviceIdsNamed,

    async costCentreIdOf(ex: Executor, code: string) {
      return (
        await costCentreByCode(ex, code).catch(() => {
          throw invalid('costCentre', `no cost centre ${code}`);
        })
      ).id;
    },

    async extras(
      ex: Executor,
      rows: { id: string; serviceId: string; serviceVersion: number; planId: string }[],
    ): Promise<Extras> {
      const [pending, byService, plans, usageThisMonth] = await Promise.all([
        openChanges(
          ex,
          rows.map((r) => r.id),
        ),
        offers(
          ex,
          rows.map((r) => r.serviceId),
        ),
        planRefs(
          ex,
          rows.map((r) => r.planId),
        ),
        usageCostSoFar(
          ex,
          rows.map((r) => r.id),
          new Date(),
        ),
      ]);
      const upgrades = new Map<string, UpgradeOffer>();
      for (const r of rows) {
        const offer = byService.get(r.serviceId);
        const upgrade =
          offer && upgradeOf(offer, { version: r.serviceVersion, planSlug: plans.get(r.planId)!.slug });
        if (upgrade) upgrades.set(r.id, upgrade);
      }
      const resizable = new Set(
        [...byService].filter(([, o]) => o.service.orderable && o.plans.length > 1).map(([id]) => id),
      );
      return { pending, upgrades, resizable, usageThisMonth };
    },

    async plans(ex: Executor, row: { serviceId: string; planId: string }): Promise<PlanChoice[]> {
      const offer = await offerOf(ex, row.serviceId);
      const current = (await planRefs(ex, [row.planId])).get(row.planId)?.slug;
      if (!offer?.service.orderable) return [];
      return offer.plans.map((p) => ({
        slug: p.slug,
        name: p.name,
        currency: p.currency,
        monthlyPrice: p.monthlyPrice,
        oneTimePrice: p.oneTimePrice,
        features: p.features,
        leadTimeDays: p.leadTimeDays,
        current: p.slug === current,
      }));
    },

    decommission: (tx: Tx, actor: Actor, id: string, body: z.output<typeof DecommissionBody>) =>
      decommission(tx, actor, id, body.reason ?? null),

    async transfer(tx: Tx, actor: Actor, id: string, body: z.output<typeof TransferBody>) {
      const row = await getOwned(tx, actor, id);
      const owner = body.owner ? await personByEmail(tx, body.owner) : null;
      if (body.owner && !owner) throw invalid('owner', `no active user ${body.owner}`);
      const ownerId = owner?.id ?? row.ownerId;
      // Whoever owns it from now on must be allowed to charge the cost centre that pays for it.
      const code =
        body.costCentre ?? (await costCentreRefs(tx, [row.costCentreId])).get(row.costCentreId)!.code;
      const costCentre = await chargeableCostCentre(tx, ownerId, code, 'costCentre');
      await transfer(tx, actor, id, { ownerId, costCentreId: costCentre.id }, body.note ?? null);
      if (ownerId !== row.ownerId) {
        await notify(tx, [ownerId], {
          kind: 'subscription.transferred',
          title: `${row.name} is yours now`,
          body: `Transferred to you${body.note ? `: ${body.note}` : '.'}`,
          link: `/services/${row.id}`,
        });
      }
    },

    async change(tx: Tx, actor: Actor, id: string, body: z.output<typeof ChangeBody>, key: string) {
      const row = await getOwned(tx, actor, id);
      const current = (await planRefs(tx, [row.planId])).get(row.planId)!;
      const offer = (await offers(tx, [row.serviceId])).get(row.serviceId);
      if (body.plan === current.slug && (!offer || offer.service.version <= row.serviceVersion))
        throw invalid('plan', `it is on ${current.name} already`);
      return placeChange(
        tx,
        actor,
        id,
        'change',
        {
          plan: body.plan,
          options: body.options ?? row.options,
          justification: body.justification || `Move ${row.name} to ${body.plan}`,
        },
        key,
      );
    },

    async extend(tx: Tx, actor: Actor, id: string, body: z.output<typeof ExtendBody>, key: string) {
      const row = await getOwned(tx, actor, id);
      if (!row.leaseEndsAt) throw conflict('It has no lease to extend');
      const current = (await planRefs(tx, [row.planId])).get(row.planId)!;
      return placeChange(
        tx,
        actor,
        id,
        'extend',
        {
          plan: current.slug,
          options: row.options,
          justification: body.justification || `Extend the lease of ${row.name}`,
        },
        key,
      );
    },

    /** Job: a lease's moment came (unless it was extended or ended meanwhile). */
    async leaseDue(tx: Tx, data: { subscriptionId: string; endsAt: string; moment: LeaseMoment }) {
      const row = await findSubscription(tx, data.subscriptionId);
      if (!row || row.status !== 'active' || row.leaseEndsAt?.toISOString() !== data.endsAt) return;
      const day = row.leaseEndsAt.toISOString().slice(0, 10);
      const link = `/services/${row.id}`;
      switch (data.moment) {
        case 'remind':
          await notify(tx, [row.ownerId], {
            kind: 'subscription.lease_ending',
            title: `${row.name}: lease ends on ${day}`,
            body: 'Extend it with one click if you still need it; otherwise it is decommissioned after a grace period.',
            link,
          });
          return;
        case 'expired':
          await notify(tx, [row.ownerId], {
            kind: 'subscription.lease_ended',
            title: `${row.name}: lease ended`,
            body: `It keeps working for ${row.leaseGraceDays ?? 0} more days, then it is decommissioned. Extend it to keep it.`,
            link,
          });
          return;
        case 'end':
          await decommission(tx, systemActor(`job:${LEASE_JOB}:${row.id}`), row.id, 'lease ended');
      }
    },
  };
}
