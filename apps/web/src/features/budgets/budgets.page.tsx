import { useId, useState } from 'react';
import { budgetPolicyLabels, type CostCentre } from '@portico/shared';
import { useCostCentres } from './budgets.api.ts';
import { BudgetForm } from './budget-form.tsx';
import { hasRole } from '../session/session.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { BudgetBar } from '../../components/budget-gauge.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { formatMoney } from '../../components/format.ts';

/** Cost centres and their budgets: month and year so far against the budget; finance edits them. */
export function BudgetsPage() {
  const me = useCurrentUser();
  const canEdit = hasRole(me, 'finance') || hasRole(me, 'admin');
  const centres = useCostCentres();
  const [filter, setFilter] = useState('');
  const words = filter.trim().toLowerCase();
  const shown = (centres.data ?? []).filter(
    (c) =>
      !words ||
      c.code.toLowerCase().includes(words) ||
      c.name.toLowerCase().includes(words) ||
      c.department.name.toLowerCase().includes(words),
  );
  const over = (centres.data ?? []).filter((c) => c.month.over || c.year.over).length;

  return (
    <div>
      <PageHeader
        title="Budgets"
        subtitle={
          canEdit
            ? 'Every cost centre: what is committed this month and year against its budget. Set budgets and what happens on an overrun.'
            : 'The cost centres you own or may charge: what is committed this month and year against their budget.'
        }
      />
      {centres.isPending ? (
        <LoadingState label="Loading cost centres…" />
      ) : centres.isError ? (
        <ErrorState error={centres.error} onRetry={() => void centres.refetch()} />
      ) : centres.data.length === 0 ? (
        <EmptyState icon="💶" title="No cost centres to show">
          You neither own nor may charge a cost centre. Finance can give you access.
        </EmptyState>
      ) : (
        <>
          <div className="budgets-toolbar">
            {centres.data.length > 4 && (
              <div className="admin-toolbar">
                <label htmlFor="cc-filter" className="visually-hidden">
                  Find a cost centre
                </label>
                <input
                  id="cc-filter"
                  className="input"
                  type="search"
                  placeholder="Find by code, name or department"
                  value={filter}
                  onChange={(e) => setFilter(e.target.value)}
                />
              </div>
            )}
            {over > 0 && (
              <p className="budgets-toolbar__over">
                <StatusBadge tone="danger">{over} over budget</StatusBadge>
              </p>
            )}
          </div>
          {shown.length === 0 ? (
            <p className="muted">No cost centre matches “{filter}”.</p>
          ) : (
            <ul className="cc-grid" aria-label="Cost centres">
              {shown.map((c) => (
                <li key={c.code}>
                  <CostCentreCard cc={c} canEdit={canEdit} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function CostCentreCard({ cc, canEdit }: { cc: CostCentre; canEdit: boolean }) {
  const uid = useId();
  const [editing, setEditing] = useState(false);
  const b = cc.budget;
  return (
    <article
      className="card cc-card"
      aria-labelledby={`${uid}-title`}
      data-testid="cost-centre"
      data-code={cc.code}
    >
      <header className="cc-card__head">
        <div>
          <h2 className="cc-card__title" id={`${uid}-title`}>
            {cc.code} <span className="muted">— {cc.name}</span>
          </h2>
          <p className="muted small">
            {cc.department.name} · owner {cc.owner ? cc.owner.name : 'not set'}
          </p>
        </div>
        {canEdit && !editing && (
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            onClick={() => setEditing(true)}
            aria-label={`${b ? 'Edit' : 'Set'} budget of ${cc.code}`}
          >
            {b ? 'Edit budget' : 'Set budget'}
          </button>
        )}
      </header>
      {b ? (
        <p className="cc-card__budget small">
          <strong>{formatMoney(b.annualAmount, b.currency)}</strong> for {b.year} ·{' '}
          {formatMoney(b.monthlyAmount, b.currency)} a month
          <span className="muted block">On overrun: {budgetPolicyLabels[b.onOverrun]}</span>
        </p>
      ) : (
        <p className="cc-card__budget small muted">No budget set — orders are never held for budget.</p>
      )}
      {editing ? (
        <BudgetForm cc={cc} onDone={() => setEditing(false)} />
      ) : (
        <div className="cc-card__bars">
          <BudgetBar label="This month" period={cc.month} currency={b?.currency ?? 'EUR'} />
          <BudgetBar label="This year" period={cc.year} currency={b?.currency ?? 'EUR'} />
        </div>
      )}
    </article>
  );
}
