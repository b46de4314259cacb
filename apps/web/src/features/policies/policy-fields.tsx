import type { ReactNode } from 'react';
import { Field, FieldGroup, describedBy } from '../../components/form-parts.tsx';

/** A field id from a body path (`rules.0.when.minCost` → `pol-rules-0-when-minCost`). */
export const pathId = (path: string) => `pol-${path.replace(/\./g, '-')}`;

interface TextProps {
  path: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  placeholder?: string;
  inputMode?: 'text' | 'decimal' | 'email';
  list?: string;
}

export function TextField({
  path,
  label,
  value,
  onChange,
  error,
  hint,
  required,
  placeholder,
  inputMode,
  list,
}: TextProps) {
  const id = pathId(path);
  return (
    <Field id={id} label={label} required={required} hint={hint} error={error}>
      <input
        id={id}
        className="input"
        autoComplete="off"
        inputMode={inputMode}
        type={inputMode === 'email' ? 'email' : 'text'}
        list={list}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Field>
  );
}

interface NumberProps {
  path: string;
  label: string;
  value: number;
  onChange: (value: number) => void;
  error?: string;
  hint?: ReactNode;
  unit?: string;
}

export function NumberField({ path, label, value, onChange, error, hint, unit }: NumberProps) {
  const id = pathId(path);
  return (
    <Field id={id} label={label} required hint={hint} error={error}>
      <div className="input-group">
        <input
          id={id}
          className="input input-group__input"
          type="number"
          inputMode="numeric"
          value={Number.isFinite(value) ? value : ''}
          onChange={(e) => onChange(e.target.valueAsNumber)}
          aria-invalid={!!error}
          aria-describedby={describedBy(id, hint, error)}
        />
        {unit && (
          <span className="input-group__unit" aria-hidden="true">
            {unit}
          </span>
        )}
      </div>
    </Field>
  );
}

interface CheckListProps<T extends string> {
  path: string;
  legend: string;
  options: { value: T; label: string }[];
  values: T[];
  onChange: (values: T[]) => void;
  error?: string;
  hint?: ReactNode;
}

/** Pick any of a few values, as toggle chips; none picked means "any". */
export function CheckList<T extends string>({
  path,
  legend,
  options,
  values,
  onChange,
  error,
  hint,
}: CheckListProps<T>) {
  const id = pathId(path);
  return (
    <FieldGroup id={id} legend={legend} hint={hint} error={error}>
      {options.length === 0 ? (
        <p className="muted small">Nothing to choose from.</p>
      ) : (
        <div className="choice-list">
          {options.map((o, i) => {
            const on = values.includes(o.value);
            return (
              <label key={o.value} className={`choice choice--sm${on ? ' choice--on' : ''}`}>
                <input
                  type="checkbox"
                  id={i === 0 ? id : undefined}
                  checked={on}
                  onChange={(e) =>
                    onChange(e.target.checked ? [...values, o.value] : values.filter((v) => v !== o.value))
                  }
                />
                <span className="choice__label">{o.label}</span>
              </label>
            );
          })}
        </div>
      )}
    </FieldGroup>
  );
}
