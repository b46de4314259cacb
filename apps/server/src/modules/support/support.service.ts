import type { CreateTicketBody, Ticket } from '@portico/shared';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import { hasRole } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { serviceRefs } from '../catalog/index.ts';
import { teamForPlan } from '../fulfilment/index.ts';
import { people, teamIdsOf, teamRefs } from '../identity/index.ts';
import { getOwned, subscriptionRefs } from '../inventory/index.ts';
import * as repo from './support.repo.ts';

export const ticketNumber = (seq: number) => `TCK-${String(seq).padStart(6, '0')}`;

/** Raises a ticket on something the caller owns; it lands in the queue of the team that delivers it. */
export async function raiseTicket(
  tx: Tx,
  actor: Actor,
  input: z.output<typeof CreateTicketBody>,
): Promise<Ticket> {
  const subscription = await getOwned(tx, actor, input.subscription).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'NotFound'
      ? new AppError('Invalid', 'subscription: you own no subscription with this id', [
          { path: 'subscription', message: 'you own no subscription with this id' },
        ])
      : err;
  });
  const teamId = await teamForPlan(tx, subscription.planId);
  if (!teamId) throw new AppError('Internal', 'No team supports this subscription’s plan');
  const ticket = await repo.insertTicket(tx, {
    subscriptionId: subscription.id,
    requesterId: actor.userId!,
    teamId,
    summary: input.summary,
    description: input.description,
  });
  await recordAudit(tx, actor, {
    action: 'ticket.opened',
    entityType: 'ticket',
    entityId: ticket.id,
    after: { status: 'open', subscriptionId: subscription.id, teamId },
  });
  return (await present(tx, [ticket], new Map([[subscription.id, subscription]])))[0]!;
}

async function present(
  ex: Executor,
  rows: repo.TicketRow[],
  subscriptions: Map<string, { id: string; name: string; serviceId: string }>,
): Promise<Ticket[]> {
  const who = await people(
    ex,
    rows.map((r) => r.requesterId),
  );
  const teams = await teamRefs(
    ex,
    rows.map((r) => r.teamId),
  );
  const services = await serviceRefs(
    ex,
    [...subscriptions.values()].map((s) => s.serviceId),
  );
  return rows.map((r) => {
    const sub = subscriptions.get(r.subscriptionId)!;
    return {
      id: r.id,
      number: ticketNumber(r.seq),
      summary: r.summary,
      description: r.description,
      status: r.status,
      requester: who.get(r.requesterId)!,
      team: teams.get(r.teamId)!,
      subscription: { id: sub.id, name: sub.name, service: services.get(sub.serviceId)!.name },
      createdAt: r.createdAt.toISOString(),
    };
  });
}

export async function listTickets(
  ex: Executor,
  actor: Actor,
  query: { scope: 'mine' | 'team'; limit: number; cursor?: string },
) {
  if (!actor.userId) throw forbidden();
  const after = decodeCursor(query.cursor);
  let rows: repo.TicketRow[];
  if (query.scope === 'team') {
    if (!hasRole(actor, 'fulfiller')) throw forbidden('Only fulfillers see their teams’ tickets');
    rows = await repo.listForTeams(ex, await teamIdsOf(ex, actor.userId), query.limit, after);
  } else {
    rows = await repo.listRaisedBy(ex, actor.userId, query.limit, after);
  }
  const page = trimPage(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }));
  const subscriptions = await subscriptionRefs(
    ex,
    page.rows.map((r) => r.subscriptionId),
  );
  return { items: await present(ex, page.rows, subscriptions), nextCursor: page.nextCursor };
}
