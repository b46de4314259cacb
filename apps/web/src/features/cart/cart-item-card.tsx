import { useId, useState } from 'react';
import { Link } from 'react-router';
import type { CartItem } from '@portico/shared';
import { useItemEditor, validQuantity } from './use-item-editor.ts';
import { CartItemOptions } from './cart-item-options.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { KindBadge } from '../../components/kind-badge.tsx';
import { OptionsSummary } from '../../components/options-summary.tsx';
import { QuantityStepper } from '../../components/quantity-stepper.tsx';
import { MoneyBreakdown } from '../../components/money-breakdown.tsx';
import { ApprovalRouteView } from '../../components/approval-route.tsx';
import { Field, describedBy, withLabel } from '../../components/form-parts.tsx';
import { formatMoney, isZeroMoney, plural } from '../../components/format.ts';

interface CartItemCardProps {
  item: CartItem;
  costCentre: string | null;
  /** The checkout's messages about this item, by path inside it (`quantity`, `options.diskGb`). */
  checkoutErrors: Record<string, string>;
  onRemove: (item: CartItem) => void;
  removing: boolean;
}

/** Messages under `prefix.` (`options.diskGb` → `diskGb`). */
function under(prefix: string, ...sources: Record<string, string>[]): Record<string, string | undefined> {
  const out: Record<string, string> = {};
  for (const source of sources)
    for (const [path, message] of Object.entries(source))
      if (path.startsWith(`${prefix}.`)) out[path.slice(prefix.length + 1)] ??= message;
  return out;
}

