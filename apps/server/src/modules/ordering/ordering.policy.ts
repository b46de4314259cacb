import type { Actor } from '../../platform/actor.ts';
import { hasRole } from '../../platform/actor.ts';
import type { Executor } from '../../platform/db.ts';
import type { OrderRow } from './ordering.repo.ts';

/** The requester and admins see an order; so does whoever approves or fulfils part of it. */
export async function canSeeOrder(
  ex: Executor,
  actor: Actor,
  order: OrderRow,
  involved: (ex: Executor, userId: string, orderId: string) => Promise<boolean>,
): Promise<boolean> {
  if (!actor.userId) return false;
  if (order.requesterId === actor.userId || hasRole(actor, 'admin')) return true;
  return involved(ex, actor.userId, order.id);
}
