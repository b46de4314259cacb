import { hasRole, type Actor } from '../../platform/actor.ts';
import { forbidden } from '../../platform/errors.ts';

/** Catalogue managers (and admins) write the catalogue and see drafts. */
export const seesDrafts = (actor: Actor) => hasRole(actor, 'catalog_manager', 'admin');

export function requireCatalogManager(actor: Actor): void {
  if (!seesDrafts(actor)) throw forbidden('Only catalogue managers may do this');
}
