import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Subscription } from '@portico/shared';
import { useSubscriptionList, type ListQuery } from './subscriptions.api.ts';
import {
  LeaseBadge,
  PendingChangeNote,
  SubscriptionStatusBadge,
  UpgradeBadge,
} from './subscription-status.tsx';
import { formatCost, teamRoles } from './subscription-helpers.ts';
import { useCostCentres } from '../budgets/budgets.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/states.tsx';
import { formatMoney, sumMoney } from '../../components/format.ts';
import { useDebouncedValue } from '../../components/use-debounced-value.ts';
import { useNow } from '../../components/use-now.ts';

type Status = NonNullable<ListQuery['status']>;
const statuses: { value: Status; label: string }[] = [
  { value: 'current', label: 'Current' },
  { value: 'ended', label: 'Ended' },
  { value: 'all', label: 'All' },
];

/** "€120.00 + US$15.00": sums per currency, exactly. */
function totals(
  subs: Subscription[],
  pick: (s: Subscription) => string,
  format: (amount: string, currency: string) => string = formatMoney,
): string {
  const byCurrency = new Map<string, string[]>();
  for (const s of subs) byCurrency.set(s.currency, [...(byCurrency.get(s.currency) ?? []), pick(s)]);
  return [...byCurrency].map(([cur, amounts]) => format(sumMoney(amounts), cur)).join(' + ');
}

