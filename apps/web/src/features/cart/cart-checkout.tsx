import { useId } from 'react';
import type { Cart } from '@portico/shared';
import {
  JustificationField,
  NeededByField,
  SlaAcceptance,
  type CheckoutErrors,
  type CheckoutValues,
} from '../orders/checkout-fields.tsx';
import { plural } from '../../components/format.ts';

interface CartCheckoutProps {
  cart: Cart;
  values: CheckoutValues;
  onChange: <K extends keyof CheckoutValues>(key: K, value: CheckoutValues[K]) => void;
  errors: CheckoutErrors;
  /** Element ids of the fields, so the page can focus the first problem. */
  ids: Record<'justification' | 'neededBy' | 'slaAccepted', string>;
}

/** Why, by when, and the SLAs: the part of the cart's checkout that is a form. */
export function CartCheckout({ cart, values, onChange, errors, ids }: CartCheckoutProps) {
  const uid = useId();
  const longest = Math.max(...cart.items.map((i) => i.leadTimeDays));
  return (
    <section className="card cart-checkout" aria-labelledby={`${uid}-title`} id="checkout">
      <h2 className="card__title" id={`${uid}-title`}>
        Checkout
      </h2>
      <JustificationField
        id={ids.justification}
        value={values.justification}
        onChange={(v) => onChange('justification', v)}
        error={errors.justification}
      />
      <NeededByField
        id={ids.neededBy}
        value={values.neededBy}
        onChange={(v) => onChange('neededBy', v)}
        error={errors.neededBy}
        hint={
          longest > 0
            ? `Everything usually arrives within ${plural(longest, 'business day')} after approval.`
            : 'Everything is usually delivered the day it is approved.'
        }
      />
      <SlaAcceptance
        id={ids.slaAccepted}
        slas={cart.items.map((i) => ({ key: i.id, what: `${i.service.name} · ${i.plan.name}`, sla: i.sla }))}
        checked={values.slaAccepted}
        onChange={(v) => onChange('slaAccepted', v)}
        error={errors.slaAccepted}
      />
    </section>
  );
}
