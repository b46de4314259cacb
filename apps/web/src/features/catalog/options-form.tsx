import { useState, type ReactNode } from 'react';
import {
  isVisible,
  validateOptions,
  type OptionField,
  type OptionValues,
  type OptionsSchema,
  type PriceDelta,
} from '@portico/shared';
import { Field, FieldGroup, describedBy } from '../../components/form-parts.tsx';
import { formatMoney, isZeroMoney } from '../../components/format.ts';

/** The values a fresh form starts with: the schema's defaults, unchecked boxes, empty lists. */
export function initialOptionValues(schema: OptionsSchema | null): OptionValues {
  const values: OptionValues = {};
  for (const [key, field] of Object.entries(schema?.properties ?? {})) {
    if (field.default !== undefined) values[key] = field.default;
    else if (field.type === 'boolean') values[key] = false;
    else if (field.type === 'array') values[key] = [];
    else if (field.type === 'string') values[key] = '';
  }
  return values;
}

/**
 * The state of an options form: the values, which fields the user has left (their errors show
 * from then on), and the check by the same validateOptions the server runs.
 */
export function useOptionsForm(schema: OptionsSchema | null, initial?: OptionValues) {
  const [values, setValues] = useState<OptionValues>(() => ({
    ...initialOptionValues(schema),
    ...initial,
  }));
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [showAll, setShowAll] = useState(false);
  const checked = validateOptions(schema, values);
  const all: Record<string, string> = {};
  for (const e of checked.errors) {
    const title = schema?.properties[e.path]?.title ?? e.path;
    all[e.path] ??= optionMessage(title, e.message);
  }
  const shown: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (showAll || touched.has(k)) shown[k] = v;

  return {
    values,
    /** The values to send: defaults filled in, hidden fields dropped. */
    clean: checked.values,
    /** Every problem, keyed by field. */
    errors: all,
    /** The problems to show now: for fields the user has left, or all after a submit. */
    shownErrors: shown,
    setValue(key: string, value: unknown) {
      setValues((v) => ({ ...v, [key]: value }));
    },
    touch(key: string) {
      setTouched((t) => (t.has(key) ? t : new Set([...t, key])));
    },
    /** From now on every problem shows (the user tried to submit). */
    showAllErrors() {
      setShowAll(true);
    },
    reset(next: OptionsSchema | null) {
      setValues(initialOptionValues(next));
      setTouched(new Set());
      setShowAll(false);
    },
  };
}

export type OptionsFormState = ReturnType<typeof useOptionsForm>;

/**
 * A message from validateOptions as a sentence that names the field: "Hostname is required"
 * stays, "must be at least 10" becomes "Extra disk must be at least 10.", a pattern hint
 * becomes "Hostname: lower-case letters….".
 */
export function optionMessage(title: string, message: string): string {
  const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
  if (message.startsWith(title)) return sentence(message);
  if (/^(must|needs|allows|is|lists)\b/.test(message)) return sentence(`${title} ${message}`);
  return sentence(`${title}: ${message}`);
}

/** "+ €15.00/month and €20.00 once" (or "+ €0.12 per GB a month") for a surcharge; null when it adds nothing. */
export function deltaText(delta: PriceDelta | undefined, currency: string, per?: string): string | null {
  if (!delta) return null;
  const parts: string[] = [];
  if (delta.monthly && !isZeroMoney(delta.monthly)) {
    const money = formatMoney(delta.monthly, currency);
    parts.push(per ? `${money} ${per} a month` : `${money}/month`);
  }
  if (delta.oneTime && !isZeroMoney(delta.oneTime)) {
    parts.push(`${formatMoney(delta.oneTime, currency)}${per ? ` ${per}` : ''} once`);
  }
  return parts.length ? `+ ${parts.join(' and ')}` : null;
}

