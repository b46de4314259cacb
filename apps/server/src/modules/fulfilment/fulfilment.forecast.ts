// Delivery forecasts: when a line should arrive, from how long the same steps took recently.
//
// Which step is "the same": its definition, word for word (line_steps.definition_key, an md5 of
// the jsonb). Plans that share a step verbatim share its history; a catalogue edit that changes
// a step (its team, adapter, broker plan, instructions …) starts its history afresh.
//
// Which clock: a manual step waits for people, so its history and what is left of it count in
// the business calendar's working hours (a task opened on Friday evening is not three days
// late on Monday morning). Automated steps run around the clock and count in wall time. The
// hand-over between steps is a job picked up within seconds, so it is not counted.
//
// How much history: the last HISTORY.runs runs finished within HISTORY.days. With fewer than
// HISTORY.minRuns for any step still ahead the forecast is left to the plan's lead time.
import type { DeliveryForecast } from '@portico/shared';
import type { Executor, Tx } from '../../platform/db.ts';
import type { Calendar } from '../sla/index.ts';
import * as repo from './fulfilment.repo.ts';

export const HISTORY = { days: 90, runs: 50, minRuns: 5 } as const;

/** A step of a line that is not finished yet. */
export interface StepAhead {
  position: number;
  key: string;
  manual: boolean;
  /** Set once it started: the time it has already taken counts against its usual duration. */
  startedAt: Date | null;
}

/** Statuses of a step that still stands between the line and its delivery. */
const ahead = new Set(['queued', 'running', 'waiting', 'failed', 'undoing']);

/**
 * When the line should arrive if each step still ahead takes as long as it usually does: the
 * median path and the 85th-percentile path, each step on its own clock; a running step only
 * for what is left of its usual time. Null when a step has too little history to say.
 */
export function projectDelivery(
  steps: StepAhead[],
  history: Map<string, repo.StepHistoryRow>,
  now: Date,
  calendar: Calendar,
): DeliveryForecast | null {
  let expected = now;
  let latest = now;
  const shown: DeliveryForecast['steps'] = [];
  const after = (from: Date, manual: boolean, ms: number) => {
    if (ms <= 0) return from;
    return manual ? calendar.addBusinessHours(from, ms / 3_600_000) : new Date(from.getTime() + ms);
  };
  for (const step of [...steps].sort((a, b) => a.position - b.position)) {
    const h = history.get(step.key);
    if (!h || h.runs < HISTORY.minRuns) return null;
    const elapsed = !step.startedAt
      ? 0
      : step.manual
        ? calendar.businessMsBetween(step.startedAt, now)
        : Math.max(0, now.getTime() - step.startedAt.getTime());
    expected = after(expected, step.manual, h.medianMs - elapsed);
    latest = after(latest, step.manual, h.p85Ms - elapsed);
    shown.push({
      position: step.position,
      clock: step.manual ? 'business' : 'wall',
      runs: h.runs,
      medianMs: h.medianMs,
      p85Ms: h.p85Ms,
    });
  }
  return {
    basis: 'history',
    expectedAt: expected.toISOString(),
    latestAt: latest.toISOString(),
    runs: shown.length ? Math.min(...shown.map((s) => s.runs)) : null,
    steps: shown,
  };
}

/** Each line's forecast now (null: no steps yet, or too little history) and the one made at its start. */
export interface LineForecasts {
  current: DeliveryForecast | null;
  predicted: DeliveryForecast | null;
}

async function forecastSteps(ex: Executor, lineIds: string[], calendar: Calendar, now: Date) {
  const rows = await repo.stepsOfLines(ex, lineIds);
  const pending = rows.filter((r) => ahead.has(r.status));
  const { timezone, workdays, dayStart, dayEnd, holidays } = calendar.settings;
  const history = await repo.stepHistory(ex, [...new Set(pending.map((r) => r.definitionKey))], {
    since: new Date(now.getTime() - HISTORY.days * 86_400_000),
    limit: HISTORY.runs,
    week: { timezone, workdays, dayStart, dayEnd, holidays: holidays.map((h) => h.date) },
  });
  const byKey = new Map(history.map((h) => [h.key, h]));
  const lines = new Map<string, DeliveryForecast | null>();
  for (const lineId of new Set(rows.map((r) => r.orderLineId))) {
    const steps = pending
      .filter((r) => r.orderLineId === lineId)
      .map((r) => ({
        position: r.position,
        key: r.definitionKey,
        manual: r.definition.type === 'manual',
        startedAt: r.startedAt,
      }));
    lines.set(lineId, projectDelivery(steps, byKey, now, calendar));
  }
  return lines;
}

/** Forecasts for the lines of one page: one read of their steps, one grouped read of history. */
export async function lineForecasts(
  ex: Executor,
  lineIds: string[],
  calendar: Calendar,
  now = new Date(),
): Promise<Map<string, LineForecasts>> {
  const current = await forecastSteps(ex, lineIds, calendar, now);
  const stored = new Map((await repo.forecastsOfLines(ex, lineIds)).map((f) => [f.orderLineId, f]));
  return new Map(
    lineIds.map((id) => {
      const made = stored.get(id);
      const predicted: DeliveryForecast | null = made
        ? {
            basis: 'history',
            expectedAt: made.expectedAt.toISOString(),
            latestAt: made.latestAt.toISOString(),
            runs: made.runs,
            steps: [],
          }
        : null;
      return [id, { current: current.get(id) ?? null, predicted }];
    }),
  );
}

/** Keeps the forecast made as a line's fulfilment starts, when history can make one. */
export async function recordForecast(tx: Tx, lineId: string, calendar: Calendar, now = new Date()) {
  const forecast = (await forecastSteps(tx, [lineId], calendar, now)).get(lineId);
  if (!forecast) return;
  await repo.saveForecastOnce(tx, {
    orderLineId: lineId,
    expectedAt: new Date(forecast.expectedAt),
    latestAt: new Date(forecast.latestAt),
    runs: forecast.runs ?? 0,
    madeAt: now,
  });
}
