import { useId, useState } from 'react';
import { PriceModel, priceModelIssues, rate, roundMoney, type Rated } from '@portico/shared';
import { formatMoney } from '../../components/format.ts';
import { formatQuantity } from '../costs/cost-helpers.ts';
import { fieldName } from './rate-card-draft.ts';

interface CalculatorProps {
  /** The model as edited, valid or not. */
  model: unknown;
  currency: string;
  /** The meter's unit, "GB-month". */
  unit: string | null;
}

type Outcome = { ok: true; rated: Rated } | { ok: false; problems: string[] };

/** The same rate() the month close uses, on the model being edited. */
function calculate(model: unknown, quantity: string): Outcome {
  const issues = priceModelIssues(model);
  if (issues.length > 0)
    return { ok: false, problems: issues.map((i) => `${fieldName(i.path)} ${i.message}`) };
  if (!/^\d+(\.\d+)?$/.test(quantity)) {
    return { ok: false, problems: ['Enter a quantity: a non-negative number like 1500 or 2.5.'] };
  }
  return { ok: true, rated: rate(PriceModel.parse(model), quantity) };
}

/** "What would this cost": a quantity in, the amount and how it comes about out, as you type. */
export function CostCalculator({ model, currency, unit }: CalculatorProps) {
  const uid = useId();
  const [quantity, setQuantity] = useState('1000');
  const outcome = calculate(model, quantity.trim());
  const money = (a: string) => formatMoney(a, currency);

  return (
    <section className="calculator" aria-labelledby={`${uid}-title`} data-testid="calculator">
      <h3 className="calculator__title" id={`${uid}-title`}>
        What would this cost?
      </h3>
      <label className="field__label" htmlFor={`${uid}-q`}>
        Quantity in a month{unit ? ` (${unit})` : ''}
      </label>
      <input
        id={`${uid}-q`}
        className="input calculator__input"
        inputMode="decimal"
        autoComplete="off"
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
      />
      <div aria-live="polite">
        {outcome.ok ? (
          <>
            <p className="calculator__amount">
              <span data-testid="calculator-amount">{money(roundMoney(outcome.rated.amount, currency))}</span>
              <span className="muted small">
                {' '}
                for {formatQuantity(quantity.trim())}
                {unit ? ` ${unit}` : ''}
              </span>
            </p>
            {outcome.rated.breakdown.length > 0 ? (
              <table className="data-table data-table--compact calculator__breakdown">
                <caption className="visually-hidden">How the amount comes about</caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col" className="num">
                      Units
                    </th>
                    <th scope="col" className="num">
                      Price
                    </th>
                    <th scope="col" className="num">
                      Flat fee
                    </th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {outcome.rated.breakdown.map((l, i) => (
                    <tr key={i}>
                      <td>{l.tier === null ? '—' : `Tier ${l.tier + 1}`}</td>
                      <td className="num">
                        {formatQuantity(l.units)}
                        {l.blocks !== null && (
                          <span className="muted block small">{formatQuantity(l.blocks)} blocks</span>
                        )}
                      </td>
                      <td className="num">{money(l.unitPrice)}</td>
                      <td className="num">{money(l.flatFee)}</td>
                      <td className="num">{money(l.amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="small muted">No usage, no charge.</p>
            )}
            <p className="small muted">
              Rated like the month close; the statement line rounds once, half-up.
            </p>
          </>
        ) : (
          <ul className="calculator__problems small" data-testid="calculator-problems">
            {outcome.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
