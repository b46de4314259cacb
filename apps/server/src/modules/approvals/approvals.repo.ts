import { and, asc, desc, eq, gt, gte, inArray, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { approvalChains, approvalPolicies, approvals, delegations } from './approvals.tables.ts';

export type ApprovalRow = typeof approvals.$inferSelect;
export type ChainRow = typeof approvalChains.$inferSelect;
export type PolicyRow = typeof approvalPolicies.$inferSelect;
export type DelegationRow = typeof delegations.$inferSelect;

// ---- policies ----------------------------------------------------------------------------

export const listPolicies = (ex: Executor) =>
  ex.select().from(approvalPolicies).orderBy(asc(approvalPolicies.priority), asc(approvalPolicies.name));

export async function findPolicy(ex: Executor, id: string) {
  const [row] = await ex.select().from(approvalPolicies).where(eq(approvalPolicies.id, id));
  return row;
}

export async function findPolicyByName(ex: Executor, name: string) {
  const [row] = await ex.select().from(approvalPolicies).where(eq(approvalPolicies.name, name));
  return row;
}

export async function insertPolicy(ex: Executor, row: typeof approvalPolicies.$inferInsert) {
  const [created] = await ex.insert(approvalPolicies).values(row).returning();
  return created!;
}

export async function updatePolicy(
  ex: Executor,
  id: string,
  set: Partial<typeof approvalPolicies.$inferInsert>,
) {
  const [row] = await ex
    .update(approvalPolicies)
    .set({ ...set, version: sql`${approvalPolicies.version} + 1`, updatedAt: sql`now()` })
    .where(eq(approvalPolicies.id, id))
    .returning();
  return row;
}

export async function deletePolicy(ex: Executor, id: string) {
  const [row] = await ex.delete(approvalPolicies).where(eq(approvalPolicies.id, id)).returning();
  return row;
}

// ---- chains and approvals ----------------------------------------------------------------

export async function insertChain(ex: Executor, row: typeof approvalChains.$inferInsert) {
  const [created] = await ex.insert(approvalChains).values(row).returning();
  return created!;
}

/** The line's chain, locked until the transaction ends: decisions on one line queue here. */
export async function lockChain(ex: Executor, lineId: string) {
  const [row] = await ex
    .select()
    .from(approvalChains)
    .where(eq(approvalChains.orderLineId, lineId))
    .for('update');
  return row;
}

export function chainsOf(ex: Executor, lineIds: string[]) {
  if (lineIds.length === 0) return Promise.resolve([]);
  return ex.select().from(approvalChains).where(inArray(approvalChains.orderLineId, lineIds));
}

export async function updateChain(
  ex: Executor,
  lineId: string,
  set: Partial<typeof approvalChains.$inferInsert>,
) {
  await ex.update(approvalChains).set(set).where(eq(approvalChains.orderLineId, lineId));
}

export async function insertApprovals(ex: Executor, rows: (typeof approvals.$inferInsert)[]) {
  if (rows.length === 0) return [];
  return ex.insert(approvals).values(rows).returning();
}

export async function findApproval(ex: Executor, id: string) {
  const [row] = await ex.select().from(approvals).where(eq(approvals.id, id));
  return row;
}

export function approvalsOfLines(ex: Executor, lineIds: string[]) {
  if (lineIds.length === 0) return Promise.resolve([]);
  return ex
    .select()
    .from(approvals)
    .where(inArray(approvals.orderLineId, lineIds))
    .orderBy(asc(approvals.stage), asc(approvals.slot), asc(approvals.createdAt));
}

export async function setApproval(
  ex: Executor,
  id: string,
  set: Pick<ApprovalRow, 'status'> & Partial<Pick<ApprovalRow, 'decidedById' | 'comment'>>,
) {
  const [row] = await ex
    .update(approvals)
    .set({ ...set, decidedAt: sql`now()` })
    .where(and(eq(approvals.id, id), eq(approvals.status, 'pending')))
    .returning();
  return row;
}

/** Closes the line's other pending approvals (of one stage and slot, or all of them). */
export async function closePending(
  ex: Executor,
  lineId: string,
  status: 'skipped' | 'cancelled',
  within?: { stage: number; slot: number },
) {
  await ex
    .update(approvals)
    .set({ status, decidedAt: sql`now()` })
    .where(
      and(
        eq(approvals.orderLineId, lineId),
        eq(approvals.status, 'pending'),
        within ? and(eq(approvals.stage, within.stage), eq(approvals.slot, within.slot)) : undefined,
      ),
    );
}

/**
 * Pending: the approvals waiting on `userIds` (a person and whoever delegated to them), oldest
 * first. Decided: the ones they decided or that were theirs, most recent first.
 */
export function listFor(ex: Executor, userIds: string[], pending: boolean, limit: number, after?: Cursor) {
  const [at, order] = pending ? [approvals.createdAt, asc] : [approvals.decidedAt, desc];
  const beyond = pending ? gt : lt;
  return ex
    .select()
    .from(approvals)
    .where(
      and(
        pending
          ? and(inArray(approvals.approverId, userIds), eq(approvals.status, 'pending'))
          : and(
              or(eq(approvals.approverId, userIds[0]!), eq(approvals.decidedById, userIds[0]!)),
              ne(approvals.status, 'pending'),
            ),
        after ? or(beyond(at, after.at), and(eq(at, after.at), beyond(approvals.id, after.id))) : undefined,
      ),
    )
    .orderBy(order(at), order(approvals.id))
    .limit(limit + 1);
}

export async function isApproverOf(ex: Executor, userIds: string[], orderId: string) {
  const [row] = await ex
    .select({ yes: sql<boolean>`true` })
    .from(approvals)
    .where(
      and(
        eq(approvals.orderId, orderId),
        or(inArray(approvals.approverId, userIds), inArray(approvals.decidedById, userIds)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

// ---- delegation ---------------------------------------------------------------------------

export async function insertDelegation(ex: Executor, row: typeof delegations.$inferInsert) {
  const [created] = await ex.insert(delegations).values(row).returning();
  return created!;
}

export async function deleteDelegation(ex: Executor, id: string) {
  const [row] = await ex.delete(delegations).where(eq(delegations.id, id)).returning();
  return row;
}

export async function findDelegation(ex: Executor, id: string) {
  const [row] = await ex.select().from(delegations).where(eq(delegations.id, id));
  return row;
}

/** Delegations of or to a person that have not ended before `today`. */
export function delegationsOf(ex: Executor, userId: string, today: string) {
  return ex
    .select()
    .from(delegations)
    .where(
      and(
        or(eq(delegations.fromUserId, userId), eq(delegations.toUserId, userId)),
        gte(delegations.endsOn, today),
      ),
    )
    .orderBy(asc(delegations.startsOn));
}

/** Who delegated to `userId` for `today`. */
export async function delegatorsOf(ex: Executor, userId: string, today: string) {
  const rows = await ex
    .select({ id: delegations.fromUserId })
    .from(delegations)
    .where(
      and(eq(delegations.toUserId, userId), lte(delegations.startsOn, today), gte(delegations.endsOn, today)),
    );
  return [...new Set(rows.map((r) => r.id))];
}

/** Who decides for `userId` on `today`. */
export async function delegatesOf(ex: Executor, userId: string, today: string) {
  const rows = await ex
    .select({ id: delegations.toUserId })
    .from(delegations)
    .where(
      and(
        eq(delegations.fromUserId, userId),
        lte(delegations.startsOn, today),
        gte(delegations.endsOn, today),
      ),
    );
  return [...new Set(rows.map((r) => r.id))];
}
