import { and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../platform/db.ts';
import type { Cursor } from '../../platform/pagination.ts';
import { adapters, fulfilmentPlans, lineForecasts, lineSteps, tasks } from './fulfilment.tables.ts';

export type TaskRow = typeof tasks.$inferSelect;
export type LineStepRow = typeof lineSteps.$inferSelect;
export type AdapterRow = typeof adapters.$inferSelect;

export async function findPlanFor(ex: Executor, planId: string) {
  const [row] = await ex.select().from(fulfilmentPlans).where(eq(fulfilmentPlans.planId, planId));
  return row;
}

/** Creates the task unless this line's step already has one (a re-run job creates nothing). */
export async function insertTaskOnce(ex: Executor, row: typeof tasks.$inferInsert) {
  const [created] = await ex
    .insert(tasks)
    .values(row)
    .onConflictDoNothing({ target: [tasks.orderLineId, tasks.step, tasks.kind] })
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
  await ex
    .insert(fulfilmentPlans)
    .values(row)
    .onConflictDoUpdate({ target: fulfilmentPlans.planId, set: { steps: row.steps } });
}

// ---- line steps ---------------------------------------------------------------------------

/** The plan's steps for a line, once (a job run again creates nothing); the created, in order. */
export async function insertStepsOnce(
  ex: Executor,
  steps: (typeof fulfilmentPlans.$inferSelect)['steps'],
  line: { lineId: string; orderId: string },
): Promise<LineStepRow[]> {
  const created = await ex
    .insert(lineSteps)
    .values(
      steps.map((definition, i) => ({
        orderId: line.orderId,
        orderLineId: line.lineId,
        position: i + 1,
        definition,
      })),
    )
    .onConflictDoNothing({ target: [lineSteps.orderLineId, lineSteps.position] })
    .returning();
  return created.sort((a, b) => a.position - b.position);
}

export const stepsOfLine = (ex: Executor, lineId: string) =>
  ex.select().from(lineSteps).where(eq(lineSteps.orderLineId, lineId)).orderBy(asc(lineSteps.position));

export const stepsOfLines = (ex: Executor, lineIds: string[]) =>
  lineIds.length
    ? ex
        .select()
        .from(lineSteps)
        .where(inArray(lineSteps.orderLineId, lineIds))
        .orderBy(asc(lineSteps.orderLineId), asc(lineSteps.position))
    : Promise.resolve([]);

export async function findStep(ex: Executor, id: string) {
  const [row] = await ex.select().from(lineSteps).where(eq(lineSteps.id, id));
  return row;
}

/** A line's steps, locked: abandoning and decommissioning must not race a step's job. */
export const lockStepsOfLine = (ex: Executor, lineId: string) =>
  ex
    .select()
    .from(lineSteps)
    .where(eq(lineSteps.orderLineId, lineId))
    .orderBy(asc(lineSteps.position))
    .for('update');

export async function cancelOpenTasks(ex: Executor, lineId: string) {
  await ex
    .update(tasks)
    .set({ status: 'cancelled' })
    .where(and(eq(tasks.orderLineId, lineId), eq(tasks.status, 'open')));
}

export async function lockStep(ex: Executor, id: string) {
  const [row] = await ex.select().from(lineSteps).where(eq(lineSteps.id, id)).for('update');
  return row;
}

export async function updateStep(
  ex: Executor,
  id: string,
  patch: Partial<Omit<typeof lineSteps.$inferInsert, 'id' | 'orderId' | 'orderLineId' | 'position'>>,
): Promise<LineStepRow> {
  const [row] = await ex
    .update(lineSteps)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(lineSteps.id, id))
    .returning();
  return row!;
}

/** The outputs of the steps before `position`, merged in step order. */
export async function outputsBefore(ex: Executor, lineId: string, position: number) {
  const rows = await ex
    .select({ outputs: lineSteps.outputs })
    .from(lineSteps)
    .where(and(eq(lineSteps.orderLineId, lineId), lt(lineSteps.position, position)))
    .orderBy(asc(lineSteps.position));
  return Object.assign({}, ...rows.map((r) => r.outputs)) as Record<string, string>;
}

export async function stepByCallback(ex: Executor, hash: string) {
  const [row] = await ex.select().from(lineSteps).where(eq(lineSteps.callbackHash, hash)).for('update');
  return row;
}

// ---- forecasts ----------------------------------------------------------------------------

/** The working week a manual step's duration is counted in (the business calendar's settings). */
export interface WorkingWeek {
  timezone: string;
  workdays: number[];
  dayStart: string;
  dayEnd: string;
  holidays: string[];
}

