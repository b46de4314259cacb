import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Task } from '@portico/shared';
import {
  useAttention,
  useTask,
  useTasks,
  useWorkTeams,
  type QueueFilters,
  type TaskTab,
} from './tasks.api.ts';
import { TaskPanel } from './task-panel.tsx';
import { AttentionList } from './attention-list.tsx';
import { DueBadge } from './task-due.tsx';
import { hasRole } from '../session/session.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { formatAgo, formatDateTime } from '../../components/format.ts';
import { useDebouncedValue } from '../../components/use-debounced-value.ts';
import { useNow } from '../../components/use-now.ts';

/** The page's state lives in the URL (shareable, survives reloads): tab, filters, the open task. */
function readParams(params: URLSearchParams): { tab: TaskTab; filters: QueueFilters; taskId: string | null } {
  const status = params.get('status') ?? params.get('tab');
  const assignee = params.get('assignee');
  return {
    tab: status === 'done' || status === 'attention' ? status : 'open',
    filters: {
      team: params.get('team') ?? '',
      assignee: assignee === 'me' || assignee === 'unassigned' ? assignee : 'any',
      overdue: params.get('overdue') === 'true',
      q: params.get('q') ?? '',
    },
    taskId: params.get('task'),
  };
}

function paramsOf(tab: TaskTab, f: QueueFilters, taskId?: string): URLSearchParams {
  const p = new URLSearchParams();
  if (tab !== 'open') p.set('status', tab);
  if (f.team) p.set('team', f.team);
  if (tab !== 'attention' && f.assignee !== 'any') p.set('assignee', f.assignee);
  if (tab === 'open' && f.overdue) p.set('overdue', 'true');
  if (f.q) p.set('q', f.q);
  if (taskId) p.set('task', taskId);
  return p;
}

function hrefOf(tab: TaskTab, f: QueueFilters, taskId?: string): string {
  const s = paramsOf(tab, f, taskId).toString();
  return s ? `/tasks?${s}` : '/tasks';
}

