import { and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { fulfilmentPlans, tasks } from './fulfilment.tables.ts';

export type TaskRow = typeof tasks.$inferSelect;

export async function findPlanFor(ex: Executor, planId: string) {
  const [row] = await ex.select().from(fulfilmentPlans).where(eq(fulfilmentPlans.planId, planId));
  return row;
}

/** Creates the task unless this line's step already has one (a re-run job creates nothing). */
export async function insertTaskOnce(ex: Executor, row: typeof tasks.$inferInsert) {
  const [created] = await ex
    .insert(tasks)
    .values(row)
    .onConflictDoNothing({ target: [tasks.orderLineId, tasks.step] })
    .returning();
  return created;
}

export async function findTask(ex: Executor, id: string) {
  const [row] = await ex.select().from(tasks).where(eq(tasks.id, id));
  return row;
}

export async function completeTask(
  ex: Executor,
  id: string,
  by: string,
  outputs: Record<string, string>,
  note: string | null,
) {
  const [row] = await ex
    .update(tasks)
    .set({ status: 'done', outputs, note, completedById: by, completedAt: sql`now()` })
    .where(and(eq(tasks.id, id), eq(tasks.status, 'open')))
    .returning();
  return row;
}

/** Open: oldest first (a queue). Done: most recently completed first. */
export function listForTeams(ex: Executor, teamIds: string[], open: boolean, limit: number, after?: Cursor) {
  if (teamIds.length === 0) return Promise.resolve([]);
  const [at, order, beyond] = open
    ? ([tasks.createdAt, asc, gt] as const)
    : ([tasks.completedAt, desc, lt] as const);
  return ex
    .select()
    .from(tasks)
    .where(
      and(
        inArray(tasks.teamId, teamIds),
        eq(tasks.status, open ? 'open' : 'done'),
        after ? or(beyond(at, after.at), and(eq(at, after.at), beyond(tasks.id, after.id))) : undefined,
      ),
    )
    .orderBy(order(at), order(tasks.id))
    .limit(limit + 1);
}

export async function hasTaskForTeams(ex: Executor, teamIds: string[], orderId: string) {
  if (teamIds.length === 0) return false;
  const [row] = await ex
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.orderId, orderId), inArray(tasks.teamId, teamIds)))
    .limit(1);
  return row !== undefined;
}

export async function upsertPlan(ex: Executor, row: typeof fulfilmentPlans.$inferInsert) {
  const { planId: _plan, ...set } = row;
  await ex.insert(fulfilmentPlans).values(row).onConflictDoUpdate({ target: fulfilmentPlans.planId, set });
}
