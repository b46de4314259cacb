import type { Task } from '@portico/shared';
import { formatDateTime, formatDuration } from '../../components/format.ts';

export interface Due {
  text: string;
  /** overdue: past its due time; late: nobody took it within the SLA's response time; soon: due within two hours. */
  tone: 'overdue' | 'late' | 'soon' | 'ok';
  title: string;
}

const span = (ms: number) => (ms < 60_000 ? 'less than a minute' : formatDuration(ms));

/** How an open task stands against its due times, in words ("due in 3h", "overdue by 1d 2h"). */
export function dueOf(task: Task, now: number): Due | null {
  if (task.status !== 'open' || !task.dueAt) return null;
  const left = new Date(task.dueAt).getTime() - now;
  const title = `Due ${formatDateTime(task.dueAt)}${task.respondBy ? `; to be taken by ${formatDateTime(task.respondBy)}` : ''} (business hours, from the SLA)`;
  if (left < 0) return { text: `overdue by ${span(-left)}`, tone: 'overdue', title };
  if (!task.assignee && task.respondBy && new Date(task.respondBy).getTime() < now) {
    return { text: `not taken in time · due in ${span(left)}`, tone: 'late', title };
  }
  return { text: `due in ${span(left)}`, tone: left < 2 * 3_600_000 ? 'soon' : 'ok', title };
}

export function DueBadge({ task, now }: { task: Task; now: number }) {
  const due = dueOf(task, now);
  if (!due) return null;
  return (
    <span className={`due due--${due.tone}`} title={due.title}>
      {due.tone === 'overdue' ? '⚠ ' : ''}
      {due.text}
    </span>
  );
}
