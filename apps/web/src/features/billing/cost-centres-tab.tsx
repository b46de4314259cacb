import { useState } from 'react';
import { Link } from 'react-router';
import type { ChargeMode, CostCentreCostsSummary } from '@portico/shared';
import { useCostSummaries, useSetChargeMode } from '../costs/costs.api.ts';
import {
  ChargeModeBadge,
  CostsError,
  CostBudgetBar,
  MonthStateBadge,
  UnpricedMark,
} from '../costs/cost-parts.tsx';
import { chargeModeText, monthName } from '../costs/cost-helpers.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { EmptyState, LoadingState, errorMessage } from '../../components/states.tsx';
import { compareMoney, formatMoney } from '../../components/format.ts';

type SortKey = 'code' | 'name' | 'owner' | 'mode' | 'mtd' | 'forecast' | 'budget' | 'last';

const columns: { key: SortKey; label: string; num?: boolean }[] = [
  { key: 'code', label: 'Code' },
  { key: 'name', label: 'Name' },
  { key: 'owner', label: 'Owner' },
  { key: 'mode', label: 'Mode' },
  { key: 'mtd', label: 'Month to date', num: true },
  { key: 'forecast', label: 'Forecast', num: true },
  { key: 'budget', label: 'Budget', num: true },
  { key: 'last', label: 'Last month', num: true },
];

const text = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' });

function compare(key: SortKey, a: CostCentreCostsSummary, b: CostCentreCostsSummary): number {
  switch (key) {
    case 'code':
      return text(a.costCentre.code, b.costCentre.code);
    case 'name':
      return text(a.costCentre.name, b.costCentre.name);
    case 'owner':
      return text(a.owner?.name ?? '', b.owner?.name ?? '');
    case 'mode':
      return text(a.chargeMode, b.chargeMode);
    case 'mtd':
      return compareMoney(a.monthToDate, b.monthToDate);
    case 'forecast':
      return compareMoney(a.forecast, b.forecast);
    case 'budget':
      return compareMoney(a.budget ?? '-1', b.budget ?? '-1');
    case 'last':
      return compareMoney(a.lastMonth.total, b.lastMonth.total);
  }
}

/** Every cost centre's running month, sortable and searchable; finance sets chargeback or showback. */
export function CostCentresTab() {
  const summaries = useCostSummaries();
  const setMode = useSetChargeMode();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'code', dir: 1 });
  const [switching, setSwitching] = useState<{ summary: CostCentreCostsSummary; to: ChargeMode } | null>(
    null,
  );

  if (summaries.isPending) return <LoadingState label="Loading cost centres…" />;
  if (summaries.isError)
    return <CostsError error={summaries.error} onRetry={() => void summaries.refetch()} />;
  if (summaries.data.length === 0) {
    return (
      <EmptyState icon="💶" title="No cost centres yet">
        Cost centres come from the organisation data.
      </EmptyState>
    );
  }

  const words = query.trim().toLowerCase();
  const shown = summaries.data
    .filter(
      (s) =>
        !words ||
        [s.costCentre.code, s.costCentre.name, s.owner?.name ?? ''].some((t) =>
          t.toLowerCase().includes(words),
        ),
    )
    .sort((a, b) => compare(sort.key, a, b) * sort.dir);
  const month = summaries.data[0]!.month;

  return (
    <div>
      <div className="admin-toolbar">
        <label htmlFor="billing-cc-search" className="visually-hidden">
          Search cost centres
        </label>
        <input
          id="billing-cc-search"
          className="input"
          type="search"
          placeholder="Search by code, name or owner"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      {setMode.isError && (
        <p className="alert alert--error" role="alert">
          The charge mode was not changed: {errorMessage(setMode.error)}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="muted">No cost centre matches “{query}”.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table data-table--stack billing-cc" data-testid="billing-cost-centres">
            <caption className="visually-hidden">Cost centres, {monthName(month)}</caption>
            <thead>
              <tr>
                {columns.map((col) => (
                  <th
                    key={col.key}
                    scope="col"
                    className={col.num ? 'num' : undefined}
                    aria-sort={
                      sort.key === col.key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined
                    }
                  >
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() =>
                        setSort((s) => ({ key: col.key, dir: s.key === col.key ? (-s.dir as 1 | -1) : 1 }))
                      }
                    >
                      {col.label}
                      <span aria-hidden="true" className="sort-button__arrow">
                        {sort.key === col.key ? (sort.dir === 1 ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => {
                const money = (a: string) => formatMoney(a, s.currency);
                const other: ChargeMode = s.chargeMode === 'chargeback' ? 'showback' : 'chargeback';
                return (
                  <tr key={s.costCentre.code} data-testid="billing-cc-row" data-code={s.costCentre.code}>
                    <th scope="row" data-label="Code">
                      <Link to={`/costs/${encodeURIComponent(s.costCentre.code)}`}>{s.costCentre.code}</Link>
                    </th>
                    <td data-label="Name">{s.costCentre.name}</td>
                    <td data-label="Owner">{s.owner?.name ?? <span className="muted">not set</span>}</td>
                    <td data-label="Mode">
                      <span className="billing-cc__mode">
                        <ChargeModeBadge mode={s.chargeMode} />
                        <button
                          type="button"
                          className="link-button small"
                          onClick={() => setSwitching({ summary: s, to: other })}
                          aria-label={`Switch ${s.costCentre.code} to ${other}`}
                        >
                          to {other}
                        </button>
                      </span>
                    </td>
                    <td data-label="Month to date" className="num">
                      {money(s.monthToDate)}
                      <UnpricedMark unpriced={s.unpriced} />
                    </td>
                    <td data-label="Forecast" className="num">
                      {money(s.forecast)}
                    </td>
                    <td data-label="Budget" className="num billing-cc__budget">
                      {s.budget ? (
                        <>
                          {money(s.budget)}
                          <CostBudgetBar
                            label={`${s.costCentre.code} budget`}
                            currency={s.currency}
                            used={s.monthToDate}
                            forecast={s.forecast}
                            budget={s.budget}
                            compact
                          />
                        </>
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                    <td data-label="Last month" className="num">
                      {money(s.lastMonth.total)}
                      <span className="block">
                        <MonthStateBadge state={s.lastMonth.state} />
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={switching !== null}
        title={switching ? `Switch ${switching.summary.costCentre.code} to ${switching.to}?` : ''}
        confirmLabel={switching ? `Switch to ${switching.to}` : 'Switch'}
        tone="primary"
        busy={setMode.isPending}
        onCancel={() => setSwitching(null)}
        onConfirm={() => {
          if (!switching) return;
          setMode.mutate(
            { code: switching.summary.costCentre.code, chargeMode: switching.to },
            { onSettled: () => setSwitching(null) },
          );
        }}
      >
        {switching && (
          <>
            <p>{chargeModeText[switching.to]}</p>
            <p>
              Months closed from now on are charged this way; statements already written keep the mode they
              were closed with. Only chargeback statements go into the journal.
            </p>
          </>
        )}
      </ConfirmDialog>
    </div>
  );
}
