import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Task } from '@portico/shared';
import { useTasks, type TaskTab } from './tasks.api.ts';
import { TaskPanel } from './task-panel.tsx';
import { hasRole } from '../session/session.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { formatAgo, formatDateTime } from '../../components/format.ts';

function taskHref(tab: TaskTab, id?: string): string {
  const p = new URLSearchParams();
  if (tab === 'done') p.set('tab', 'done');
  if (id) p.set('task', id);
  const s = p.toString();
  return s ? `/tasks?${s}` : '/tasks';
}

export function TasksPage() {
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const tab: TaskTab = params.get('tab') === 'done' ? 'done' : 'open';
  const selectedId = params.get('task');
  const open = useTasks('open');
  const done = useTasks('done');
  const current = tab === 'open' ? open : done;
  const [completed, setCompleted] = useState<Task | null>(null);

  const items = current.data
    ? [...current.data].sort((a, b) =>
        tab === 'open'
          ? a.createdAt.localeCompare(b.createdAt)
          : (b.completedAt ?? '').localeCompare(a.completedAt ?? ''),
      )
    : [];
  const selected = items.find((t) => t.id === selectedId);

  return (
    <div>
      <PageHeader
        title="Work queue"
        subtitle={
          me.teams.length
            ? `Tasks for ${me.teams.map((t) => t.name).join(', ')}. Oldest first.`
            : 'Tasks for your teams.'
        }
      />
      {!hasRole(me, 'fulfiller') && (
        <p className="alert alert--info">You are not in a fulfilment team, so no tasks come to you.</p>
      )}
      <div aria-live="polite">
        {completed && (
          <div className="alert alert--success alert--dismissible">
            <p>
              Completed “{completed.title}” for {completed.order.requester.name} ({completed.order.number}
              ).
            </p>
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              onClick={() => setCompleted(null)}
              aria-label="Dismiss message"
            >
              ✕
            </button>
          </div>
        )}
      </div>
      <Tabs
        label="Task lists"
        value={tab}
        items={[
          { value: 'open', label: 'Open', to: taskHref('open'), count: open.data?.length },
          { value: 'done', label: 'Done', to: taskHref('done') },
        ]}
      />
      {current.isPending ? (
        <LoadingState label="Loading tasks…" />
      ) : current.isError ? (
        <ErrorState error={current.error} onRetry={() => void current.refetch()} />
      ) : items.length === 0 ? (
        tab === 'open' ? (
          <EmptyState icon="☕" title="The queue is empty">
            No open tasks for your teams right now.
          </EmptyState>
        ) : (
          <EmptyState icon="🗂️" title="Nothing done yet">
            Tasks your teams complete are listed here.
          </EmptyState>
        )
      ) : (
        <div className={`master-detail${selected ? ' master-detail--has-selection' : ''}`}>
          <ul className="master-detail__list" aria-label={tab === 'open' ? 'Open tasks' : 'Done tasks'}>
            {items.map((t) => (
              <li key={t.id}>
                <Link
                  to={taskHref(tab, t.id)}
                  replace
                  className={`task-item${t.id === selected?.id ? ' task-item--selected' : ''}`}
                  aria-current={t.id === selected?.id ? 'true' : undefined}
                  data-testid="task-item"
                  data-status={t.status}
                >
                  <span className="task-item__title">{t.title}</span>
                  <span className="task-item__meta">
                    {t.line.service.name} · {t.line.plan.name}
                    {t.line.quantity > 1 ? ` × ${t.line.quantity}` : ''}
                  </span>
                  <span className="task-item__meta muted">
                    {t.order.number} · {t.order.requester.name} · {t.team.name}
                  </span>
                  <span className="task-item__age muted small">
                    {t.status === 'open'
                      ? `opened ${formatAgo(t.createdAt)}`
                      : `done ${t.completedAt ? formatDateTime(t.completedAt) : ''}`}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          <div className="master-detail__detail">
            {selected ? (
              <TaskPanel
                key={selected.id}
                task={selected}
                backHref={taskHref(tab)}
                onCompleted={(t) => {
                  setCompleted(t);
                  setParams({}, { replace: true });
                }}
              />
            ) : (
              <div className="card master-detail__placeholder">
                <p className="muted">Choose a task to see its instructions and complete it.</p>
              </div>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
