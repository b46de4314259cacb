import type { LineStep } from '@portico/shared';
import { formatDateTime } from '../../components/format.ts';

const stepLabels: Record<LineStep['status'], string> = {
  queued: 'Next',
  running: 'Working on it',
  waiting: 'In progress',
  done: 'Done',
  failed: 'Held up — the team is on it',
  undoing: 'Being undone',
  undone: 'Undone',
  skipped: 'Skipped',
  abandoned: 'Abandoned',
};
const marks: Partial<Record<LineStep['status'], string>> = { done: '✓', failed: '!', undone: '↺' };

/** A line's delivery, step by step: who works on each, since when, what is happening now. */
export function LineSteps({ steps, usual }: { steps: LineStep[]; usual?: Map<number, string> }) {
  if (steps.length === 0) return null;
  return (
    <ol className="line-steps" aria-label="Delivery steps">
      {steps.map((s) => (
        <li
          key={s.position}
          className={`line-steps__step line-steps__step--${s.status}`}
          data-status={s.status}
        >
          <span className="line-steps__mark" aria-hidden="true">
            {marks[s.status] ?? s.position}
          </span>
          <div>
            <p className="line-steps__name">
              {s.name} <span className="muted small">· {s.by}</span>
            </p>
            <p className="small muted">
              {stepLabels[s.status]}
              {s.progress && s.status !== 'done' ? ` — ${s.progress}` : ''}
              {s.finishedAt ? (
                <>
                  {' · '}
                  <time dateTime={s.finishedAt}>{formatDateTime(s.finishedAt)}</time>
                </>
              ) : s.startedAt ? (
                <>
                  {' · since '}
                  <time dateTime={s.startedAt}>{formatDateTime(s.startedAt)}</time>
                </>
              ) : null}
              {usual?.get(s.position) && s.status !== 'done' ? ` · ${usual.get(s.position)}` : ''}
            </p>
            {s.note && (
              <p className="line-steps__note small">
                <span className="muted">{s.type === 'manual' ? `Note from ${s.by}:` : 'Note:'} </span>
                <q>{s.note}</q>
              </p>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