export function SubscriptionListPage() {
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const scope = params.get('scope') === 'team' ? 'team' : 'mine';
  const status = (statuses.find((s) => s.value === params.get('status'))?.value ?? 'current') as Status;
  const q = params.get('q') ?? '';
  const costCentre = scope === 'team' ? (params.get('cc') ?? '') : '';

  // Cost-centre owners, managers and finance see the Team tab; anyone else only when the
  // server has something for them there (a cost centre they own without being an approver).
  const byRole = teamRoles(me.roles);
  const probe = useSubscriptionList({ scope: 'team', status: 'all' }, { enabled: !byRole, limit: 1 });
  const showTeam = byRole || scope === 'team' || (probe.data?.pages[0]?.items.length ?? 0) > 0;

  const list = useSubscriptionList({ scope, status, q: q || undefined, costCentre: costCentre || undefined });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const now = useNow();

  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const tabLink = (s: 'mine' | 'team') => {
    const next = new URLSearchParams(params);
    next.delete('cc');
    if (s === 'team') next.set('scope', 'team');
    else next.delete('scope');
    const qs = next.toString();
    return qs ? `/services?${qs}` : '/services';
  };

  const live = items.filter((s) => s.status === 'active');
  const subtitle =
    scope === 'team'
      ? 'Everything the cost centres and departments you look after own.'
      : 'What you own: its cost, its service level, and what you can do with it.';

  return (
    <div>
      <PageHeader title={scope === 'team' ? 'Team services' : 'My services'} subtitle={subtitle} />
      {showTeam && (
        <Tabs
          label="Whose services"
          value={scope}
          items={[
            { value: 'mine', label: 'Mine', to: tabLink('mine') },
            { value: 'team', label: 'Team', to: tabLink('team') },
          ]}
        />
      )}

      <div className="sub-toolbar">
        <SearchBox value={q} onChange={(v) => setParam('q', v || null)} />
        <div className="chips sub-toolbar__chips" role="group" aria-label="Show">
          {statuses.map((s) => (
            <button
              key={s.value}
              type="button"
              className={`chip${status === s.value ? ' chip--active' : ''}`}
              aria-pressed={status === s.value}
              onClick={() => setParam('status', s.value === 'current' ? null : s.value)}
            >
              {s.label}
            </button>
          ))}
        </div>
        {scope === 'team' && (
          <CostCentreFilter value={costCentre} seen={items} onChange={(v) => setParam('cc', v || null)} />
        )}
      </div>

      {list.isPending ? (
        <SkeletonGrid count={3} label="Loading services…" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <NoneFound
          scope={scope}
          status={status}
          q={q}
          costCentre={costCentre}
          onClear={() => setParams(scope === 'team' ? { scope } : {}, { replace: true })}
        />
      ) : (
        <>
          <p className="results-bar__count muted small sub-summary" aria-live="polite">
            {items.length}
            {list.hasNextPage ? '+' : ''} {items.length === 1 ? 'service' : 'services'}
            {live.length > 0 && (
              <>
                {' '}
                · {totals(live, (s) => s.monthlyPrice)} a month ·{' '}
                {totals(items, (s) => s.costThisMonth, formatCost)} so far this month
              </>
            )}
            {list.isFetching && !list.isFetchingNextPage && (
              <span className="spinner spinner--sm" aria-label="Updating" />
            )}
          </p>
          <ul className="sub-grid" aria-label={scope === 'team' ? 'Team services' : 'My services'}>
            {items.map((s) => (
              <li key={s.id}>
                <SubscriptionCard sub={s} now={now} team={scope === 'team'} />
              </li>
            ))}
          </ul>
          {list.hasNextPage && (
            <div className="load-more">
              <button
                type="button"
                className="btn btn--secondary"
                onClick={() => void list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
              >
                {list.isFetchingNextPage ? 'Loading…' : 'Show more'}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** Search as you type: the URL follows the box a moment after the last key. */
function SearchBox({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  const debounced = useDebouncedValue(text.trim(), 250);

  useEffect(() => {
    if (debounced !== value) onChange(debounced);
    // Only the typed text drives this; `value` changing from outside resets the box below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);

  // A cleared filter (the empty state's button, the back button) empties the box too.
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (value !== text.trim()) setText(value);
  }

  return (
    <form className="query-input sub-toolbar__search" role="search" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={id} className="visually-hidden">
        Search your services
      </label>
      <svg className="query-input__icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" strokeWidth="2.2" />
        <path d="m20 20-4-4" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
      </svg>
      <input
        id={id}
        className="input query-input__input"
        type="search"
        autoComplete="off"
        placeholder="Search by name, service or host…"
        maxLength={100}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    </form>
  );
}

function CostCentreFilter({
  value,
  seen,
  onChange,
}: {
  value: string;
  seen: Subscription[];
  onChange: (v: string) => void;
}) {
  const id = useId();
  const centres = useCostCentres();
  const options = new Map<string, string>();
  for (const c of centres.data ?? []) options.set(c.code, c.name);
  for (const s of seen) options.set(s.costCentre.code, s.costCentre.name);
  if (value && !options.has(value)) options.set(value, value);
  return (
    <div className="sub-toolbar__cc">
      <label htmlFor={id} className="field__label">
        Cost centre
      </label>
      <select id={id} className="input input--sm" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All I look after</option>
        {[...options]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([code, name]) => (
            <option key={code} value={code}>
              {code} — {name}
            </option>
          ))}
      </select>
    </div>
  );
}

function NoneFound({
  scope,
  status,
  q,
  costCentre,
  onClear,
}: {
  scope: 'mine' | 'team';
  status: Status;
  q: string;
  costCentre: string;
  onClear: () => void;
}) {
  if (q || costCentre || status !== 'current') {
    const what = q ? `matching “${q}”` : status === 'ended' ? 'that has ended' : 'here';
    return (
      <EmptyState
        icon="🔍"
        title={`Nothing ${what}`}
        action={
          <button type="button" className="btn btn--secondary" onClick={onClear}>
            Clear the filters
          </button>
        }
      >
        {status === 'ended' && !q ? 'Services you decommissioned stay listed here.' : 'Try other words.'}
      </EmptyState>
    );
  }
  if (scope === 'team') {
    return (
      <EmptyState icon="🏢" title="Your teams own nothing yet">
        Services charged to the cost centres you own or the department you manage show up here.
      </EmptyState>
    );
  }
  return (
    <EmptyState
      icon="📦"
      title="You own nothing yet"
      action={
        <Link to="/" className="btn btn--primary">
          Browse the catalogue
        </Link>
      }
    >
      Once something you ordered is delivered, it shows up here with its cost and what you can do with it.
    </EmptyState>
  );
}

function SubscriptionCard({ sub: s, now, team }: { sub: Subscription; now: number; team: boolean }) {
  return (
    <article
      className={`card subscription-card sub-card${s.status === 'ended' ? ' subscription-card--ended' : ''}`}
      data-testid="subscription-card"
      data-status={s.status}
    >
      <div className="service-card__top">
        <ServiceIcon icon={s.service.icon} name={s.service.name} kind={s.service.kind} />
        <SubscriptionStatusBadge status={s.status} />
      </div>
      <h2 className="service-card__name">
        <Link to={`/services/${s.id}`} className="stretched-link">
          {s.name}
        </Link>
      </h2>
      <p className="muted small">
        {s.service.name} · {s.plan.name}
        {s.quantity > 1 && ` × ${s.quantity}`}
        {team && ` · ${s.owner.name}`}
      </p>
      {(s.lease || s.upgrade) && s.status === 'active' && (
        <div className="badge-row">
          {s.lease && <LeaseBadge lease={s.lease} now={now} />}
          {s.upgrade && <UpgradeBadge />}
        </div>
      )}
      {s.pending && <PendingChangeNote pending={s.pending} />}
      <dl className="facts facts--compact subscription-card__facts">
        <div>
          <dt>This month</dt>
          <dd>{formatCost(s.costThisMonth, s.currency)}</dd>
        </div>
        <div>
          <dt>Monthly</dt>
          <dd>{s.status === 'active' ? formatMoney(s.monthlyPrice, s.currency) : '—'}</dd>
        </div>
        <div>
          <dt>SLA</dt>
          <dd>
            {s.sla.name} · {s.sla.availability}
          </dd>
        </div>
        <div>
          <dt>Cost centre</dt>
          <dd>{s.costCentre.code}</dd>
        </div>
      </dl>
    </article>
  );
}
