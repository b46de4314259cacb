import type { ReactNode } from 'react';
import { Field, describedBy } from '../../components/form-parts.tsx';
import { fieldId, getIn, type Draft, type Path } from './service-draft.ts';
import { optionMessage } from '../catalog/options-form.tsx';

/** An error as a sentence that names the field ("Monthly price must be…", "Owner team: no team x."). */
export function labelled(label: string, message: string | undefined): string | undefined {
  return message === undefined ? undefined : optionMessage(label, message);
}

/** What a field of the service editor needs: the draft, a setter by path, the error at a path. */
export interface EditorApi {
  draft: Draft;
  set: (path: Path, value: unknown) => void;
  error: (path: Path) => string | undefined;
  /** Every path with an error, e.g. to keep a plan with problems open. */
  errorPaths: string[];
}

interface BaseProps {
  ed: EditorApi;
  path: Path;
  label: string;
  required?: boolean;
  hint?: ReactNode;
  className?: string;
}

export function TextInput({
  ed,
  path,
  label,
  required,
  hint,
  className,
  placeholder,
  multiline,
  rows = 3,
  mono,
  readOnly,
  maxLength,
}: BaseProps & {
  placeholder?: string;
  multiline?: boolean;
  rows?: number;
  mono?: boolean;
  readOnly?: boolean;
  maxLength?: number;
}) {
  const id = fieldId(path);
  const error = labelled(label, ed.error(path));
  const value = getIn(ed.draft, path);
  const props = {
    id,
    className: `input${mono ? ' input--mono' : ''}`,
    value: typeof value === 'string' ? value : '',
    placeholder,
    readOnly,
    maxLength,
    'aria-invalid': !!error,
    'aria-describedby': describedBy(id, hint, error),
    onChange: (e: { target: { value: string } }) => ed.set(path, e.target.value),
  };
  return (
    <div className={className}>
      <Field id={id} label={label} required={required} hint={hint} error={error}>
        {multiline ? (
          <textarea rows={rows} {...props} />
        ) : (
          <input type="text" autoComplete="off" {...props} />
        )}
      </Field>
    </div>
  );
}

export function NumberInput({
  ed,
  path,
  label,
  required,
  hint,
  className,
  min,
  max,
  unit,
}: BaseProps & { min?: number; max?: number; unit?: string }) {
  const id = fieldId(path);
  const error = labelled(label, ed.error(path));
  const value = getIn(ed.draft, path);
  return (
    <div className={className}>
      <Field id={id} label={label} required={required} hint={hint} error={error}>
        <div className="input-group">
          <input
            id={id}
            className="input input-group__input"
            type="number"
            inputMode="numeric"
            min={min}
            max={max}
            value={typeof value === 'number' && Number.isFinite(value) ? value : ''}
            aria-invalid={!!error}
            aria-describedby={describedBy(id, hint, error)}
            // Empty is "not set" for optional numbers, and a missing number for required ones.
            onChange={(e) =>
              ed.set(
                path,
                e.target.value === '' ? (required ? Number.NaN : undefined) : e.target.valueAsNumber,
              )
            }
          />
          {unit && (
            <span className="input-group__unit" aria-hidden="true">
              {unit}
            </span>
          )}
        </div>
      </Field>
    </div>
  );
}

export function MoneyInput({
  ed,
  path,
  label,
  required,
  hint,
  className,
  currency,
}: BaseProps & { currency: string }) {
  const id = fieldId(path);
  const error = labelled(label, ed.error(path));
  const value = getIn(ed.draft, path);
  return (
    <div className={className}>
      <Field id={id} label={label} required={required} hint={hint} error={error}>
        <div className="input-group">
          <span className="input-group__unit input-group__unit--before" aria-hidden="true">
            {currency}
          </span>
          <input
            id={id}
            className="input input-group__input"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={typeof value === 'string' ? value : ''}
            placeholder="0.00"
            aria-invalid={!!error}
            aria-describedby={describedBy(id, hint, error)}
            onChange={(e) => ed.set(path, e.target.value.replace(',', '.').trim())}
          />
        </div>
      </Field>
    </div>
  );
}

export function SelectInput({
  ed,
  path,
  label,
  required,
  hint,
  className,
  options,
  placeholder = 'Choose…',
}: BaseProps & { options: { value: string; label: string }[]; placeholder?: string }) {
  const id = fieldId(path);
  const error = labelled(label, ed.error(path));
  const raw = getIn(ed.draft, path);
  const value = typeof raw === 'string' ? raw : '';
  const known = options.some((o) => o.value === value);
  return (
    <div className={className}>
      <Field id={id} label={label} required={required} hint={hint} error={error}>
        <select
          id={id}
          className="input"
          value={value}
          aria-invalid={!!error}
          aria-describedby={describedBy(id, hint, error)}
          onChange={(e) => ed.set(path, e.target.value)}
        >
          {!value && <option value="">{placeholder}</option>}
          {/* A value the list does not know (a team since removed) stays visible, not silently changed. */}
          {value && !known && <option value={value}>{value} (unknown)</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
