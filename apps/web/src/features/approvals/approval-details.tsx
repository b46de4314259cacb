import type { Approval } from '@portico/shared';
import { OptionsSummary } from '../../components/options-summary.tsx';
import { BudgetGauge } from '../../components/budget-gauge.tsx';
import { ApprovalChainView, MatchedRules } from '../../components/approval-route.tsx';
import { plural } from '../../components/format.ts';

/** The rest of the decision screen: the options asked for, budget impact, the policy and the whole chain. */
export function ApprovalDetails({ approval: a }: { approval: Approval }) {
  const l = a.line;
  return (
    <div className="approval__details">
      <section className="approval__detail">
        <h3 className="approval__label">What is asked</h3>
        <p>
          {plural(l.quantity, 'unit')} of {l.service.name} · {l.plan.name}
          <span className="muted">
            {' '}
            · delivered {l.leadTimeDays === 0
              ? 'the same day'
              : `${plural(l.leadTimeDays, 'business day')}`}{' '}
            after approval
          </span>
        </p>
        {Object.keys(l.options).length > 0 ? (
          <OptionsSummary shown={l.optionsShown} />
        ) : (
          <p className="muted small">No options chosen.</p>
        )}
      </section>
      <section className="approval__detail">
        <h3 className="approval__label">Budget</h3>
        {a.budget ? (
          <BudgetGauge impact={a.budget} title="Budget with this request" />
        ) : (
          <p className="muted small">
            {a.status === 'pending'
              ? `No budget is set for ${a.order.costCentre.code}.`
              : 'Shown while the approval is pending.'}
          </p>
        )}
      </section>
      <section className="approval__detail approval__detail--wide">
        <h3 className="approval__label">Why it came to you</h3>
        <MatchedRules matched={a.matched} />
        <ApprovalChainView chain={a.chain} currentPosition={a.stage.position} />
      </section>
    </div>
  );
}
