import type { DeliveryForecast, LineStep, Order, OrderLine } from '@portico/shared';
import { formatDate, formatDuration, plural } from '../../components/format.ts';
import { LineSteps } from './line-steps.tsx';

type StageKey = 'approved' | 'queued' | 'provisioning' | 'configuring' | 'delivered';
type StageState = 'done' | 'current' | 'held' | 'next' | 'skipped';
interface Stage {
  key: StageKey;
  label: string;
  state: StageState;
  at: string | null;
}

const labels: Record<StageKey, string> = {
  approved: 'Approved',
  queued: 'Queued',
  provisioning: 'Provisioning',
  configuring: 'Configuring',
  delivered: 'Delivered',
};
const stateText: Record<StageState, string> = {
  done: 'done',
  current: 'now',
  held: 'held up',
  next: 'not yet',
  skipped: 'not needed',
};

const LOCALE = 'en-IE';
const dayTime = new Intl.DateTimeFormat(LOCALE, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const day = new Intl.DateTimeFormat(LOCALE, { weekday: 'short', day: 'numeric', month: 'short' });
const time = new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit' });
const short = new Intl.DateTimeFormat(LOCALE, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** A moment, without repeating the day when it is the same as `sameDayAs`'s. */
function when(iso: string, sameDayAs?: string): string {
  const d = new Date(iso);
  if (sameDayAs && day.format(d) === day.format(new Date(sameDayAs))) return time.format(d);
  return dayTime.format(d);
}

const finished = (s: LineStep) => s.status === 'done' || s.status === 'skipped';
const active = (s: LineStep) => ['running', 'waiting', 'failed', 'undoing'].includes(s.status);

/** The stage strip: approved → queued → provisioning → configuring → delivered, with times. */
function stagesOf(line: OrderLine, order: Order): Stage[] {
  const eventAt = (kind: string) =>
    order.timeline.find((e) => e.lineId === line.id && e.kind === kind)?.at ?? null;
  const approvedAt = eventAt('approved');
  const queuedAt = eventAt('in_fulfilment');
  const delivered = line.status === 'delivered';
  const started = line.steps.some((s) => s.startedAt);
  const group = (key: 'provisioning' | 'configuring'): Stage => {
    const steps = line.steps.filter((s) => s.stage === key);
    const base = { key, label: labels[key] };
    if (steps.length === 0) return { ...base, state: 'skipped', at: null };
    if (steps.every(finished))
      return {
        ...base,
        state: 'done',
        at:
          steps
            .map((s) => s.finishedAt ?? '')
            .sort()
            .at(-1) ?? null,
      };
    const since = steps.flatMap((s) => (s.startedAt ? [s.startedAt] : [])).sort()[0] ?? null;
    if (!since) return { ...base, state: 'next', at: null };
    return { ...base, state: steps.some((s) => s.status === 'failed') ? 'held' : 'current', at: since };
  };
  return [
    {
      key: 'approved',
      label: labels.approved,
      state: approvedAt || queuedAt ? 'done' : 'next',
      at: approvedAt,
    },
    {
      key: 'queued',
      label: labels.queued,
      state: started || delivered ? 'done' : queuedAt ? 'current' : 'next',
      at: queuedAt,
    },
    group('provisioning'),
    group('configuring'),
    {
      key: 'delivered',
      label: labels.delivered,
      state: delivered ? 'done' : 'next',
      at: delivered ? eventAt('delivered') : null,
    },
  ];
}

function StageStrip({ stages }: { stages: Stage[] }) {
  return (
    <ol className="stage-strip" aria-label="Delivery stages">
      {stages.map((s) => (
        <li key={s.key} className={`stage-strip__stage stage-strip__stage--${s.state}`} data-state={s.state}>
          <span className="stage-strip__dot" aria-hidden="true">
            {s.state === 'done' ? '✓' : s.state === 'held' ? '!' : ''}
          </span>
          <span className="stage-strip__label">
            {s.label}
            <span className="visually-hidden"> ({stateText[s.state]})</span>
          </span>
          <span className="stage-strip__at">
            {s.at ? (
              <time dateTime={s.at}>{short.format(new Date(s.at))}</time>
            ) : s.state === 'skipped' ? (
              '—'
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Who or what has the line now, in a sentence. */
function WorkingNow({ line }: { line: OrderLine }) {
  const step = line.steps.find(active);
  if (!step) {
    const next = line.steps.find((s) => s.status === 'queued');
    if (!next) return null;
    return (
      <p className="tracker__now">
        <span className="muted">Next:</span> <strong>{next.name}</strong> · {next.by}
      </p>
    );
  }
  const who =
    step.status === 'failed'
      ? `held up — ${step.by} is on it`
      : step.type === 'manual'
        ? `with ${step.by}`
        : `${step.by} is working on it`;
  return (
    <p className="tracker__now" aria-live="polite">
      <span className="muted">Now:</span> <strong>{step.name}</strong>, {who}
      {step.progress && <span className="tracker__progress"> — {step.progress}</span>}
    </p>
  );
}

const ms = (iso: string) => new Date(iso).getTime();

/** Delivered: when, against what was predicted as the work began. */
function ActualVsPredicted({ at, predicted }: { at: string; predicted: DeliveryForecast | null }) {
  let verdict: string | null = null;
  let tone = 'ok';
  if (predicted?.basis === 'history') {
    const late = ms(at) - ms(predicted.expectedAt);
    if (Math.abs(late) < 60_000) verdict = 'right on time';
    else if (late < 0) verdict = `${formatDuration(-late)} earlier than expected`;
    else if (ms(at) <= ms(predicted.latestAt))
      verdict = `${formatDuration(late)} after the usual time, within the range`;
    else {
      verdict = `${formatDuration(ms(at) - ms(predicted.latestAt))} after the latest predicted`;
      tone = 'late';
    }
  } else if (predicted) {
    const late = ms(at) - ms(predicted.expectedAt);
    verdict = late <= 0 ? 'within the lead time' : `${formatDuration(late)} after the lead time`;
    if (late > 0) tone = 'late';
  }
  return (
    <div className="tracker__eta">
      <p>
        <span aria-hidden="true">📦 </span>Delivered <strong>{when(at)}</strong>
      </p>
      {predicted && (
        <p className={`small tracker__verdict tracker__verdict--${tone}`}>
          Predicted{' '}
          {predicted.basis === 'history' ? (
            <>
              {when(predicted.expectedAt)} (at the latest {when(predicted.latestAt, predicted.expectedAt)})
            </>
          ) : (
            <>by {formatDate(predicted.expectedAt)} from the lead time</>
          )}
          {verdict && <> — {verdict}</>}
        </p>
      )}
    </div>
  );
}

function Forecast({ line }: { line: OrderLine }) {
  const f = line.forecast;
  if (!f) return null;
  if (f.basis === 'lead_time') {
    return (
      <div className="tracker__eta">
        <p>
          <span aria-hidden="true">📦 </span>Expected by{' '}
          <strong>{formatDate(line.expectedDeliveryDate ?? f.expectedAt)}</strong>
        </p>
        <p className="small muted">
          {line.status === 'pending_approval' && 'A working day per approval still to come, then '}
          {line.status === 'pending_approval' ? 'the' : 'From the'} plan’s lead time (
          {plural(line.leadTimeDays, 'working day')})
          {line.steps.length > 0 && ': too few recent deliveries of these steps to predict from'}.
        </p>
      </div>
    );
  }
  return (
    <div className="tracker__eta" data-testid="forecast">
      <p>
        <span aria-hidden="true">📦 </span>Expected <strong>{day.format(new Date(f.expectedAt))}</strong>
      </p>
      <p className="small">
        Usually by <strong>{time.format(new Date(f.expectedAt))}</strong>, at the latest{' '}
        <strong>{when(f.latestAt, f.expectedAt)}</strong>
      </p>
      <p className="small muted">
        Predicted from the last {plural(f.runs ?? 0, 'run')} of these steps; updates as they finish.
      </p>
    </div>
  );
}

/** How long each step still ahead usually takes, for the step list. */
function usualTimes(forecast: DeliveryForecast | null): Map<number, string> {
  return new Map(
    (forecast?.steps ?? []).map((s) => [
      s.position,
      `usually ${formatDuration(s.medianMs)}${s.clock === 'business' ? ' of working time' : ''}`,
    ]),
  );
}

/** One line tracked like a parcel: its stages, who has it now, when it should arrive, its steps. */
export function LineTracker({ order, line }: { order: Order; line: OrderLine }) {
  const tracked =
    line.status === 'in_fulfilment' || line.status === 'delivered' || line.status === 'approved';
  const deliveredAt =
    line.status === 'delivered'
      ? (order.timeline.find((e) => e.lineId === line.id && e.kind === 'delivered')?.at ?? null)
      : null;
  return (
    <div className="tracker" data-testid="line-tracker">
      {deliveredAt ? (
        <ActualVsPredicted at={deliveredAt} predicted={line.predicted} />
      ) : (
        <Forecast line={line} />
      )}
      {tracked && <StageStrip stages={stagesOf(line, order)} />}
      {line.status === 'in_fulfilment' && <WorkingNow line={line} />}
      <LineSteps steps={line.steps} usual={usualTimes(line.forecast)} />
    </div>
  );
}
