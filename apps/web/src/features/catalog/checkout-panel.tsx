import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import {
  priceOptions,
  unitPrice,
  type CartItemBody,
  type Me,
  type PlaceOrderBody,
  type Plan,
  type ServiceDetail,
} from '@portico/shared';
import { OptionsForm, optionMessage, type OptionsFormState } from './options-form.tsx';
import { usePlaceOrder } from '../orders/orders.api.ts';
import {
  CostCentreField,
  JustificationField,
  NeededByField,
  SlaAcceptance,
  checkoutPaths,
  initialCheckoutValues,
  serverCheckoutErrors,
  validateCheckout,
  type CheckoutErrors,
  type CheckoutValues,
} from '../orders/checkout-fields.tsx';
import { AddToCart } from '../cart/add-to-cart.tsx';
import { useAddToCart } from '../cart/cart.api.ts';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import { useIdempotencyKey } from '../../components/use-idempotency-key.ts';
import { formatMoney, isZeroMoney, multiplyMoney, plural, sumMoney } from '../../components/format.ts';

interface CheckoutPanelProps {
  service: ServiceDetail;
  plan: Plan;
  me: Me;
  /** The service's options form; owned by the page so the choices survive switching plans. */
  options: OptionsFormState;
}

/** A server error for option `key`, from ordering now (`lines.0.options.x`) or adding to the cart (`options.x`). */
function serverOptionError(server: Record<string, string>, key: string): string | undefined {
  return (
    server[`lines.0.options.${key}`] ??
    server[`lines[0].options.${key}`] ??
    server[`lines.0.options[${key}]`] ??
    server[`options.${key}`]
  );
}

const quantityPaths = ['lines.0.quantity', 'lines[0].quantity', 'quantity'];

/**
 * Order one service now ("buy now"), or put it in the cart to check out with other things.
 * Both share the options form and quantity; the checkout fields are the cart's too.
 */
