import type { Role } from '@portico/shared';

/** Who is acting: a signed-in person (by session or API token) or the system (jobs). */
export interface Actor {
  readonly userId: string | null;
  readonly roles: readonly Role[];
  readonly requestId: string;
}

export const systemActor = (requestId: string): Actor => ({ userId: null, roles: [], requestId });

export const hasRole = (actor: Actor, ...roles: Role[]) => roles.some((r) => actor.roles.includes(r));
