// Queries of the team queues: filtered and sorted task lists, claims and hand-overs that cannot
// overwrite each other, and the steps that need a team's attention.
import { and, asc, desc, eq, gt, inArray, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { lineSteps, tasks } from './fulfilment.tables.ts';

export interface TaskFilter {
  teamIds: string[];
  open: boolean;
  /** A person: tasks they hold; null: tasks nobody holds; undefined: all. */
  assignee?: string | null;
  /** Only tasks due before this moment. */
  dueBefore?: Date;
  /** Lower-cased words, each of which must appear in the task's search text. */
  words: string[];
}

/** When an open task sorts: by its due time; a task older than due dates by when it opened. */
export const queueAt = sql<Date>`coalesce(${tasks.dueAt}, ${tasks.createdAt})`;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Open: the soonest due first (a queue). Done: most recently completed first. */
export function listTasks(ex: Executor, filter: TaskFilter, limit: number, after?: Cursor) {
  if (filter.teamIds.length === 0) return Promise.resolve([]);
  const conditions: (SQL | undefined)[] = [
    inArray(tasks.teamId, filter.teamIds),
    eq(tasks.status, filter.open ? 'open' : 'done'),
    filter.assignee === null
      ? isNull(tasks.assigneeId)
      : filter.assignee
        ? eq(tasks.assigneeId, filter.assignee)
        : undefined,
    filter.dueBefore ? lt(tasks.dueAt, filter.dueBefore) : undefined,
    ...filter.words.map((w) => like(tasks.search, `%${escapeLike(w)}%`)),
  ];
  if (filter.open) {
    const at = queueAt;
    return ex
      .select()
      .from(tasks)
      .where(
        and(
          ...conditions,
          after ? or(gt(at, after.at), and(eq(at, after.at), gt(tasks.id, after.id))) : undefined,
        ),
      )
      .orderBy(asc(at), asc(tasks.id))
      .limit(limit + 1);
  }
  return ex
    .select()
    .from(tasks)
    .where(
      and(
        ...conditions,
        after
          ? or(lt(tasks.completedAt, after.at), and(eq(tasks.completedAt, after.at), lt(tasks.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(tasks.completedAt), desc(tasks.id))
    .limit(limit + 1);
}

/** Takes an open task for `userId` unless someone else holds it; taking one's own again is a no-op. */
export async function claimTask(ex: Executor, id: string, userId: string) {
  const [row] = await ex
    .update(tasks)
    .set({ assigneeId: userId, assignedAt: sql`coalesce(${tasks.assignedAt}, now())` })
    .where(
      and(
        eq(tasks.id, id),
        eq(tasks.status, 'open'),
        or(isNull(tasks.assigneeId), eq(tasks.assigneeId, userId)),
      ),
    )
    .returning();
  return row;
}

/** Gives an open task to `assignee` (null: back to the team) only if it is still held by `from`. */
export async function assignTask(ex: Executor, id: string, assignee: string | null, from: string | null) {
  const [row] = await ex
    .update(tasks)
    .set({ assigneeId: assignee, assignedAt: assignee ? sql`now()` : null })
    .where(
      and(
        eq(tasks.id, id),
        eq(tasks.status, 'open'),
        from ? eq(tasks.assigneeId, from) : isNull(tasks.assigneeId),
      ),
    )
    .returning();
  return row;
}

export const failedSteps = (ex: Executor) =>
  ex
    .select()
    .from(lineSteps)
    .where(eq(lineSteps.status, 'failed'))
    .orderBy(asc(lineSteps.finishedAt), asc(lineSteps.id));