export interface StepHistoryRow {
  key: string;
  runs: number;
  medianMs: number;
  p85Ms: number;
}

/**
 * How long the steps with these definition keys took in their last `limit` runs finished since
 * `since`: median and 85th percentile (interpolated), in working time for manual steps (the
 * working hours of working days in `week`), around the clock for automated ones. One query.
 */
export async function stepHistory(
  ex: Executor,
  keys: string[],
  options: { since: Date; limit: number; week: WorkingWeek },
): Promise<StepHistoryRow[]> {
  if (keys.length === 0) return [];
  const { timezone: tz, workdays, dayStart, dayEnd, holidays } = options.week;
  // Each local day the step spans, cut to that day's working hours, added up.
  const opens = sql`(d + ${dayStart}::time) at time zone ${tz}`;
  const closes = sql`(d + ${dayEnd}::time) at time zone ${tz}`;
  const overlap = sql`least(finished_at, ${closes}) - greatest(started_at, ${opens})`;
  const workingSeconds = sql`(
    select coalesce(sum(extract(epoch from ${overlap})), 0)
    from generate_series(
      (started_at at time zone ${tz})::date::timestamp,
      (finished_at at time zone ${tz})::date::timestamp,
      interval '1 day'
    ) d
    where extract(isodow from d) = any(${`{${workdays.join(',')}}`}::int[])
      and d::date <> all(${`{${holidays.join(',')}}`}::date[])
      and least(finished_at, ${closes}) > greatest(started_at, ${opens})
  )`;
  const result = await ex.execute(sql`
    with recent as (
      select definition_key, definition->>'type' = 'manual' as manual, started_at, finished_at,
        row_number() over (partition by definition_key order by finished_at desc) as n
      from line_steps
      where ${inArray(lineSteps.definitionKey, keys)}
        and status = 'done' and started_at is not null
        and finished_at >= ${options.since.toISOString()}::timestamptz
    ), measured as (
      select definition_key,
        case when manual then ${workingSeconds} else extract(epoch from finished_at - started_at) end as seconds
      from recent where n <= ${options.limit}
    )
    select definition_key as key, count(*)::int as runs,
      round(1000 * percentile_cont(0.5) within group (order by seconds))::bigint as median_ms,
      round(1000 * percentile_cont(0.85) within group (order by seconds))::bigint as p85_ms
    from measured group by definition_key`);
  return rowsOf<{ key: string; runs: number; median_ms: string | number; p85_ms: string | number }>(
    result,
  ).map((r) => ({ key: r.key, runs: r.runs, medianMs: Number(r.median_ms), p85Ms: Number(r.p85_ms) }));
}

export async function saveForecastOnce(ex: Executor, row: typeof lineForecasts.$inferInsert) {
  await ex.insert(lineForecasts).values(row).onConflictDoNothing({ target: lineForecasts.orderLineId });
}

export const forecastsOfLines = (ex: Executor, lineIds: string[]) =>
  lineIds.length
    ? ex.select().from(lineForecasts).where(inArray(lineForecasts.orderLineId, lineIds))
    : Promise.resolve([]);

// ---- adapters -------------------------------------------------------------------------------

export async function findAdapter(ex: Executor, key: string) {
  const [row] = await ex.select().from(adapters).where(eq(adapters.key, key));
  return row;
}

export const listAdapters = (ex: Executor) => ex.select().from(adapters).orderBy(asc(adapters.key));

export async function upsertAdapter(ex: Executor, row: typeof adapters.$inferInsert) {
  const { key: _key, ...set } = row;
  const [saved] = await ex
    .insert(adapters)
    .values(row)
    .onConflictDoUpdate({ target: adapters.key, set: { ...set, updatedAt: sql`now()` } })
    .returning();
  return saved!;
}

/** One more failure in a row; `openUntil` opens (or keeps open) the circuit. */
export async function adapterFailed(ex: Executor, key: string, openUntil: Date | null) {
  await ex
    .update(adapters)
    .set({ failures: sql`${adapters.failures} + 1`, ...(openUntil ? { openUntil } : {}) })
    .where(eq(adapters.key, key));
}

export async function adapterSucceeded(ex: Executor, key: string) {
  await ex
    .update(adapters)
    .set({ failures: 0, openUntil: null })
    .where(
      and(eq(adapters.key, key), or(sql`${adapters.failures} > 0`, sql`${adapters.openUntil} is not null`)),
    );
}
