import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Cart, CartItem, CheckoutBody } from '@portico/shared';
import { useAddToCart, useCart, useCheckout, useRemoveCartItem } from './cart.api.ts';
import { CartItemCard } from './cart-item-card.tsx';
import { CartCheckout } from './cart-checkout.tsx';
import {
  CostCentreField,
  checkoutPaths,
  initialCheckoutValues,
  serverCheckoutErrors,
  validateCheckout,
  type CheckoutErrors,
  type CheckoutValues,
} from '../orders/checkout-fields.tsx';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { MoneyBreakdown } from '../../components/money-breakdown.tsx';
import { BudgetGauge } from '../../components/budget-gauge.tsx';
import { Toast, type ToastMessage } from '../../components/toast.tsx';
import { FormProblem, fieldErrorsOf } from '../../components/form-parts.tsx';
import { useIdempotencyKey } from '../../components/use-idempotency-key.ts';
import { plural } from '../../components/format.ts';

/** The checkout's messages for item `i`, keyed by the path inside it (`items.0.quantity` → `quantity`). */
function itemErrors(server: Record<string, string>, i: number): Record<string, string> {
  const prefix = `items.${i}.`;
  return Object.fromEntries(
    Object.entries(server)
      .filter(([path]) => path.startsWith(prefix))
      .map(([path, message]) => [path.slice(prefix.length), message]),
  );
}

export function CartPage() {
  const [params, setParams] = useSearchParams();
  const chosen = params.get('costCentre');
  const cart = useCart(chosen);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const dismiss = useCallback(() => setToast(null), []);

  let body;
  if (cart.isPending) body = <LoadingState label="Loading your cart…" />;
  else if (cart.isError) body = <ErrorState error={cart.error} onRetry={() => void cart.refetch()} />;
  else if (cart.data.items.length === 0)
    body = (
      <EmptyState
        icon="🛒"
        title="Your cart is empty"
        action={
          <Link to="/" className="btn btn--primary">
            Browse the catalogue
          </Link>
        }
      >
        Add services from the catalogue, then order them together with one justification.
      </EmptyState>
    );
  else
    body = (
      <CartView
        cart={cart.data}
        chosen={chosen}
        refreshing={cart.isPlaceholderData}
        onCostCentre={(code) => setParams({ costCentre: code }, { replace: true, preventScrollReset: true })}
        onToast={setToast}
      />
    );

  return (
    <div className="cart-page">
      <PageHeader
        title="Your cart"
        subtitle={
          cart.data?.items.length
            ? `${plural(cart.data.items.length, 'item')} · estimates update as you change them`
            : undefined
        }
      />
      {body}
      <Toast toast={toast} onDismiss={dismiss} />
    </div>
  );
}

interface CartViewProps {
  cart: Cart;
  chosen: string | null;
  /** The preview for a newly chosen cost centre is on its way. */
  refreshing: boolean;
  onCostCentre: (code: string) => void;
  onToast: (toast: ToastMessage | null) => void;
}

