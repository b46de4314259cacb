import { useState } from 'react';
import { priceOptions, validateOptions, type OptionValues, type OptionsSchema } from '@portico/shared';
import { OptionsForm, initialOptionValues, optionMessage } from '../catalog/options-form.tsx';
import { exampleOptions, fieldId, parseOptionsText, type Errors } from './service-draft.ts';
import { describedBy } from '../../components/form-parts.tsx';
import { formatMoney, isZeroMoney } from '../../components/format.ts';

interface OptionsEditorProps {
  text: string;
  onText: (text: string) => void;
  /** Problems at `options…` paths: the schema check as typed, or the server's. */
  errors: Errors;
  currency: string;
}

/** The order form as JSON, checked as typed, next to the form as a requester will see it. */
export function OptionsEditor({ text, onText, errors, currency }: OptionsEditorProps) {
  const id = fieldId('options');
  const parsed = parseOptionsText(text);
  const problems = Object.entries({ ...errors, ...parsed.errors });
  const errorId = problems.length ? `${id}-error` : undefined;

  return (
    <div className="split">
      <div className="split__pane">
        <div className="field">
          <label className="field__label" htmlFor={id}>
            Options (JSON Schema) <span className="field__optional">(optional)</span>
          </label>
          <textarea
            id={id}
            className="input input--mono input--code"
            rows={18}
            spellCheck={false}
            value={text}
            placeholder='{ "type": "object", "properties": { … }, "required": [] }'
            aria-invalid={problems.length > 0}
            aria-describedby={describedBy(id, 'hint', errorId)}
            onChange={(e) => onText(e.target.value)}
          />
          {problems.length > 0 ? (
            <div className="field__error field__error--list" id={errorId} role="alert">
              <span>The form has {problems.length === 1 ? 'a problem' : `${problems.length} problems`}:</span>
              <ul>
                {problems.map(([path, message]) => (
                  <li key={path}>
                    <code>{path.replace(/^options\.?/, '') || 'JSON'}</code> {message}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="field__hint" id={`${id}-hint`}>
              Field types: string (with pattern, enum, format “date”), number/integer (min, max, multipleOf,
              unit), boolean, array of enum strings. Extras: x-enumLabels, x-patternHint, x-visibleWhen,
              x-price.
            </p>
          )}
        </div>
        <div className="btn-row">
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            disabled={!parsed.value}
            onClick={() => parsed.value && onText(JSON.stringify(JSON.parse(text), null, 2))}
          >
            Format JSON
          </button>
          {!text.trim() && (
            <button
              type="button"
              className="btn btn--secondary btn--sm"
              onClick={() => onText(JSON.stringify(exampleOptions, null, 2))}
            >
              Start from an example
            </button>
          )}
          {text.trim() && (
            <button type="button" className="btn btn--ghost btn--sm" onClick={() => onText('')}>
              No options form
            </button>
          )}
        </div>
      </div>
      <div className="split__pane">
        <p className="preview-label">Preview — what a requester fills in</p>
        <div className="preview-frame">
          {parsed.value ? (
            <FormPreview schema={parsed.value} currency={currency} />
          ) : text.trim() ? (
            <p className="muted">Fix the JSON to see the form.</p>
          ) : (
            <p className="muted">No options: requesters only choose a plan and a quantity.</p>
          )}
        </div>
      </div>
    </div>
  );
}

function FormPreview({ schema, currency }: { schema: OptionsSchema; currency: string }) {
  const [entered, setEntered] = useState<OptionValues>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  // The schema changes as it is typed: start from its defaults and keep what was entered.
  const values: OptionValues = { ...initialOptionValues(schema) };
  for (const [k, v] of Object.entries(entered)) if (k in schema.properties) values[k] = v;
  const checked = validateOptions(schema, values);
  const errors: Record<string, string> = {};
  for (const e of checked.errors) {
    if (touched.has(e.path))
      errors[e.path] ??= optionMessage(schema.properties[e.path]?.title ?? e.path, e.message);
  }
  const extra = priceOptions(schema, checked.values);
  return (
    <>
      <OptionsForm
        schema={schema}
        values={values}
        onChange={(k, v) => setEntered((x) => ({ ...x, [k]: v }))}
        onBlur={(k) => setTouched((t) => new Set([...t, k]))}
        errors={errors}
        idPrefix="preview-opt"
        currency={currency}
      />
      <p className="preview-price small">
        {isZeroMoney(extra.monthly) && isZeroMoney(extra.oneTime) ? (
          <span className="muted">These choices add nothing to the plan’s price.</span>
        ) : (
          <>
            These choices add{' '}
            <strong>
              {[
                !isZeroMoney(extra.monthly) && `${formatMoney(extra.monthly, currency)}/month`,
                !isZeroMoney(extra.oneTime) && `${formatMoney(extra.oneTime, currency)} once`,
              ]
                .filter(Boolean)
                .join(' and ')}
            </strong>{' '}
            to each unit.
          </>
        )}
      </p>
    </>
  );
}
