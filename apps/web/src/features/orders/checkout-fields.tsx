// The parts of a checkout both ways of ordering share: buying one service now (the service
// page) and checking out the cart. Who pays, why, by when, and the SLA accepted.
import type { Me, Sla } from '@portico/shared';
import { Field, describedBy, withLabel } from '../../components/form-parts.tsx';
import { todayIsoDate } from '../../components/format.ts';

export interface CheckoutValues {
  costCentre: string;
  justification: string;
  neededBy: string;
  slaAccepted: boolean;
}

export type CheckoutErrors = Partial<Record<keyof CheckoutValues, string>>;

export function initialCheckoutValues(me: Me): CheckoutValues {
  return {
    costCentre: me.defaultCostCentre?.code ?? me.chargeableCostCentres[0]?.code ?? '',
    justification: '',
    neededBy: '',
    slaAccepted: false,
  };
}

/** The checks the browser can make before sending, worded for people. */
export function validateCheckout(v: CheckoutValues, slaCount = 1): CheckoutErrors {
  const e: CheckoutErrors = {};
  if (!v.costCentre) e.costCentre = 'Choose the cost centre that pays for this.';
  if (!v.justification.trim()) e.justification = 'Tell your approver why you need this.';
  if (v.neededBy && v.neededBy < todayIsoDate()) e.neededBy = 'Pick today or a later date.';
  if (!v.slaAccepted)
    e.slaAccepted = `Please read and accept the ${slaCount > 1 ? 'SLAs' : 'SLA'} to continue.`;
  return e;
}

/** The server's messages for the checkout's own fields, as sentences. */
export function serverCheckoutErrors(server: Record<string, string>): CheckoutErrors {
  return {
    costCentre: withLabel('Cost centre', server.costCentre),
    justification: withLabel('Justification', server.justification),
    neededBy: withLabel('Needed by', server.neededBy),
    slaAccepted: withLabel('The SLA', server.slaAccepted),
  };
}

export const checkoutPaths = ['costCentre', 'justification', 'neededBy', 'slaAccepted'];

interface CostCentreFieldProps {
  id: string;
  me: Me;
  value: string;
  onChange: (code: string) => void;
  error?: string;
  hint?: string;
}

export function CostCentreField({
  id,
  me,
  value,
  onChange,
  error,
  hint = 'The budget this is charged to every month.',
}: CostCentreFieldProps) {
  const none = me.chargeableCostCentres.length === 0;
  return (
    <Field id={id} label="Cost centre" required error={error} hint={none ? undefined : hint}>
      {none ? (
        <p className="alert alert--warning" id={id}>
          You cannot charge any cost centre yet. Ask your manager or finance to give you access to one.
        </p>
      ) : (
        <select
          id={id}
          className="input"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={!!error}
          aria-describedby={describedBy(id, hint, error)}
        >
          {me.chargeableCostCentres.map((cc) => (
            <option key={cc.code} value={cc.code}>
              {cc.code} — {cc.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface TextFieldProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

export function JustificationField({ id, value, onChange, error }: TextFieldProps) {
  const hint = 'Your approver reads this. What is it for, and why now?';
  return (
    <Field id={id} label="Business justification" required error={error} hint={hint}>
      <textarea
        id={id}
        className="input"
        rows={4}
        maxLength={2000}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Field>
  );
}

export function NeededByField({ id, value, onChange, error, hint }: TextFieldProps & { hint?: string }) {
  return (
    <Field id={id} label="Needed by" error={error} hint={hint}>
      <input
        id={id}
        className="input input--date"
        type="date"
        min={todayIsoDate()}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Field>
  );
}

interface SlaAcceptanceProps {
  id: string;
  /** Each SLA to accept, with what it covers ("Virtual Machine · Small"). */
  slas: { key: string; what: string; sla: Sla }[];
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
}

/** The SLA of each item in plain words, and one explicit acceptance for all of them. */
export function SlaAcceptance({ id, slas, checked, onChange, error }: SlaAcceptanceProps) {
  const single = slas.length === 1 ? slas[0] : undefined;
  return (
    <fieldset className={`sla-accept${error ? ' sla-accept--invalid' : ''}`}>
      <legend className="sla-accept__legend">
        {single ? `Service level: ${single.sla.name}` : 'Service levels'}
      </legend>
      {single ? (
        <p className="sla-accept__summary">{single.sla.summary}</p>
      ) : (
        <ul className="sla-accept__list">
          {slas.map((s) => (
            <li key={s.key}>
              <p className="sla-accept__what">
                {s.what} <span className="muted">· {s.sla.name}</span>
              </p>
              <p className="sla-accept__summary">{s.sla.summary}</p>
            </li>
          ))}
        </ul>
      )}
      <label className="checkbox">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <span>{single ? 'I accept this SLA' : `I accept these ${slas.length} SLAs`}</span>
      </label>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
