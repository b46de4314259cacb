import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { tickets } from './support.tables.ts';

export type TicketRow = typeof tickets.$inferSelect;

export async function insertTicket(ex: Executor, row: typeof tickets.$inferInsert) {
  const [created] = await ex.insert(tickets).values(row).returning();
  return created!;
}

function newestFirst(ex: Executor, where: SQL | undefined, limit: number, after?: Cursor) {
  return ex
    .select()
    .from(tickets)
    .where(
      and(
        where,
        after
          ? or(
              lt(tickets.createdAt, after.at),
              and(eq(tickets.createdAt, after.at), lt(tickets.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(limit + 1);
}

export const listRaisedBy = (ex: Executor, requesterId: string, limit: number, after?: Cursor) =>
  newestFirst(ex, eq(tickets.requesterId, requesterId), limit, after);

export const listForTeams = (ex: Executor, teamIds: string[], limit: number, after?: Cursor) =>
  teamIds.length === 0
    ? Promise.resolve([])
    : newestFirst(ex, inArray(tickets.teamId, teamIds), limit, after);
