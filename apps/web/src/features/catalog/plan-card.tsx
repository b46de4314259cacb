import type { Plan } from '@portico/shared';
import { formatMoney, isZeroMoney, plural } from '../../components/format.ts';
import { SlaFacts } from '../../components/sla-facts.tsx';

interface PlanCardProps {
  plan: Plan;
  selected: boolean;
  cheapest: boolean;
  onSelect?: () => void;
  /** Why the plan cannot be ordered (a retired or draft service); hides the Order button. */
  unavailable?: string;
}

export function quotaText(quota: Plan['quota']): string | null {
  const parts = [
    quota.perPerson ? `${quota.perPerson} per person` : null,
    quota.perCostCentre ? `${quota.perCostCentre} per cost centre` : null,
  ].filter(Boolean);
  return parts.length ? `Limit: ${parts.join(', ')}` : null;
}

export function PlanCard({ plan, selected, cheapest, onSelect, unavailable }: PlanCardProps) {
  const headingId = `plan-${plan.slug}-name`;
  const quota = quotaText(plan.quota);
  return (
    <article
      className={`card plan-card${selected ? ' plan-card--selected' : ''}`}
      data-testid="plan-card"
      data-plan={plan.slug}
      aria-labelledby={headingId}
    >
      <header className="plan-card__head">
        <h3 className="plan-card__name" id={headingId}>
          {plan.name}
        </h3>
        {selected ? (
          <span className="badge badge--selected">Selected</span>
        ) : (
          cheapest && <span className="badge badge--soft">Lowest price</span>
        )}
      </header>
      <p className="plan-card__price">
        <span className="plan-card__amount">{formatMoney(plan.monthlyPrice, plan.currency)}</span>
        <span className="muted"> /month</span>
      </p>
      <p className="plan-card__onetime muted">
        {isZeroMoney(plan.oneTimePrice)
          ? 'No set-up fee'
          : `+ ${formatMoney(plan.oneTimePrice, plan.currency)} one-time set-up`}
      </p>
      {plan.meteredPrices.length > 0 && (
        <ul className="plan-card__metered" aria-label="Usage charges">
          {plan.meteredPrices.map((m) => (
            <li key={m.unit} title={m.description || undefined}>
              + {formatMoney(m.price, plan.currency)} per {m.unit}
              {m.description && <span className="muted small block">{m.description}</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="plan-card__year">
        <span className="muted">First year </span>
        <strong>{formatMoney(plan.firstYearCost, plan.currency)}</strong>
        {plan.meteredPrices.length > 0 && <span className="muted small"> + usage</span>}
      </p>
      <p className="plan-card__lead">
        <span aria-hidden="true">⏱ </span>
        {plan.leadTimeDays === 0
          ? 'Delivered the same day'
          : `Delivered in ${plural(plan.leadTimeDays, 'business day')}`}
      </p>
      {plan.lease && (
        <p className="plan-card__lease">
          <span aria-hidden="true">⏳ </span>
          {`${plural(plan.lease.days, 'day')} lease, extendable; removed ${plural(plan.lease.graceDays, 'day')} after it ends`}
        </p>
      )}
      {plan.features.length > 0 && (
        <ul className="plan-card__features">
          {plan.features.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
      <div className="plan-card__sla">
        <p className="plan-card__sla-name">
          <span aria-hidden="true">🛡 </span>SLA: {plan.sla.name}
        </p>
        <SlaFacts sla={plan.sla} compact />
      </div>
      {quota && (
        <p className="plan-card__quota small">
          <span aria-hidden="true">ℹ </span>
          {quota}
        </p>
      )}
      {unavailable ? (
        <p className="plan-card__unavailable muted small">{unavailable}</p>
      ) : (
        onSelect && (
          <button
            type="button"
            className={`btn btn--block ${selected ? 'btn--secondary' : 'btn--primary'}`}
            onClick={onSelect}
            aria-pressed={selected}
          >
            Order
          </button>
        )
      )}
    </article>
  );
}
