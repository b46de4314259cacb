import { useId, useState, type FormEvent } from 'react';
import { budgetPolicies, budgetPolicyLabels, type BudgetPolicy, type CostCentre } from '@portico/shared';
import { useSaveBudget } from './budgets.api.ts';
import {
  Field,
  FieldGroup,
  FormProblem,
  describedBy,
  fieldErrorsOf,
  withLabel,
} from '../../components/form-parts.tsx';

const amountPattern = /^\d+(\.\d{1,9})?$/;

interface Values {
  year: number;
  currency: string;
  annualAmount: string;
  monthlyAmount: string;
  onOverrun: BudgetPolicy;
}

function validate(v: Values): Partial<Record<keyof Values, string>> {
  const e: Partial<Record<keyof Values, string>> = {};
  if (!Number.isInteger(v.year) || v.year < 2000 || v.year > 2100) e.year = 'Enter a year like 2026.';
  if (!/^[A-Z]{3}$/.test(v.currency)) e.currency = 'Three capital letters, like EUR.';
  if (!amountPattern.test(v.annualAmount))
    e.annualAmount = 'An amount like 120000 or 120000.00, without separators.';
  if (v.monthlyAmount && !amountPattern.test(v.monthlyAmount))
    e.monthlyAmount = 'An amount like 10000.00, or empty for a twelfth of the year.';
  return e;
}

/** Set or change a cost centre's budget for a year, and what happens when an order would overrun it. */
export function BudgetForm({ cc, onDone }: { cc: CostCentre; onDone: () => void }) {
  const uid = useId();
  const save = useSaveBudget();
  const b = cc.budget;
  const [v, setV] = useState<Values>(() => ({
    year: b?.year ?? (Number(cc.year.period.slice(0, 4)) || new Date().getFullYear()),
    currency: b?.currency ?? 'EUR',
    annualAmount: b ? b.annualAmount.replace(/\.0+$/, '') : '',
    monthlyAmount: b ? b.monthlyAmount.replace(/\.0+$/, '') : '',
    onOverrun: b?.onOverrun ?? 'warn',
  }));
  const [submitted, setSubmitted] = useState(false);
  const id = (k: keyof Values) => `${uid}-${k}`;
  const server = fieldErrorsOf(save.error);
  const client = submitted ? validate(v) : {};
  const err = (k: keyof Values, label: string) => client[k] ?? withLabel(label, server[k]);
  const errors = {
    year: err('year', 'Year'),
    currency: err('currency', 'Currency'),
    annualAmount: err('annualAmount', 'Annual budget'),
    monthlyAmount: err('monthlyAmount', 'Monthly budget'),
    onOverrun: err('onOverrun', 'On overrun'),
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const problems = validate(v);
    const first = (Object.keys(problems) as (keyof Values)[])[0];
    if (first) {
      document.getElementById(id(first))?.focus();
      return;
    }
    save.mutate(
      {
        code: cc.code,
        year: v.year,
        body: {
          currency: v.currency,
          annualAmount: v.annualAmount,
          ...(v.monthlyAmount ? { monthlyAmount: v.monthlyAmount } : {}),
          onOverrun: v.onOverrun,
        },
      },
      { onSuccess: onDone },
    );
  }

  const text = (
    k: 'currency' | 'annualAmount' | 'monthlyAmount',
    label: string,
    hint?: string,
    required = true,
  ) => (
    <Field id={id(k)} label={label} required={required} hint={hint} error={errors[k]}>
      <input
        id={id(k)}
        className={`input${k === 'currency' ? ' input--narrow' : ''}`}
        inputMode={k === 'currency' ? 'text' : 'decimal'}
        autoComplete="off"
        value={v[k]}
        onChange={(e) =>
          setV((x) => ({ ...x, [k]: k === 'currency' ? e.target.value.toUpperCase() : e.target.value }))
        }
        aria-invalid={!!errors[k]}
        aria-describedby={describedBy(id(k), hint, errors[k])}
      />
    </Field>
  );

  return (
    <form className="budget-form" onSubmit={submit} noValidate aria-label={`Budget of ${cc.code}`}>
      <div className="form-grid form-grid--4 budget-form__grid">
        <Field id={id('year')} label="Year" required error={errors.year}>
          <input
            id={id('year')}
            className="input"
            type="number"
            inputMode="numeric"
            value={Number.isNaN(v.year) ? '' : v.year}
            onChange={(e) => setV((x) => ({ ...x, year: e.target.valueAsNumber }))}
            aria-invalid={!!errors.year}
            aria-describedby={describedBy(id('year'), undefined, errors.year)}
          />
        </Field>
        {text('currency', 'Currency')}
        {text('annualAmount', 'Annual budget')}
        {text('monthlyAmount', 'Monthly budget', 'Empty: a twelfth of the year', false)}
      </div>
      <FieldGroup
        id={id('onOverrun')}
        legend="When an order would go over budget"
        required
        error={errors.onOverrun}
      >
        <div className="choice-list choice-list--stacked">
          {budgetPolicies.map((p, i) => (
            <label key={p} className={`choice${v.onOverrun === p ? ' choice--on' : ''}`}>
              <input
                type="radio"
                id={i === 0 ? id('onOverrun') : undefined}
                name={id('onOverrun')}
                checked={v.onOverrun === p}
                onChange={() => setV((x) => ({ ...x, onOverrun: p }))}
              />
              <span className="choice__label">{budgetPolicyLabels[p]}</span>
            </label>
          ))}
        </div>
      </FieldGroup>
      <FormProblem
        error={save.error}
        shownPaths={['year', 'currency', 'annualAmount', 'monthlyAmount', 'onOverrun']}
      />
      <div className="btn-row">
        <button type="submit" className="btn btn--primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save budget'}
        </button>
        <button type="button" className="btn btn--secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