export function CartItemCard({ item, costCentre, checkoutErrors, onRemove, removing }: CartItemCardProps) {
  const uid = useId();
  const ed = useItemEditor(item, costCentre);
  const [editOptions, setEditOptions] = useState(false);
  const currency = item.estimate.currency;
  const money = (a: string) => formatMoney(a, currency);
  const what = `${item.service.name} · ${item.plan.name}`;

  const problems = [...item.problems];
  const quantityError = !validQuantity(ed.quantity)
    ? 'Quantity: a whole number from 1 to 100.'
    : withLabel('Quantity', ed.serverErrors.quantity ?? checkoutErrors.quantity);
  const optionErrors = under('options', ed.serverErrors, checkoutErrors);
  const usageErrors = under('usage', ed.serverErrors);
  // Option problems show next to their field once the options are open, in the list otherwise.
  const listed = editOptions ? problems.filter((p) => !p.path.startsWith('options.')) : problems;
  const optionProblems = Object.fromEntries(
    problems.filter((p) => p.path.startsWith('options.')).map((p) => [p.path.slice(8), p.message]),
  );
  const blockedQuota = item.quota.filter((q) => !q.ok);

  return (
    <article
      className={`card cart-item${removing ? ' cart-item--removing' : ''}${problems.length || blockedQuota.length ? ' cart-item--problem' : ''}`}
      aria-labelledby={`${uid}-name`}
      data-testid="cart-item"
    >
      <header className="cart-item__head">
        <ServiceIcon icon={item.service.icon} name={item.service.name} kind={item.service.kind} />
        <div className="cart-item__title">
          <h3 className="cart-item__name" id={`${uid}-name`}>
            <Link to={`/s/${encodeURIComponent(item.service.slug)}`}>{item.service.name}</Link>
            <span className="muted"> · {item.plan.name}</span>
          </h3>
          <p className="cart-item__meta small muted">
            <KindBadge kind={item.service.kind} /> {money(item.unitMonthly)}/month each
            {!isZeroMoney(item.unitOneTime) && <> + {money(item.unitOneTime)} once</>}
          </p>
        </div>
        <button
          type="button"
          className="btn btn--ghost btn--sm cart-item__remove"
          onClick={() => onRemove(item)}
          disabled={removing}
          aria-label={`Remove ${what} from the cart`}
        >
          Remove
        </button>
      </header>

      <div className="cart-item__grid">
        <div className="cart-item__config">
          <Field id={`${uid}-qty`} label="Quantity" required error={quantityError}>
            <QuantityStepper
              id={`${uid}-qty`}
              value={ed.quantity}
              onChange={(quantity) => ed.change({ quantity })}
              of={item.service.name}
              invalid={!!quantityError}
              describedBy={describedBy(`${uid}-qty`, undefined, quantityError)}
            />
          </Field>
          {item.metered.map((m) => {
            const id = `${uid}-use-${m.unit}`;
            const error = withLabel('Expected use', usageErrors[m.unit]);
            // The bill's own price in words (tiers included) and what the use entered would cost.
            const hint =
              `${currency} ${m.priceSummary}${m.description ? ` · ${m.description}` : ''}` +
              ` · ${money(m.amount)} a month at this use`;
            const value = ed.usage[m.unit];
            return (
              <Field key={m.unit} id={id} label={`Expected ${m.unit} a month`} error={error} hint={hint}>
                <div className="input-group">
                  <input
                    id={id}
                    className="input input-group__input"
                    type="number"
                    inputMode="decimal"
                    min={0}
                    step="any"
                    value={value === undefined || Number.isNaN(value) ? '' : value}
                    onChange={(e) =>
                      ed.change({ usage: { [m.unit]: e.target.value === '' ? 0 : e.target.valueAsNumber } })
                    }
                    aria-invalid={!!error}
                    aria-describedby={describedBy(id, hint, error)}
                  />
                  <span className="input-group__unit" aria-hidden="true">
                    {m.unit}
                  </span>
                </div>
              </Field>
            );
          })}
          <div className="cart-item__options">
            {!editOptions && <OptionsSummary shown={item.optionsShown} />}
            <button
              type="button"
              className="link-button small"
              aria-expanded={editOptions}
              aria-controls={`${uid}-options`}
              onClick={() => setEditOptions((o) => !o)}
            >
              {editOptions ? 'Done with options' : 'Change options'}
            </button>
            <div id={`${uid}-options`}>
              {editOptions && (
                <CartItemOptions
                  item={item}
                  currency={currency}
                  onValid={(options) => ed.change({ options })}
                  serverErrors={{ ...optionProblems, ...optionErrors }}
                />
              )}
            </div>
          </div>
        </div>

        <div className="cart-item__price" aria-busy={ed.saving}>
          <p className="cart-item__price-title">
            Estimate{' '}
            {ed.quantity > 1 && validQuantity(ed.quantity) && (
              <span className="muted">for {ed.quantity}</span>
            )}
            <span
              className={`cart-item__saving${ed.saving ? ' cart-item__saving--on' : ''}`}
              aria-hidden={!ed.saving}
            >
              <span className="spinner spinner--sm" aria-hidden="true" /> updating
            </span>
          </p>
          <MoneyBreakdown
            currency={currency}
            oneTime={item.estimate.oneTime}
            monthly={item.estimate.monthly}
            meteredMonthly={item.estimate.meteredMonthly}
            firstYear={item.estimate.firstYear}
          />
          <p className="cart-item__lead small">
            <span aria-hidden="true">⏱ </span>
            {item.leadTimeDays === 0
              ? 'Delivered the same day as approved'
              : `Delivered ${plural(item.leadTimeDays, 'business day')} after approval`}
          </p>
        </div>
      </div>

      {(listed.length > 0 || blockedQuota.length > 0) && (
        <div className="alert alert--error cart-item__problems" role="alert">
          <p className="alert__title">This item cannot be ordered as it is</p>
          <ul className="alert__list">
            {listed.map((p) => (
              <li key={`${p.path}-${p.message}`}>{p.message}</li>
            ))}
            {blockedQuota.map((q) => (
              <li key={q.scope}>{q.message}</li>
            ))}
          </ul>
        </div>
      )}
      {item.quota
        .filter((q) => q.ok)
        .map((q) => (
          <p key={q.scope} className="cart-item__quota small muted">
            <span aria-hidden="true">ℹ </span>
            {q.message}
          </p>
        ))}

      <section className="cart-item__route" aria-label={`Who will approve ${what}`}>
        <p className="cart-item__route-title">Who will approve it, and why</p>
        {item.approval ? (
          <ApprovalRouteView route={item.approval} />
        ) : (
          <p className="muted small">Choose a cost centre to see who approves this.</p>
        )}
      </section>
    </article>
  );
}
