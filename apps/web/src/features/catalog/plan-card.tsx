import type { Plan } from '@portico/shared';
import { formatMoney, isZeroMoney, plural } from '../../components/format.ts';
import { SlaFacts } from '../../components/sla-facts.tsx';

interface PlanCardProps {
  plan: Plan;
  selected: boolean;
  cheapest: boolean;
  onSelect: () => void;
}

export function PlanCard({ plan, selected, cheapest, onSelect }: PlanCardProps) {
  const headingId = `plan-${plan.slug}-name`;
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
      <p className="plan-card__lead">
        <span aria-hidden="true">⏱ </span>
        {plan.leadTimeDays === 0
          ? 'Delivered the same day'
          : `Delivered in ${plural(plan.leadTimeDays, 'business day')}`}
      </p>
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
      <button
        type="button"
        className={`btn btn--block ${selected ? 'btn--secondary' : 'btn--primary'}`}
        onClick={onSelect}
        aria-pressed={selected}
      >
        Order
      </button>
    </article>
  );
}
