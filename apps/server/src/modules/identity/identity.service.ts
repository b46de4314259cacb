import { hash, verify } from '@node-rs/argon2';
import type { ApiToken, Me, PersonRef, Role } from '@portico/shared';
import type { Actor } from '../../platform/actor.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { forbidden, notFound, unauthorized } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { costCentresOwnedBy, placementOf } from '../org/index.ts';
import * as repo from './identity.repo.ts';

const TOKEN_PREFIX = 'ptk_';
// Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password.
const decoyHash = hash('portico-decoy-password');

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function login(
  tx: Tx,
  input: { email: string; password: string; ttlHours: number; requestId: string },
): Promise<{ session: NewSession; userId: string }> {
  const user = await repo.findUserByEmail(tx, input.email);
  const ok = await verify(user?.passwordHash ?? (await decoyHash), input.password);
  if (!user || !ok || !user.active) throw unauthorized('Wrong e-mail or password');
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + input.ttlHours * 3600_000);
  await repo.insertSession(tx, { id: sha256(token), userId: user.id, csrfToken, expiresAt });
  const actor = { userId: user.id, roles: user.roles as Role[], requestId: input.requestId };
  await recordAudit(tx, actor, { action: 'session.created', entityType: 'user', entityId: user.id });
  return { session: { token, csrfToken, expiresAt }, userId: user.id };
}

export async function logout(tx: Tx, actor: Actor, sessionToken: string): Promise<void> {
  await repo.deleteSession(tx, sha256(sessionToken));
  await recordAudit(tx, actor, { action: 'session.ended', entityType: 'user', entityId: actor.userId! });
}

export interface Authenticated {
  userId: string;
  roles: Role[];
  via: 'session' | 'token';
  csrfToken: string | null;
}

export async function authenticateSession(ex: Executor, token: string): Promise<Authenticated | null> {
  const row = await repo.findLiveSession(ex, sha256(token));
  if (!row) return null;
  return {
    userId: row.user.id,
    roles: row.user.roles as Role[],
    via: 'session',
    csrfToken: row.session.csrfToken,
  };
}

export async function authenticateToken(ex: Executor, token: string): Promise<Authenticated | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await repo.findLiveToken(ex, sha256(token));
  if (!row) return null;
  await repo.touchToken(ex, row.token.id);
  return { userId: row.user.id, roles: row.user.roles as Role[], via: 'token', csrfToken: null };
}

export async function me(ex: Executor, userId: string, csrfToken: string | null): Promise<Me> {
  const user = await repo.findUser(ex, userId);
  if (!user) throw unauthorized();
  const [manager, placement, myTeams, owned] = await Promise.all([
    user.managerId ? repo.findUser(ex, user.managerId) : undefined,
    placementOf(ex, userId),
    repo.teamsOf(ex, userId),
    costCentresOwnedBy(ex, userId),
  ]);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles as Role[],
    department: placement ? { code: placement.department.code, name: placement.department.name } : null,
    manager: manager ? personRef(manager) : null,
    defaultCostCentre: placement
      ? { code: placement.defaultCostCentre.code, name: placement.defaultCostCentre.name }
      : null,
    chargeableCostCentres: placement?.chargeable.map((c) => ({ code: c.code, name: c.name })) ?? [],
    ownedCostCentres: owned,
    teams: myTeams.map((t) => ({ key: t.key, name: t.name })),
    csrfToken,
  };
}

const personRef = (u: { id: string; name: string; email: string }): PersonRef => ({
  id: u.id,
  name: u.name,
  email: u.email,
});

export async function people(ex: Executor, ids: string[]): Promise<Map<string, PersonRef>> {
  const rows = await repo.findUsers(ex, [...new Set(ids)]);
  return new Map(rows.map((u) => [u.id, personRef(u)]));
}

export async function managerOf(ex: Executor, userId: string): Promise<PersonRef | null> {
  const user = await repo.findUser(ex, userId);
  const manager = user?.managerId ? await repo.findUser(ex, user.managerId) : undefined;
  return manager ? personRef(manager) : null;
}

/** The active person with this e-mail address, if any. */
export async function personByEmail(ex: Executor, email: string): Promise<PersonRef | null> {
  const user = await repo.findUserByEmail(ex, email);
  return user?.active ? personRef(user) : null;
}

/** Active members of team `key` (none when the team does not exist). */
export async function teamMemberIds(ex: Executor, key: string): Promise<string[]> {
  return (await repo.activeMembersOf(ex, key)).map((u) => u.id);
}

