import { hasRole, type Actor } from '../../platform/actor.ts';
import { forbidden } from '../../platform/errors.ts';

/** Prices and the bill are finance's (admins may stand in). */
export function mayManageBilling(actor: Actor): void {
  if (!hasRole(actor, 'admin', 'finance')) throw forbidden('Only finance and admins see and change billing');
}
