import { hasRole, type Actor } from '../../platform/actor.ts';
import { forbidden, unauthorized } from '../../platform/errors.ts';

/**
 * Usage is posted by machines with an API token: a usage_reporter account (a broker, a collector)
 * may post usage and nothing else, so a leaked token cannot do more; admins may too (by hand).
 */
export function mayReportUsage(actor: Actor | null): asserts actor is Actor {
  if (!actor) throw unauthorized('Send an API token of a usage reporter: Authorization: Bearer <token>');
  if (!hasRole(actor, 'usage_reporter', 'admin')) {
    throw forbidden('Only usage reporter accounts (and admins) may post usage');
  }
}

/** Meters and the quarantine: finance reads them (they explain the bill), admins change them. */
export function mayReadMetering(actor: Actor): void {
  if (!hasRole(actor, 'admin', 'finance')) throw forbidden('Only admins and finance see meters and usage');
}

export function mayManageMetering(actor: Actor): void {
  if (!hasRole(actor, 'admin')) throw forbidden('Only admins change meters and resolve quarantined usage');
}
