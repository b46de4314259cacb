import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { Task } from '@portico/shared';
import { useCompleteTask } from './tasks.api.ts';
import { TaskAssignment } from './task-assignment.tsx';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import { formatDateTime, humanizeKey } from '../../components/format.ts';

interface TaskPanelProps {
  task: Task;
  backHref: string;
  onCompleted: (task: Task) => void;
}

export function TaskPanel({ task, backHref, onCompleted }: TaskPanelProps) {
  const uid = useId();
  const complete = useCompleteTask();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      // What an earlier step already found out (the broker's hostname) is filled in, to check.
      task.outputFields.map((f) => [f.key, task.outputs[f.key] ?? task.earlierOutputs[f.key] ?? '']),
    ),
  );
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const open = task.status === 'open';
  const cancelled = task.status === 'cancelled';

  const server = fieldErrorsOf(complete.error);
  const fieldError = (key: string, label: string, required: boolean): string | undefined => {
    if (submitted && required && !values[key]?.trim()) return `${label} is required.`;
    return withLabel(label, server[`outputs.${key}`] ?? server[`outputs[${key}]`]);
  };
  const shownPaths = [...task.outputFields.map((f) => `outputs.${f.key}`), 'note'];

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const missing = task.outputFields.find((f) => f.required && !values[f.key]?.trim());
    if (missing) {
      document.getElementById(`${uid}-${missing.key}`)?.focus();
      return;
    }
    const outputs = Object.fromEntries(
      Object.entries(values)
        .map(([k, v]) => [k, v.trim()] as const)
        .filter(([, v]) => v !== ''),
    );
    const trimmedNote = note.trim();
    complete.mutate(
      { id: task.id, body: { outputs, ...(trimmedNote ? { note: trimmedNote } : {}) } },
      { onSuccess: (t) => onCompleted(t) },
    );
  }

  return (
    <article className="card task-panel" aria-labelledby={`${uid}-title`}>
      <Link to={backHref} replace className="task-panel__back">
        ← All tasks
      </Link>
      <header className="task-panel__head">
        <p className="approval__eyebrow">
          {task.kind === 'undo' && <span className="undo-badge">Undo</span>}
          {task.team.name} · opened {formatDateTime(task.createdAt)}
          {task.dueAt && <> · due {formatDateTime(task.dueAt)}</>}
        </p>
        <h2 className="task-panel__title" id={`${uid}-title`}>
          {task.title}
        </h2>
      </header>
      {open && <TaskAssignment task={task} />}

      <section aria-labelledby={`${uid}-instr`}>
        <h3 className="subhead" id={`${uid}-instr`}>
          Instructions
        </h3>
        <div className="instructions prewrap">{task.instructions}</div>
      </section>

      <section aria-labelledby={`${uid}-order`}>
        <h3 className="subhead" id={`${uid}-order`}>
          Order
        </h3>
        <dl className="facts facts--compact">
          <div>
            <dt>Order</dt>
            <dd>{task.order.number}</dd>
          </div>
          <div>
            <dt>Requester</dt>
            <dd>
              {task.order.requester.name}{' '}
              <a href={`mailto:${task.order.requester.email}`} className="small">
                {task.order.requester.email}
              </a>
            </dd>
          </div>
          <div>
            <dt>Service</dt>
            <dd>
              {task.line.service.name} <span className="muted">v{task.line.service.version}</span>
            </dd>
          </div>
          <div>
            <dt>Plan</dt>
            <dd>
              {task.line.plan.name} × {task.line.quantity}
            </dd>
          </div>
          {task.line.optionsShown.map(({ key, label, value }) => (
            <div key={key}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        {Object.keys(task.earlierOutputs).length > 0 && (
          <>
            <h3 className="task-panel__subtitle">Delivered by the steps before</h3>
            <dl className="facts facts--compact">
              {Object.entries(task.earlierOutputs).map(([key, value]) => (
                <div key={key}>
                  <dt>{humanizeKey(key)}</dt>
                  <dd className="mono">{value}</dd>
                </div>
              ))}
            </dl>
          </>
        )}
        {task.checklist.length > 0 && (
          <>
            <h3 className="task-panel__subtitle">Checklist</h3>
            <ul className="task-panel__checklist">
              {task.checklist.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </>
        )}
      </section>

      {open ? (
        <form onSubmit={submit} noValidate aria-labelledby={`${uid}-outputs`}>
          <h3 className="subhead" id={`${uid}-outputs`}>
            What you delivered
          </h3>
          {task.outputFields.length === 0 && <p className="muted small">Nothing to fill in for this task.</p>}
          {task.outputFields.map((f) => {
            const id = `${uid}-${f.key}`;
            const err = fieldError(f.key, f.label, f.required);
            return (
              <Field key={f.key} id={id} label={f.label} required={f.required} error={err}>
                <input
                  id={id}
                  className="input"
                  name={f.key}
                  value={values[f.key] ?? ''}
                  required={f.required}
                  aria-required={f.required}
                  onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                  aria-invalid={!!err}
                  aria-describedby={describedBy(id, undefined, err)}
                />
              </Field>
            );
          })}
          <Field
            id={`${uid}-note`}
            label="Note"
            hint="Shown to the requester on their order timeline."
            error={withLabel('Note', server.note)}
          >
            <textarea
              id={`${uid}-note`}
              className="input"
              rows={3}
              maxLength={2000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              aria-describedby={describedBy(`${uid}-note`, 'hint', server.note)}
            />
          </Field>
          <FormProblem error={complete.error} shownPaths={shownPaths} />
          <button type="submit" className="btn btn--primary" disabled={complete.isPending}>
            {complete.isPending ? 'Completing…' : task.kind === 'undo' ? 'Mark as undone' : 'Complete task'}
          </button>
        </form>
      ) : cancelled ? (
        <p className="alert alert--info">
          Cancelled: the line was abandoned or its subscription ended before this task was done.
        </p>
      ) : (
        <section aria-labelledby={`${uid}-done`}>
          <h3 className="subhead" id={`${uid}-done`}>
            Delivered
          </h3>
          <dl className="facts facts--compact">
            <div>
              <dt>Completed</dt>
              <dd>
                {task.completedAt ? formatDateTime(task.completedAt) : '—'}
                {task.completedBy && <> by {task.completedBy}</>}
              </dd>
            </div>
            {task.outputFields.map((f) => (
              <div key={f.key}>
                <dt>{f.label}</dt>
                <dd className="mono">{task.outputs[f.key] || '—'}</dd>
              </div>
            ))}
            {task.note && (
              <div className="facts__wide">
                <dt>Note</dt>
                <dd className="prewrap">{task.note}</dd>
              </div>
            )}
          </dl>
        </section>
      )}
    </article>
  );
}
