import { hasRole, type Actor } from '../../platform/actor.ts';
import { forbidden } from '../../platform/errors.ts';

/** Prices and the bill are finance's (admins may stand in). */
export function mayManageBilling(actor: Actor): void {
  if (!hasRole(actor, 'admin', 'finance')) throw forbidden('Only finance and admins see and change billing');
}

/** A cost centre's running month: its owner sees what they will pay, and finance and admins. */
export function mayReadDraft(actor: Actor, ownerId: string | null): void {
  const owns = actor.userId !== null && actor.userId === ownerId;
  if (!owns && !hasRole(actor, 'admin', 'finance'))
    throw forbidden("Only the cost centre's owner, finance and admins see its draft statement");
}
