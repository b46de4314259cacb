import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { apiTokens, sessions, teamMembers, teams, users } from './identity.tables.ts';

export async function findUserByEmail(ex: Executor, email: string) {
  const [row] = await ex.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

export async function findUser(ex: Executor, id: string) {
  const [row] = await ex.select().from(users).where(eq(users.id, id));
  return row;
}

export function findUsers(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(users).where(inArray(users.id, ids));
}

export async function insertSession(
  ex: Executor,
  row: { id: string; userId: string; csrfToken: string; expiresAt: Date },
) {
  await ex.insert(sessions).values(row);
}

export async function findLiveSession(ex: Executor, id: string) {
  const [row] = await ex
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, sql`now()`), eq(users.active, true)));
  return row;
}

export async function deleteSession(ex: Executor, id: string) {
  await ex.delete(sessions).where(eq(sessions.id, id));
}

export async function findLiveToken(ex: Executor, tokenHash: string) {
  const [row] = await ex
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), eq(users.active, true)));
  return row;
}

/** Records use at most once a minute, so busy automation does not write on every call. */
/** A token by its hash, revoked or not. */
export async function findTokenByHash(ex: Executor, tokenHash: string) {
  const [row] = await ex.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash));
  return row;
}

export async function touchToken(ex: Executor, id: string) {
  await ex
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.id, id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
}

export async function insertToken(
  ex: Executor,
  row: { userId: string; name: string; prefix: string; tokenHash: string },
) {
  const [created] = await ex.insert(apiTokens).values(row).returning();
  return created!;
}

export function listTokens(ex: Executor, userId: string) {
  return ex
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeToken(ex: Executor, userId: string, id: string) {
  const rows = await ex
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export function teamsOf(ex: Executor, userId: string) {
  return ex
    .select({ id: teams.id, key: teams.key, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId))
    .orderBy(teams.name);
}

export function findTeams(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(teams).where(inArray(teams.id, ids));
}

export async function findTeamByKey(ex: Executor, key: string) {
  const [row] = await ex.select().from(teams).where(eq(teams.key, key));
  return row;
}

export async function insertUser(ex: Executor, row: typeof users.$inferInsert) {
  const [created] = await ex.insert(users).values(row).returning();
  return created!;
}

export async function insertTeam(ex: Executor, row: typeof teams.$inferInsert) {
  const [created] = await ex.insert(teams).values(row).returning();
  return created!;
}

export async function insertTeamMembers(ex: Executor, teamId: string, userIds: string[]) {
  if (userIds.length === 0) return;
  await ex.insert(teamMembers).values(userIds.map((userId) => ({ teamId, userId })));
}

export function listTeams(ex: Executor) {
  return ex.select({ key: teams.key, name: teams.name }).from(teams).orderBy(teams.name);
}

/** Active members of the team `key`, or nothing when there is no such team. */
export function activeMembersOf(ex: Executor, key: string) {
  return ex
    .select({ id: users.id })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teams.key, key), eq(users.active, true)))
    .orderBy(users.name);
}

export function activeUsersWithRole(ex: Executor, role: string) {
  return ex
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.active, true), sql`${role} = any(${users.roles})`))
    .orderBy(users.name);
}

export const findReports = (ex: Executor, managerId: string) =>
  ex.select({ id: users.id }).from(users).where(eq(users.managerId, managerId));
