import type { ReactNode } from 'react';
import { isApiError } from '../app/api-client.ts';
import { errorMessage } from './states.tsx';

interface FieldProps {
  id: string;
  label: ReactNode;
  required?: boolean;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}

function RequiredMark({ required }: { required?: boolean }) {
  return required ? (
    <span className="field__required" aria-hidden="true">
      {' '}
      *
    </span>
  ) : (
    <span className="field__optional"> (optional)</span>
  );
}

/** The hint, or the error in its place; their ids are what `describedBy` points at. */
function HintOrError({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  if (error) {
    return (
      <p className="field__error" id={`${id}-error`}>
        {error}
      </p>
    );
  }
  return hint ? (
    <p className="field__hint" id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;
}

/**
 * A label, the control and its hint/error. The control must use `id`, and should set
 * `aria-describedby={describedBy(id, hint, error)}` and `aria-invalid={!!error}`.
 */
export function Field({ id, label, required, hint, error, children }: FieldProps) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </label>
      {children}
      <HintOrError id={id} hint={hint} error={error} />
    </div>
  );
}

interface FieldGroupProps {
  /** Used for the legend's hint and error ids: `${id}-hint`, `${id}-error`. */
  id: string;
  legend: ReactNode;
  required?: boolean;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
}

/** Like Field, for a group of radios or checkboxes: a fieldset whose legend is the label. */
export function FieldGroup({ id, legend, required, hint, error, children, className }: FieldGroupProps) {
  return (
    <fieldset
      className={`field field-group${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend className="field__label">
        {legend}
        <RequiredMark required={required} />
      </legend>
      {children}
      <HintOrError id={id} hint={hint} error={error} />
    </fieldset>
  );
}

export function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  if (error) return `${id}-error`;
  if (hint) return `${id}-hint`;
  return undefined;
}

interface FormProblemProps {
  error: unknown;
  /** Field paths shown next to their fields; all other per-field errors are listed here. */
  shownPaths?: string[];
}

/** The problem's title and detail, plus any per-field errors that have no field on screen. */
export function FormProblem({ error, shownPaths = [] }: FormProblemProps) {
  if (!error) return null;
  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const all = Object.entries(fieldErrors);
  const rest = all.filter(([path]) => !shownPaths.includes(path));
  // With per-field errors the detail only repeats them, so point at the fields instead.
  if (all.length > 0) {
    return (
      <div className="alert alert--error" role="alert">
        <p className="alert__title">
          {rest.length === all.length ? 'Please check your input' : 'Please check the highlighted fields'}
        </p>
        {rest.length > 0 && (
          <ul className="alert__list">
            {rest.map(([path, message]) => (
              <li key={path}>
                <code>{path}</code>: {message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  const title = isApiError(error) ? error.problem.title : 'Something went wrong';
  const detail = errorMessage(error);
  return (
    <div className="alert alert--error" role="alert">
      <p className="alert__title">{title}</p>
      {detail && detail !== title && <p>{detail}</p>}
    </div>
  );
}

export function fieldErrorsOf(error: unknown): Record<string, string> {
  return isApiError(error) ? error.fieldErrors() : {};
}

/**
 * A server message for one field as a sentence: the contract's messages follow the field
 * name ("is required", "needs at least 3 characters"), so lead with the label.
 */
export function withLabel(label: string, message: string | undefined): string | undefined {
  if (!message) return undefined;
  return /^[a-z]/.test(message) ? `${label} ${message}.`.replace(/\.\.$/, '.') : message;
}
