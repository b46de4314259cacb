import { useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import {
  priceOptions,
  unitPrice,
  type Me,
  type PlaceOrderBody,
  type Plan,
  type ServiceDetail,
} from '@portico/shared';
import { OptionsForm, optionMessage, type OptionsFormState } from './options-form.tsx';
import { usePlaceOrder } from '../orders/orders.api.ts';
import { newUuid } from '../../app/api-client.ts';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import {
  formatMoney,
  isZeroMoney,
  multiplyMoney,
  plural,
  sumMoney,
  todayIsoDate,
} from '../../components/format.ts';

interface CheckoutPanelProps {
  service: ServiceDetail;
  plan: Plan;
  me: Me;
  /** The service's options form; owned by the page so the choices survive switching plans. */
  options: OptionsFormState;
}

/** A server error for option `key` of the (only) line, under either path spelling. */
function serverOptionError(server: Record<string, string>, key: string): string | undefined {
  return (
    server[`lines.0.options.${key}`] ?? server[`lines[0].options.${key}`] ?? server[`lines.0.options[${key}]`]
  );
}

type FieldKey = 'costCentre' | 'justification' | 'neededBy' | 'quantity' | 'slaAccepted';
const shownPaths = [
  'costCentre',
  'justification',
  'neededBy',
  'slaAccepted',
  'lines.0.quantity',
  'lines[0].quantity',
];

export function CheckoutPanel({ service, plan, me, options }: CheckoutPanelProps) {
  const navigate = useNavigate();
  const place = usePlaceOrder();
  const uid = useId();
  const ids = {
    costCentre: `${uid}-cc`,
    justification: `${uid}-just`,
    neededBy: `${uid}-needed`,
    quantity: `${uid}-qty`,
    sla: `${uid}-sla`,
  };

  const [costCentre, setCostCentre] = useState(
    me.defaultCostCentre?.code ?? me.chargeableCostCentres[0]?.code ?? '',
  );
  const [justification, setJustification] = useState('');
  const [neededBy, setNeededBy] = useState('');
  const [quantity, setQuantity] = useState(1);
  const [slaAccepted, setSlaAccepted] = useState(false);
  // Client-side checks show after the first submit, then follow the user's edits live.
  const [submitted, setSubmitted] = useState(false);

  // One idempotency key per checkout attempt: a retry of the same submit (after a network
  // error or a 5xx) reuses it, so the server creates at most one order; changing the
  // request makes it a new attempt with a new key.
  const attempt = useRef<{ key: string; body: string } | null>(null);

  const server = fieldErrorsOf(place.error);
  const clientErrors = submitted ? validate() : {};
  const errors: Partial<Record<FieldKey, string>> = {
    costCentre: clientErrors.costCentre ?? withLabel('Cost centre', server.costCentre),
    justification: clientErrors.justification ?? withLabel('Justification', server.justification),
    neededBy: clientErrors.neededBy ?? withLabel('Needed by', server.neededBy),
    quantity:
      clientErrors.quantity ??
      withLabel('Quantity', server['lines.0.quantity'] ?? server['lines[0].quantity']),
    slaAccepted: clientErrors.slaAccepted ?? withLabel('The SLA', server.slaAccepted),
  };

  const schema = service.options;
  const optionKeys = Object.keys(schema?.properties ?? {});
  const optionErrors: Record<string, string | undefined> = {};
  for (const key of optionKeys) {
    const fromServer = serverOptionError(server, key);
    optionErrors[key] =
      options.shownErrors[key] ??
      (fromServer ? optionMessage(schema?.properties[key]?.title ?? key, fromServer) : undefined);
  }
  const allShownPaths = [
    ...shownPaths,
    ...optionKeys.flatMap((k) => [`lines.0.options.${k}`, `lines[0].options.${k}`, `lines.0.options[${k}]`]),
  ];

  function validate(): Partial<Record<FieldKey, string>> {
    const e: Partial<Record<FieldKey, string>> = {};
    if (!costCentre) e.costCentre = 'Choose the cost centre that pays for this.';
    if (!justification.trim()) e.justification = 'Tell your approver why you need this.';
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100) e.quantity = 'Between 1 and 100.';
    if (neededBy && neededBy < todayIsoDate()) e.neededBy = 'Pick today or a later date.';
    if (!slaAccepted) e.slaAccepted = 'Please read and accept the SLA to continue.';
    return e;
  }

  function submit(ev: FormEvent) {
    ev.preventDefault();
    if (place.isPending) return;
    const e = validate();
    setSubmitted(true);
    options.showAllErrors();
    const badOption = optionKeys.find((k) => options.errors[k]);
    if (badOption) {
      focusOption(badOption);
      return;
    }
    if (Object.keys(e).length) {
      const first = Object.keys(e)[0] as FieldKey;
      const id = first === 'slaAccepted' ? ids.sla : ids[first];
      document.getElementById(id)?.focus();
      return;
    }
    const body: PlaceOrderBody = {
      costCentre,
      justification: justification.trim(),
      ...(neededBy ? { neededBy } : {}),
      slaAccepted: true,
      lines: [{ service: service.slug, plan: plan.slug, options: options.clean, quantity }],
    };
    const serialized = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== serialized) {
      attempt.current = { key: newUuid(), body: serialized };
    }
    place.mutate(
      { body, idempotencyKey: attempt.current.key },
      { onSuccess: (order) => navigate(`/orders/${order.id}`, { state: { justPlaced: true } }) },
    );
  }

  function focusOption(key: string) {
    const el = document.getElementById(`${uid}-opt-${key}`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus({ preventScroll: true });
  }

  const noCostCentre = me.chargeableCostCentres.length === 0;
  const qty = Number.isInteger(quantity) && quantity > 0 ? quantity : 1;
  // The same arithmetic the server prices the line with: the plan plus the options' surcharges.
  const extra = priceOptions(schema, options.clean);
  const unit = unitPrice({ oneTime: plan.oneTimePrice, monthly: plan.monthlyPrice }, schema, options.clean);
  const oneTimeTotal = multiplyMoney(unit.oneTime, qty);
  const monthlyTotal = multiplyMoney(unit.monthly, qty);
  const firstYear = sumMoney([oneTimeTotal, multiplyMoney(monthlyTotal, 12)]);
  const hasExtra = !isZeroMoney(extra.monthly) || !isZeroMoney(extra.oneTime);

  return (
    <section className="card checkout" aria-labelledby={`${uid}-title`} id="checkout">
      <h2 className="checkout__title" id={`${uid}-title`} tabIndex={-1}>
        Checkout: {service.name} — {plan.name}
      </h2>
      <form className="checkout__grid" onSubmit={submit} noValidate>
        <div className="checkout__form">
          {schema && optionKeys.length > 0 && (
            <section className="checkout__options" aria-labelledby={`${uid}-opts`}>
              <h3 className="checkout__section-title" id={`${uid}-opts`}>
                Configure {service.name}
              </h3>
              <OptionsForm
                schema={schema}
                values={options.values}
                onChange={options.setValue}
                onBlur={options.touch}
                errors={optionErrors}
                idPrefix={`${uid}-opt`}
                currency={plan.currency}
              />
            </section>
          )}
          {schema && optionKeys.length > 0 && <h3 className="checkout__section-title">Who pays, and why</h3>}
          <Field
            id={ids.costCentre}
            label="Cost centre"
            required
            error={errors.costCentre}
            hint={noCostCentre ? undefined : 'The budget this is charged to every month.'}
          >
            {noCostCentre ? (
              <p className="alert alert--warning" id={ids.costCentre}>
                You cannot charge any cost centre yet. Ask your manager or finance to give you access to one.
              </p>
            ) : (
              <select
                id={ids.costCentre}
                className="input"
                value={costCentre}
                onChange={(e) => setCostCentre(e.target.value)}
                aria-invalid={!!errors.costCentre}
                aria-describedby={describedBy(ids.costCentre, 'hint', errors.costCentre)}
              >
                {me.chargeableCostCentres.map((cc) => (
                  <option key={cc.code} value={cc.code}>
                    {cc.code} — {cc.name}
                  </option>
                ))}
              </select>
            )}
          </Field>

          <Field
            id={ids.justification}
            label="Business justification"
            required
            error={errors.justification}
            hint="Your approver reads this. What is it for, and why now?"
          >
            <textarea
              id={ids.justification}
              className="input"
              rows={4}
              maxLength={2000}
              value={justification}
              onChange={(e) => setJustification(e.target.value)}
              aria-invalid={!!errors.justification}
              aria-describedby={describedBy(ids.justification, 'hint', errors.justification)}
            />
          </Field>

          <div className="field-row">
            <Field
              id={ids.neededBy}
              label="Needed by"
              error={errors.neededBy}
              hint={`Usual delivery: ${plural(plan.leadTimeDays, 'business day')}`}
            >
              <input
                id={ids.neededBy}
                className="input"
                type="date"
                min={todayIsoDate()}
                value={neededBy}
                onChange={(e) => setNeededBy(e.target.value)}
                aria-invalid={!!errors.neededBy}
                aria-describedby={describedBy(ids.neededBy, 'hint', errors.neededBy)}
              />
            </Field>
            <Field id={ids.quantity} label="Quantity" required error={errors.quantity}>
              <input
                id={ids.quantity}
                className="input input--narrow"
                type="number"
                inputMode="numeric"
                min={1}
                max={100}
                step={1}
                value={Number.isNaN(quantity) ? '' : quantity}
                onChange={(e) => setQuantity(e.target.valueAsNumber)}
                aria-invalid={!!errors.quantity}
                aria-describedby={describedBy(ids.quantity, undefined, errors.quantity)}
              />
            </Field>
          </div>

          <fieldset className={`sla-accept${errors.slaAccepted ? ' sla-accept--invalid' : ''}`}>
            <legend className="sla-accept__legend">Service level: {plan.sla.name}</legend>
            <p className="sla-accept__summary">{plan.sla.summary}</p>
            <label className="checkbox">
              <input
                id={ids.sla}
                type="checkbox"
                checked={slaAccepted}
                onChange={(e) => setSlaAccepted(e.target.checked)}
                aria-invalid={!!errors.slaAccepted}
                aria-describedby={errors.slaAccepted ? `${ids.sla}-error` : undefined}
              />
              <span>I accept this SLA</span>
            </label>
            {errors.slaAccepted && (
              <p className="field__error" id={`${ids.sla}-error`}>
                {errors.slaAccepted}
              </p>
            )}
          </fieldset>
        </div>

        <aside className="checkout__summary" aria-label="Order summary">
          <h3 className="checkout__summary-title">Summary</h3>
          <dl className="summary-list">
            <div>
              <dt>
                {service.name} · {plan.name}
              </dt>
              <dd>× {Number.isNaN(quantity) ? '—' : quantity}</dd>
            </div>
            <div className="summary-list__detail">
              <dt>Plan, each</dt>
              <dd>
                {formatMoney(plan.monthlyPrice, plan.currency)}/month
                {!isZeroMoney(plan.oneTimePrice) && (
                  <> + {formatMoney(plan.oneTimePrice, plan.currency)} once</>
                )}
              </dd>
            </div>
            {hasExtra && (
              <div className="summary-list__detail" data-testid="options-surcharge">
                <dt>Your options, each</dt>
                <dd>
                  {!isZeroMoney(extra.monthly) && <>+ {formatMoney(extra.monthly, plan.currency)}/month</>}
                  {!isZeroMoney(extra.monthly) && !isZeroMoney(extra.oneTime) && <br />}
                  {!isZeroMoney(extra.oneTime) && <>+ {formatMoney(extra.oneTime, plan.currency)} once</>}
                </dd>
              </div>
            )}
            <div>
              <dt>One-time</dt>
              <dd>{isZeroMoney(oneTimeTotal) ? 'none' : formatMoney(oneTimeTotal, plan.currency)}</dd>
            </div>
            <div className="summary-list__total">
              <dt>Monthly</dt>
              <dd data-testid="monthly-total">{formatMoney(monthlyTotal, plan.currency)}</dd>
            </div>
            <div className="summary-list__detail">
              <dt>First year</dt>
              <dd>{formatMoney(firstYear, plan.currency)}</dd>
            </div>
          </dl>
          {plan.meteredPrices.length > 0 && (
            <p className="muted small">
              Plus what you use:{' '}
              {plan.meteredPrices
                .map((m) => `${formatMoney(m.price, plan.currency)} per ${m.unit}`)
                .join(', ')}
              .
            </p>
          )}
          <p className="muted small">
            Charged to {costCentre || 'your cost centre'} from delivery. Your request goes to approval first
            {me.manager ? ` (usually ${me.manager.name})` : ''}.
          </p>
          <FormProblem error={place.error} shownPaths={allShownPaths} />
          <button
            type="submit"
            className="btn btn--primary btn--block btn--lg"
            disabled={place.isPending || noCostCentre}
          >
            {place.isPending ? 'Submitting…' : 'Submit request'}
          </button>
        </aside>
      </form>
    </section>
  );
}
