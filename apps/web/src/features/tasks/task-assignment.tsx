import { useId, useState, type FormEvent } from 'react';
import type { Task } from '@portico/shared';
import { useAssignTask, useWorkTeams } from './tasks.api.ts';
import { DueBadge } from './task-due.tsx';
import { useCurrentUser } from '../session/current-user.ts';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import { formatAgo, formatDateTime } from '../../components/format.ts';
import { useNow } from '../../components/use-now.ts';

/** Who holds an open task, "Take it", and handing it to a colleague of its team or back to the team. */
export function TaskAssignment({ task }: { task: Task }) {
  const uid = useId();
  const me = useCurrentUser();
  const now = useNow();
  const teams = useWorkTeams();
  const assign = useAssignTask();
  const [to, setTo] = useState('');
  const holder = task.assignee;
  const mine = holder?.id === me.id;
  const colleagues = (teams.data?.find((t) => t.key === task.team.key)?.members ?? []).filter(
    (m) => m.id !== holder?.id,
  );
  const fieldError = withLabel('Colleague', fieldErrorsOf(assign.error).assignee);

  function give(e: FormEvent) {
    e.preventDefault();
    if (!to) return;
    assign.mutate(
      { id: task.id, body: { assignee: to, from: holder?.id ?? null } },
      { onSuccess: () => setTo('') },
    );
  }

  return (
    <section className="task-assignment" aria-labelledby={`${uid}-who`}>
      <h3 className="visually-hidden" id={`${uid}-who`}>
        Who works on it
      </h3>
      <div className="task-assignment__row">
        <p className="task-assignment__holder" aria-live="polite">
          {holder ? (
            <>
              <span className="avatar-dot" aria-hidden="true">
                {holder.name.slice(0, 1)}
              </span>
              {mine ? <strong>You have this task</strong> : <strong>{holder.name} has this task</strong>}
              {task.assignedAt && (
                <span className="muted small" title={formatDateTime(task.assignedAt)}>
                  {' '}
                  · since {formatAgo(task.assignedAt, now)}
                </span>
              )}
            </>
          ) : (
            <span className="muted">Nobody has taken this task yet.</span>
          )}
        </p>
        <DueBadge task={task} now={now} />
      </div>
      <div className="task-assignment__actions">
        {!holder && (
          <button
            type="button"
            className="btn btn--primary btn--sm"
            disabled={assign.isPending}
            onClick={() => assign.mutate({ id: task.id, body: 'claim' })}
          >
            {assign.isPending ? 'Taking…' : 'Take it'}
          </button>
        )}
        {holder && (
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            disabled={assign.isPending}
            onClick={() => assign.mutate({ id: task.id, body: { assignee: null, from: holder.id } })}
          >
            {mine ? 'Hand back to the team' : `Unassign ${holder.name}`}
          </button>
        )}
        {holder && !mine && (
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            disabled={assign.isPending}
            onClick={() => assign.mutate({ id: task.id, body: { assignee: me.id, from: holder.id } })}
          >
            Take it over
          </button>
        )}
      </div>
      {colleagues.length > 0 && (
        <form className="task-assignment__give" onSubmit={give} noValidate>
          <Field id={`${uid}-to`} label="Give it to a colleague" error={fieldError}>
            <div className="inline-form">
              <select
                id={`${uid}-to`}
                className="input"
                value={to}
                onChange={(e) => setTo(e.target.value)}
                aria-invalid={!!fieldError}
                aria-describedby={describedBy(`${uid}-to`, undefined, fieldError)}
              >
                <option value="">Choose someone of {task.team.name}…</option>
                {colleagues.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id === me.id ? `${m.name} (you)` : m.name}
                  </option>
                ))}
              </select>
              <button type="submit" className="btn btn--secondary btn--sm" disabled={!to || assign.isPending}>
                Assign
              </button>
            </div>
          </Field>
        </form>
      )}
      <FormProblem error={assign.error} shownPaths={['assignee']} />
    </section>
  );
}
