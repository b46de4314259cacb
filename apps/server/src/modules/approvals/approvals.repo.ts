import { and, asc, desc, eq, gt, lt, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { approvals } from './approvals.tables.ts';

export type ApprovalRow = typeof approvals.$inferSelect;

export async function insertApproval(ex: Executor, row: typeof approvals.$inferInsert) {
  const [created] = await ex.insert(approvals).values(row).returning();
  return created!;
}

/**
 * Takes the decision if, and only if, the approval is still pending: the row lock makes two
 * simultaneous deciders queue, and the second finds it decided and gets nothing back.
 */
export async function decide(
  ex: Executor,
  id: string,
  approverId: string,
  status: 'approved' | 'rejected',
  comment: string | null,
) {
  const [row] = await ex
    .update(approvals)
    .set({ status, comment, decidedById: approverId, decidedAt: sql`now()` })
    .where(and(eq(approvals.id, id), eq(approvals.approverId, approverId), eq(approvals.status, 'pending')))
    .returning();
  return row;
}

export async function findApproval(ex: Executor, id: string) {
  const [row] = await ex.select().from(approvals).where(eq(approvals.id, id));
  return row;
}

/** Pending: oldest first (longest waiting on top). Decided: most recent first. */
export function listFor(ex: Executor, approverId: string, pending: boolean, limit: number, after?: Cursor) {
  const [at, order] = pending ? [approvals.createdAt, asc] : [approvals.decidedAt, desc];
  const beyond = pending ? gt : lt;
  return ex
    .select()
    .from(approvals)
    .where(
      and(
        eq(approvals.approverId, approverId),
        pending ? eq(approvals.status, 'pending') : ne(approvals.status, 'pending'),
        after ? or(beyond(at, after.at), and(eq(at, after.at), beyond(approvals.id, after.id))) : undefined,
      ),
    )
    .orderBy(order(at), order(approvals.id))
    .limit(limit + 1);
}

export async function isApproverOf(ex: Executor, userId: string, orderId: string) {
  const [row] = await ex
    .select({ yes: sql<boolean>`true` })
    .from(approvals)
    .where(and(eq(approvals.orderId, orderId), eq(approvals.approverId, userId)))
    .limit(1);
  return row !== undefined;
}