interface OptionsFormProps {
  schema: OptionsSchema;
  values: OptionValues;
  onChange: (key: string, value: unknown) => void;
  /** Called when focus leaves a field (to check it then, not while the user is still typing). */
  onBlur?: (key: string) => void;
  errors: Record<string, string | undefined>;
  /** Prefix for element ids; a field's control has the id `${idPrefix}-${key}`. */
  idPrefix: string;
  currency: string;
}

/** The order form a service asks for, rendered from its options schema (a JSON Schema subset). */
export function OptionsForm({
  schema,
  values,
  onChange,
  onBlur,
  errors,
  idPrefix,
  currency,
}: OptionsFormProps) {
  const keys = Object.keys(schema.properties).filter((k) => isVisible(schema, k, values));
  return (
    <div className="options-form">
      {keys.map((key) => {
        const field = schema.properties[key]!;
        // Choices are done when made; typed fields are checked when the user leaves them.
        const picked =
          field.type === 'boolean' ||
          field.type === 'array' ||
          (field.type === 'string' && (!!field.enum || field.format === 'date'));
        return (
          <OptionInput
            key={key}
            id={`${idPrefix}-${key}`}
            field={field}
            required={schema.required.includes(key)}
            value={values[key]}
            error={errors[key]}
            currency={currency}
            onChange={(v) => {
              onChange(key, v);
              if (picked) onBlur?.(key);
            }}
            onBlur={() => onBlur?.(key)}
          />
        );
      })}
    </div>
  );
}

interface OptionInputProps {
  id: string;
  field: OptionField;
  required: boolean;
  value: unknown;
  error?: string;
  currency: string;
  onChange: (value: unknown) => void;
  onBlur: () => void;
}

function hintOf(...parts: (ReactNode | null | undefined | false)[]): ReactNode {
  const kept = parts.filter((p): p is ReactNode => !!p);
  if (kept.length === 0) return undefined;
  return kept.map((p, i) => (
    <span key={i} className="field__hint-part">
      {p}
    </span>
  ));
}