export function TasksPage() {
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const { tab, filters, taskId } = readParams(params);
  const [completed, setCompleted] = useState<Task | null>(null);
  const fulfiller = hasRole(me, 'fulfiller');

  const open = useTasks('open', filters, fulfiller);
  const done = useTasks('done', filters, fulfiller && tab === 'done');
  const attention = useAttention(filters);
  const current = tab === 'open' ? open : done;
  const items = current.data ?? [];
  const listed = items.find((t) => t.id === taskId);
  // The task whose page is open, even when the filters no longer list it (just handed to a colleague).
  const selected = useTask(tab === 'attention' ? null : taskId, listed);
  const filtered = filters.team !== '' || filters.assignee !== 'any' || filters.overdue || filters.q !== '';

  const go = (next: Partial<QueueFilters>) =>
    setParams(paramsOf(tab, { ...filters, ...next }, taskId ?? undefined), { replace: true });

  return (
    <div>
      <PageHeader
        title="Work queue"
        subtitle={
          me.teams.length
            ? `Tasks for ${me.teams.map((t) => t.name).join(', ')}, soonest due first.`
            : 'Tasks for your teams.'
        }
      />
      {!fulfiller && (
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
      <div className="work-queue-tabs">
        <Tabs
          label="Task lists"
          value={tab}
          items={[
            { value: 'open', label: 'Open', to: hrefOf('open', filters), count: open.data?.length },
            { value: 'done', label: 'Done', to: hrefOf('done', filters) },
            {
              value: 'attention',
              label: 'Needs attention',
              to: hrefOf('attention', filters),
              count: attention.data?.length,
            },
          ]}
        />
      </div>
      {/* On a phone a task's page has the screen to itself, as the list does. */}
      <div className={selected.data && tab !== 'attention' ? 'queue-filters-wrap--has-selection' : undefined}>
        <QueueFilterBar tab={tab} filters={filters} onChange={go} />
      </div>

      {tab === 'attention' ? (
        attention.isPending ? (
          <LoadingState label="Loading steps that need attention…" />
        ) : attention.isError ? (
          <ErrorState error={attention.error} onRetry={() => void attention.refetch()} />
        ) : (
          // The list stays mounted when it empties, so the message about the last one stays too.
          <AttentionList
            items={attention.data}
            empty={
              <EmptyState icon="✅" title={filtered ? 'Nothing matches' : 'Nothing needs attention'}>
                {filtered
                  ? 'No failed step matches these filters.'
                  : 'When an automated or manual step fails for good, it waits here for your team to retry it or abandon the line.'}
              </EmptyState>
            }
          />
        )
      ) : current.isPending ? (
        <LoadingState label="Loading tasks…" />
      ) : current.isError ? (
        <ErrorState error={current.error} onRetry={() => void current.refetch()} />
      ) : items.length === 0 && !selected.data ? (
        filtered ? (
          <EmptyState
            icon="🔎"
            title="No task matches"
            action={
              <Link
                to={hrefOf(tab, { team: '', assignee: 'any', overdue: false, q: '' })}
                replace
                className="btn btn--secondary"
              >
                Clear the filters
              </Link>
            }
          >
            Try other words, or fewer filters.
          </EmptyState>
        ) : tab === 'open' ? (
          <EmptyState icon="☕" title="The queue is empty">
            No open tasks for your teams right now.
          </EmptyState>
        ) : (
          <EmptyState icon="🗂️" title="Nothing done yet">
            Tasks your teams complete are listed here.
          </EmptyState>
        )
      ) : (
        <div className={`master-detail${selected.data ? ' master-detail--has-selection' : ''}`}>
          <TaskList tab={tab} items={items} filters={filters} selectedId={selected.data?.id} meId={me.id} />
          <div className="master-detail__detail">
            {selected.data ? (
              <TaskPanel
                key={selected.data.id}
                task={selected.data}
                backHref={hrefOf(tab, filters)}
                onCompleted={(t) => {
                  setCompleted(t);
                  setParams(paramsOf(tab, filters), { replace: true });
                }}
              />
            ) : taskId && selected.isError ? (
              <ErrorState error={selected.error} title="This task cannot be shown" />
            ) : (
              <div className="card master-detail__placeholder">
                <p className="muted">Choose a task to see its instructions, take it and complete it.</p>
              </div>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function TaskList({
  tab,
  items,
  filters,
  selectedId,
  meId,
}: {
  tab: TaskTab;
  items: Task[];
  filters: QueueFilters;
  selectedId: string | undefined;
  meId: string;
}) {
  const now = useNow();
  return (
    <ul className="master-detail__list" aria-label={tab === 'open' ? 'Open tasks' : 'Done tasks'}>
      {items.map((t) => (
        <li key={t.id}>
          <Link
            to={hrefOf(tab, filters, t.id)}
            replace
            className={`task-item${t.id === selectedId ? ' task-item--selected' : ''}${t.kind === 'undo' ? ' task-item--undo' : ''}`}
            aria-current={t.id === selectedId ? 'true' : undefined}
            data-testid="task-item"
            data-status={t.status}
          >
            <span className="task-item__title">
              {t.kind === 'undo' && <span className="undo-badge">Undo</span>}
              {t.title}
            </span>
            <span className="task-item__meta">
              {t.line.service.name} · {t.line.plan.name}
              {t.line.quantity > 1 ? ` × ${t.line.quantity}` : ''}
            </span>
            <span className="task-item__meta muted">
              {t.order.number} · {t.order.requester.name} · {t.team.name}
            </span>
            <span className="task-item__foot small">
              {t.status === 'open' ? (
                <>
                  <span className={t.assignee ? 'task-item__who' : 'task-item__who muted'}>
                    {t.assignee ? (t.assignee.id === meId ? 'You have it' : t.assignee.name) : 'Unassigned'}
                  </span>
                  {t.dueAt ? (
                    <DueBadge task={t} now={now} />
                  ) : (
                    <span className="muted">opened {formatAgo(t.createdAt, now)}</span>
                  )}
                </>
              ) : (
                <span className="muted">
                  done {t.completedAt ? formatDateTime(t.completedAt) : ''}
                  {t.completedBy ? ` by ${t.completedBy}` : ''}
                </span>
              )}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function QueueFilterBar({
  tab,
  filters,
  onChange,
}: {
  tab: TaskTab;
  filters: QueueFilters;
  onChange: (next: Partial<QueueFilters>) => void;
}) {
  const teams = useWorkTeams();
  const [text, setText] = useState(filters.q);
  const debounced = useDebouncedValue(text.trim(), 250);
  // Search as you type: the URL follows the box a moment after typing stops.
  useEffect(() => {
    if (debounced !== filters.q) onChange({ q: debounced });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typed text settles
  }, [debounced]);
  // …and the box follows the URL (back, a shared link), adjusted while rendering.
  const [seenQ, setSeenQ] = useState(filters.q);
  if (filters.q !== seenQ) {
    setSeenQ(filters.q);
    if (text.trim() !== filters.q) setText(filters.q);
  }

  return (
    <div className="queue-filters" role="search" aria-label="Filter the queue">
      <div className="queue-filters__search">
        <label htmlFor="queue-q" className="visually-hidden">
          Search tasks
        </label>
        <input
          id="queue-q"
          className="input"
          type="search"
          placeholder="Order number, service or requester"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {(teams.data?.length ?? 0) > 1 && (
        <div className="queue-filters__field">
          <label htmlFor="queue-team" className="queue-filters__label">
            Team
          </label>
          <select
            id="queue-team"
            className="input"
            value={filters.team}
            onChange={(e) => onChange({ team: e.target.value })}
          >
            <option value="">All my teams</option>
            {teams.data!.map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {tab !== 'attention' && (
        <div className="queue-filters__field">
          <label htmlFor="queue-assignee" className="queue-filters__label">
            Assigned
          </label>
          <select
            id="queue-assignee"
            className="input"
            value={filters.assignee}
            onChange={(e) => onChange({ assignee: e.target.value as QueueFilters['assignee'] })}
          >
            <option value="any">To anyone</option>
            <option value="me">To me</option>
            <option value="unassigned">To nobody yet</option>
          </select>
        </div>
      )}
      {tab === 'open' && (
        <label className="checkbox queue-filters__overdue">
          <input
            type="checkbox"
            checked={filters.overdue}
            onChange={(e) => onChange({ overdue: e.target.checked })}
          />
          Overdue only
        </label>
      )}
    </div>
  );
}