export function CheckoutPanel({ service, plan, me, options }: CheckoutPanelProps) {
  const navigate = useNavigate();
  const place = usePlaceOrder();
  const add = useAddToCart();
  const keyFor = useIdempotencyKey();
  const uid = useId();
  const ids = {
    costCentre: `${uid}-cc`,
    justification: `${uid}-just`,
    neededBy: `${uid}-needed`,
    quantity: `${uid}-qty`,
    slaAccepted: `${uid}-sla`,
  };

  const [values, setValues] = useState<CheckoutValues>(() => initialCheckoutValues(me));
  const set = <K extends keyof CheckoutValues>(key: K, value: CheckoutValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const [quantity, setQuantity] = useState(1);
  // Client-side checks show after the first submit, then follow the user's edits live; the
  // line's own (quantity) after adding to the cart too.
  const [submitted, setSubmitted] = useState(false);
  const [lineChecked, setLineChecked] = useState(false);

  // The latest of the two actions speaks for the fields.
  const lastError = add.isError ? add.error : place.error;
  const server = fieldErrorsOf(lastError);
  const quantityInvalid = !Number.isInteger(quantity) || quantity < 1 || quantity > 100;
  const clientErrors: CheckoutErrors = submitted ? validateCheckout(values) : {};
  const fromServer = serverCheckoutErrors(server);
  const errors: CheckoutErrors = {
    costCentre: clientErrors.costCentre ?? fromServer.costCentre,
    justification: clientErrors.justification ?? fromServer.justification,
    neededBy: clientErrors.neededBy ?? fromServer.neededBy,
    slaAccepted: clientErrors.slaAccepted ?? fromServer.slaAccepted,
  };
  const quantityError =
    ((submitted || lineChecked) && quantityInvalid ? 'Between 1 and 100.' : undefined) ??
    withLabel('Quantity', quantityPaths.map((p) => server[p]).find(Boolean));

  const schema = service.options;
  const optionKeys = Object.keys(schema?.properties ?? {});
  const optionErrors: Record<string, string | undefined> = {};
  for (const key of optionKeys) {
    const message = serverOptionError(server, key);
    optionErrors[key] =
      options.shownErrors[key] ??
      (message ? optionMessage(schema?.properties[key]?.title ?? key, message) : undefined);
  }
  const shownPaths = [
    ...checkoutPaths,
    ...quantityPaths,
    ...optionKeys.flatMap((k) => [
      `lines.0.options.${k}`,
      `lines[0].options.${k}`,
      `lines.0.options[${k}]`,
      `options.${k}`,
    ]),
  ];

  /** Options and quantity, which both actions need; focuses the first problem. */
  function lineIsValid(): boolean {
    options.showAllErrors();
    const badOption = optionKeys.find((k) => options.errors[k]);
    if (badOption) {
      focus(`${uid}-opt-${badOption}`);
      return false;
    }
    if (quantityInvalid) {
      setLineChecked(true);
      focus(ids.quantity);
      return false;
    }
    return true;
  }

  function submit(ev: FormEvent) {
    ev.preventDefault();
    if (place.isPending) return;
    add.reset();
    setSubmitted(true);
    if (!lineIsValid()) return;
    const e = validateCheckout(values);
    const first = (Object.keys(e) as (keyof CheckoutValues)[])[0];
    if (first) {
      focus(ids[first]);
      return;
    }
    const body: PlaceOrderBody = {
      costCentre: values.costCentre,
      justification: values.justification.trim(),
      ...(values.neededBy ? { neededBy: values.neededBy } : {}),
      slaAccepted: true,
      lines: [{ service: service.slug, plan: plan.slug, options: options.clean, quantity }],
    };
    place.mutate(
      { body, idempotencyKey: keyFor(body) },
      { onSuccess: (order) => navigate(`/orders/${order.id}`, { state: { justPlaced: true } }) },
    );
  }

  function cartItem(): CartItemBody | null {
    place.reset();
    if (!lineIsValid()) return null;
    return { service: service.slug, plan: plan.slug, options: options.clean, quantity };
  }

  function focus(id: string) {
    const el = document.getElementById(id);
    el?.scrollIntoView({ block: 'center' });
    el?.focus({ preventScroll: true });
  }

  const noCostCentre = me.chargeableCostCentres.length === 0;
  const qty = quantityInvalid ? 1 : quantity;
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
          <Field id={ids.quantity} label="Quantity" required error={quantityError}>
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
              aria-invalid={!!quantityError}
              aria-describedby={describedBy(ids.quantity, undefined, quantityError)}
            />
          </Field>
          <h3 className="checkout__section-title">Who pays, and why</h3>
          <CostCentreField
            id={ids.costCentre}
            me={me}
            value={values.costCentre}
            onChange={(v) => set('costCentre', v)}
            error={errors.costCentre}
          />
          <JustificationField
            id={ids.justification}
            value={values.justification}
            onChange={(v) => set('justification', v)}
            error={errors.justification}
          />
          <NeededByField
            id={ids.neededBy}
            value={values.neededBy}
            onChange={(v) => set('neededBy', v)}
            error={errors.neededBy}
            hint={`Usual delivery: ${plural(plan.leadTimeDays, 'business day')} after approval`}
          />
          <SlaAcceptance
            id={ids.slaAccepted}
            slas={[{ key: plan.slug, what: `${service.name} · ${plan.name}`, sla: plan.sla }]}
            checked={values.slaAccepted}
            onChange={(v) => set('slaAccepted', v)}
            error={errors.slaAccepted}
          />
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
            Charged to {values.costCentre || 'your cost centre'} from delivery. Your request goes to approval
            first{me.manager ? ` (usually ${me.manager.name})` : ''}.
          </p>
          <FormProblem error={place.error} shownPaths={shownPaths} />
          <button
            type="submit"
            className="btn btn--primary btn--block btn--lg"
            disabled={place.isPending || noCostCentre}
          >
            {place.isPending ? 'Submitting…' : 'Submit request'}
          </button>
          <div className="checkout__or">
            <p className="muted small">
              Or order it with other things at once — the cart shows who approves and the budget impact.
            </p>
            <AddToCart
              add={add}
              shownPaths={shownPaths}
              getItem={cartItem}
              what={`${service.name} · ${plan.name}`}
              className="btn btn--secondary btn--block"
            />
          </div>
        </aside>
      </form>
    </section>
  );
}
