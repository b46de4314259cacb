import { hasRole, type Actor } from '../../platform/actor.ts';
import { forbidden } from '../../platform/errors.ts';

/** Catalogue managers (and admins) write the catalogue and see drafts. */
export function requireCatalogManager(actor: Actor): void {
  if (!hasRole(actor, 'catalog_manager', 'admin')) throw forbidden('Only catalogue managers may do this');
}