function CartView({ cart, chosen, refreshing, onCostCentre, onToast }: CartViewProps) {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const uid = useId();
  const checkout = useCheckout();
  const remove = useRemoveCartItem();
  const add = useAddToCart();
  const keyFor = useIdempotencyKey();
  const itemsHeading = useRef<HTMLHeadingElement>(null);
  const formId = `${uid}-form`;
  const ids = {
    costCentre: `${uid}-cc`,
    justification: `${uid}-just`,
    neededBy: `${uid}-needed`,
    slaAccepted: `${uid}-sla`,
  };
  const costCentre = chosen ?? cart.costCentre?.code ?? '';

  const [values, setValues] = useState<CheckoutValues>(() => initialCheckoutValues(me));
  const [submitted, setSubmitted] = useState(false);
  const current = { ...values, costCentre };
  const server = fieldErrorsOf(checkout.error);
  const client: CheckoutErrors = submitted ? validateCheckout(current, cart.items.length) : {};
  const fromServer = serverCheckoutErrors(server);
  const errors: CheckoutErrors = {
    costCentre: client.costCentre ?? fromServer.costCentre,
    justification: client.justification ?? fromServer.justification,
    neededBy: client.neededBy ?? fromServer.neededBy,
    slaAccepted: client.slaAccepted ?? fromServer.slaAccepted,
  };
  const shownPaths = [
    ...checkoutPaths,
    ...Object.keys(server).filter((p) => /^items\.\d+\.(quantity|options\.)/.test(p)),
  ];

  function removeItem(item: CartItem) {
    remove.mutate(
      { id: item.id, costCentre: chosen },
      {
        onSuccess: () => {
          itemsHeading.current?.focus();
          onToast({
            id: Date.now(),
            text: `Removed ${item.service.name} · ${item.plan.name} from your cart.`,
            action: {
              label: 'Undo',
              onClick: () => {
                onToast(null);
                add.mutate({
                  body: {
                    service: item.service.slug,
                    plan: item.plan.slug,
                    options: item.options,
                    quantity: item.quantity,
                    usage: item.usage,
                  },
                  costCentre: chosen,
                });
              },
            },
          });
        },
      },
    );
  }

  function submit(ev: FormEvent) {
    ev.preventDefault();
    if (checkout.isPending) return;
    setSubmitted(true);
    const e = validateCheckout(current, cart.items.length);
    const first = (Object.keys(e) as (keyof CheckoutValues)[])[0];
    if (first) {
      document.getElementById(ids[first])?.focus();
      return;
    }
    const body: CheckoutBody = {
      costCentre,
      justification: values.justification.trim(),
      ...(values.neededBy ? { neededBy: values.neededBy } : {}),
      slaAccepted: true,
    };
    // The same attempt only while the cart itself is unchanged too.
    const attempt = { body, items: cart.items.map((i) => [i.id, i.plan.slug, i.quantity, i.options]) };
    checkout.mutate(
      { body, idempotencyKey: keyFor(attempt) },
      { onSuccess: (order) => navigate(`/orders/${order.id}`, { state: { justPlaced: true } }) },
    );
  }

  const t = cart.total;
  return (
    <div className="cart-layout">
      <div className="cart-layout__main">
        <h2 className="visually-hidden" ref={itemsHeading} tabIndex={-1}>
          Items
        </h2>
        {add.isError && <FormProblem error={add.error} />}
        {remove.isError && <FormProblem error={remove.error} />}
        <ul className="stack" aria-label="Items in your cart">
          {cart.items.map((item, i) => (
            <li key={item.id}>
              <CartItemCard
                item={item}
                costCentre={chosen}
                checkoutErrors={itemErrors(server, i)}
                onRemove={removeItem}
                removing={remove.isPending && remove.variables.id === item.id}
              />
            </li>
          ))}
        </ul>
        <form id={formId} onSubmit={submit} noValidate>
          <CartCheckout
            cart={cart}
            values={values}
            onChange={(key, value) => setValues((v) => ({ ...v, [key]: value }))}
            errors={errors}
            ids={ids}
          />
        </form>
      </div>

      <aside className={`cart-summary${refreshing ? ' cart-summary--busy' : ''}`} aria-label="Order summary">
        <h2 className="cart-summary__title">Summary</h2>
        <CostCentreField
          id={ids.costCentre}
          me={me}
          value={costCentre}
          onChange={onCostCentre}
          error={errors.costCentre}
          hint="Prices, budget and approvers are worked out for this cost centre."
        />
        <MoneyBreakdown
          total
          currency={t.currency}
          oneTime={t.oneTime}
          monthly={t.monthly}
          meteredMonthly={t.meteredMonthly}
          firstYear={t.firstYear}
          testId="cart-total"
        />
        {cart.budget ? (
          <BudgetGauge impact={cart.budget} />
        ) : (
          <p className="muted small">Choose a cost centre to see the impact on its budget.</p>
        )}
        {cart.blockers.length > 0 && (
          <div className="alert alert--error" role="alert" data-testid="cart-blockers">
            <p className="alert__title">Before you can check out</p>
            <ul className="alert__list">
              {cart.blockers.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          </div>
        )}
        <FormProblem error={checkout.error} shownPaths={shownPaths} />
        <button
          type="submit"
          form={formId}
          className="btn btn--primary btn--block btn--lg"
          disabled={checkout.isPending || me.chargeableCostCentres.length === 0}
        >
          {checkout.isPending ? 'Submitting…' : `Submit request (${plural(cart.items.length, 'item')})`}
        </button>
        <p className="muted small">
          Each item goes to its approvers as shown on it; you can follow them on the request page.
        </p>
      </aside>
    </div>
  );
}