export async function userIdsWithRole(ex: Executor, role: Role): Promise<string[]> {
  return (await repo.activeUsersWithRole(ex, role)).map((u) => u.id);
}

export async function teamIdsOf(ex: Executor, userId: string): Promise<string[]> {
  return (await repo.teamsOf(ex, userId)).map((t) => t.id);
}

export async function teamRefs(ex: Executor, ids: string[]) {
  const rows = await repo.findTeams(ex, [...new Set(ids)]);
  return new Map(rows.map((t) => [t.id, { key: t.key, name: t.name }]));
}

export const listTeams = (ex: Executor) => repo.listTeams(ex);

export async function teamByKey(ex: Executor, key: string) {
  const team = await repo.findTeamByKey(ex, key);
  if (!team) throw notFound(`Team ${key}`);
  return team;
}

// ---- API tokens ------------------------------------------------------------------------

const presentToken = (t: Awaited<ReturnType<typeof repo.insertToken>>): ApiToken => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
});

export async function createToken(tx: Tx, actor: Actor, name: string) {
  const userId = actor.userId;
  if (!userId) throw forbidden();
  const token = TOKEN_PREFIX + randomToken();
  const row = await repo.insertToken(tx, {
    userId,
    name,
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    tokenHash: sha256(token),
  });
  await recordAudit(tx, actor, {
    action: 'api_token.created',
    entityType: 'api_token',
    entityId: row.id,
    after: { name },
  });
  return { ...presentToken(row), token };
}

export async function listTokens(ex: Executor, actor: Actor): Promise<ApiToken[]> {
  return (await repo.listTokens(ex, actor.userId!)).map(presentToken);
}

export async function revokeToken(tx: Tx, actor: Actor, id: string): Promise<void> {
  if (!(await repo.revokeToken(tx, actor.userId!, id))) throw notFound('API token');
  await recordAudit(tx, actor, { action: 'api_token.revoked', entityType: 'api_token', entityId: id });
}

/** An API token made from a secret the caller derived (a launcher hands it to a machine). */
export const machineToken = (secret: string) => TOKEN_PREFIX + secret;

/**
 * A machine account (created when missing, with a password nobody knows) and its API token
 * `token` from `machineToken`, stored by hash when it is not yet: safe on every start. A token an
 * admin revoked stays revoked; `live` says whether it works.
 */
export async function ensureMachineAccount(
  tx: Tx,
  actor: Actor,
  input: { email: string; name: string; roles: Role[]; tokenName: string; token: string },
): Promise<{ userId: string; live: boolean }> {
  if (!input.token.startsWith(TOKEN_PREFIX)) throw new Error('ensureMachineAccount: not a machineToken');
  const email = input.email.toLowerCase();
  const user =
    (await repo.findUserByEmail(tx, email)) ??
    (await createUser(tx, { email, name: input.name, password: randomToken(), roles: input.roles }));
  const tokenHash = sha256(input.token);
  const existing = await repo.findTokenByHash(tx, tokenHash);
  if (existing)
    return { userId: user.id, live: !existing.revokedAt && existing.userId === user.id && user.active };
  const row = await repo.insertToken(tx, {
    userId: user.id,
    name: input.tokenName,
    prefix: input.token.slice(0, TOKEN_PREFIX.length + 6),
    tokenHash,
  });
  await recordAudit(tx, actor, {
    action: 'api_token.created',
    entityType: 'api_token',
    entityId: row.id,
    after: { name: input.tokenName, userId: user.id },
  });
  return { userId: user.id, live: user.active };
}

// ---- provisioning (seed data and test factories) --------------------------------------

export async function userExists(ex: Executor, email: string): Promise<boolean> {
  return (await repo.findUserByEmail(ex, email)) !== undefined;
}

export async function createUser(
  tx: Tx,
  input: { email: string; name: string; password: string; roles: Role[]; managerId?: string | null },
) {
  return repo.insertUser(tx, {
    email: input.email.toLowerCase(),
    name: input.name,
    passwordHash: await hash(input.password),
    roles: input.roles,
    managerId: input.managerId ?? null,
  });
}

export async function createTeam(tx: Tx, input: { key: string; name: string; members: string[] }) {
  const team = await repo.insertTeam(tx, { key: input.key, name: input.name });
  await repo.insertTeamMembers(tx, team.id, input.members);
  return team;
}

/** The people whose manager this is. */
export async function reportIds(ex: Executor, managerId: string): Promise<string[]> {
  return (await repo.findReports(ex, managerId)).map((u) => u.id);
}