function OptionInput({ id, field, required, value, error, currency, onChange, onBlur }: OptionInputProps) {
  const common = {
    'aria-invalid': !!error,
    onBlur,
  };

  switch (field.type) {
    case 'string': {
      if (field.enum) {
        const labels = field['x-enumLabels'];
        const choices = field.enum.map((v, i) => ({
          value: v,
          label: labels?.[i] ?? v,
          price: deltaText(field['x-price']?.byValue[v], currency),
        }));
        const hint = hintOf(field.description);
        if (choices.length <= 4) {
          return (
            <FieldGroup id={id} legend={field.title} required={required} hint={hint} error={error}>
              <div className="choice-list">
                {choices.map((c, i) => (
                  <label key={c.value} className={`choice${value === c.value ? ' choice--on' : ''}`}>
                    <input
                      type="radio"
                      id={i === 0 ? id : undefined}
                      name={id}
                      value={c.value}
                      checked={value === c.value}
                      onChange={() => onChange(c.value)}
                      {...common}
                    />
                    <span className="choice__label">{c.label}</span>
                    {c.price && <span className="choice__price">{c.price}</span>}
                  </label>
                ))}
              </div>
            </FieldGroup>
          );
        }
        return (
          <Field id={id} label={field.title} required={required} hint={hint} error={error}>
            <select
              id={id}
              className="input"
              value={typeof value === 'string' ? value : ''}
              onChange={(e) => onChange(e.target.value)}
              aria-describedby={describedBy(id, hint, error)}
              {...common}
            >
              {(value === '' || value === undefined) && <option value="">Choose…</option>}
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                  {c.price ? ` (${c.price})` : ''}
                </option>
              ))}
            </select>
          </Field>
        );
      }
      const isDate = field.format === 'date';
      const hint = hintOf(field.description, !isDate && field['x-patternHint']);
      return (
        <Field id={id} label={field.title} required={required} hint={hint} error={error}>
          <input
            id={id}
            className={`input${isDate ? ' input--date' : ''}`}
            type={isDate ? 'date' : 'text'}
            value={typeof value === 'string' ? value : ''}
            maxLength={field.maxLength}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onChange(e.target.value)}
            aria-describedby={describedBy(id, hint, error)}
            {...common}
          />
        </Field>
      );
    }

    case 'number':
    case 'integer': {
      const unit = field.unit;
      const range =
        field.minimum !== undefined && field.maximum !== undefined
          ? `${field.minimum} to ${field.maximum}${unit ? ` ${unit}` : ''}`
          : field.minimum !== undefined
            ? `at least ${field.minimum}${unit ? ` ${unit}` : ''}`
            : field.maximum !== undefined
              ? `at most ${field.maximum}${unit ? ` ${unit}` : ''}`
              : null;
      const steps = field.multipleOf !== undefined ? `in steps of ${field.multipleOf}` : null;
      const price = deltaText(field['x-price']?.perUnit, currency, unit ? `per ${unit}` : 'each');
      const hint = hintOf(
        field.description,
        (range || steps) &&
          [range, steps]
            .filter(Boolean)
            .join(', ')
            .replace(/^./, (c) => c.toUpperCase()),
        price,
      );
      return (
        <Field id={id} label={field.title} required={required} hint={hint} error={error}>
          <div className="input-group">
            <input
              id={id}
              className="input input-group__input"
              type="number"
              inputMode={field.type === 'integer' ? 'numeric' : 'decimal'}
              min={field.minimum}
              max={field.maximum}
              step={field.multipleOf ?? (field.type === 'integer' ? 1 : 'any')}
              value={typeof value === 'number' && Number.isFinite(value) ? value : ''}
              onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.valueAsNumber)}
              aria-describedby={describedBy(id, hint, error)}
              {...common}
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

    case 'boolean': {
      const price = deltaText(field['x-price']?.whenTrue, currency);
      return (
        <div className={`field field--checkbox${error ? ' field--invalid' : ''}`}>
          <label className="checkbox checkbox--option">
            <input
              id={id}
              type="checkbox"
              checked={value === true}
              onChange={(e) => onChange(e.target.checked)}
              aria-describedby={describedBy(id, field.description, error)}
              {...common}
            />
            <span>
              {field.title}
              {price && <span className="choice__price"> {price}</span>}
            </span>
          </label>
          {field.description && !error && (
            <p className="field__hint" id={`${id}-hint`}>
              {field.description}
            </p>
          )}
          {error && (
            <p className="field__error" id={`${id}-error`}>
              {error}
            </p>
          )}
        </div>
      );
    }

    case 'array': {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      const labels = field['x-enumLabels'];
      const limits =
        field.minItems !== undefined && field.maxItems !== undefined
          ? `Choose ${field.minItems} to ${field.maxItems}`
          : field.maxItems !== undefined
            ? `Choose up to ${field.maxItems}`
            : field.minItems
              ? `Choose at least ${field.minItems}`
              : null;
      const hint = hintOf(field.description, limits);
      return (
        <FieldGroup id={id} legend={field.title} required={required} hint={hint} error={error}>
          <div className="choice-list">
            {field.items.enum.map((v, i) => {
              const on = chosen.includes(v);
              const price = deltaText(field['x-price']?.byValue[v], currency);
              return (
                <label key={v} className={`choice${on ? ' choice--on' : ''}`}>
                  <input
                    type="checkbox"
                    id={i === 0 ? id : undefined}
                    checked={on}
                    onChange={(e) =>
                      onChange(
                        e.target.checked
                          ? field.items.enum.filter((x) => x === v || chosen.includes(x))
                          : chosen.filter((x) => x !== v),
                      )
                    }
                    {...common}
                  />
                  <span className="choice__label">{labels?.[i] ?? v}</span>
                  {price && <span className="choice__price">{price}</span>}
                </label>
              );
            })}
          </div>
        </FieldGroup>
      );
    }
  }
}
