import { Fragment, useId, useState } from 'react';
import { Link } from 'react-router';
import type { CostLine } from '@portico/shared';
import { formatDateTime, formatMoney } from '../../components/format.ts';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { feePart, formatQuantity, monthName } from './cost-helpers.ts';
import { useUsageBehind } from './costs.api.ts';

const kindLabels: Record<CostLine['kind'], string> = { fee: 'Fee', usage: 'Usage', correction: 'Correction' };

/** A unit price is a number for fees and simple prices, words for tiers ("tiered: …"). */
function unitPrice(line: CostLine, currency: string): string {
  return /^-?\d+(\.\d+)?$/.test(line.unitPrice) ? formatMoney(line.unitPrice, currency) : line.unitPrice;
}

function what(line: CostLine): string {
  if (line.kind === 'fee') return 'Monthly fee';
  const meter = line.meterName ?? line.meter ?? 'usage';
  return line.kind === 'correction' ? `${meter}, late usage of ${monthName(line.chargePeriod)}` : meter;
}

/** The statement's (or draft's) lines; a usage or correction line opens the events behind it. */
export function CostLines({ code, lines, currency }: { code: string; lines: CostLine[]; currency: string }) {
  const uid = useId();
  const [open, setOpen] = useState<number | null>(null);
  const money = (a: string) => formatMoney(a, currency);

  return (
    <table className="data-table data-table--stack cost-lines" data-testid="cost-lines">
      <caption className="visually-hidden">The lines of the month</caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">What</th>
          <th scope="col" className="num">
            Quantity
          </th>
          <th scope="col" className="num">
            Unit price
          </th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col">Rate card</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line, i) => {
          const part = feePart(line);
          const drillable = line.kind !== 'fee' && line.meter !== null;
          const panelId = `${uid}-usage-${i}`;
          return (
            <Fragment key={`${line.subscriptionId}-${line.kind}-${line.meter}-${line.chargePeriod}-${i}`}>
              <tr data-testid="cost-line" data-kind={line.kind}>
                <td data-label="Kind">
                  <span className={`cost-kind cost-kind--${line.kind}`}>{kindLabels[line.kind]}</span>
                </td>
                <td data-label="What">
                  <Link to={`/services/${line.subscriptionId}`}>{line.subscriptionName}</Link>
                  <span className="muted block small">
                    {line.service.name} · {what(line)}
                    {part && ` · ${part}`}
                  </span>
                  {drillable && (
                    <button
                      type="button"
                      className="link-button small"
                      aria-expanded={open === i}
                      aria-controls={panelId}
                      onClick={() => setOpen(open === i ? null : i)}
                    >
                      {open === i ? 'Hide usage' : 'Usage behind it'}
                    </button>
                  )}
                </td>
                <td data-label="Quantity" className="num">
                  <span title={line.quantity}>{formatQuantity(line.quantity)}</span>
                  {line.unit && <span className="muted"> {line.unit}</span>}
                </td>
                <td data-label="Unit price" className="num">
                  {unitPrice(line, currency)}
                </td>
                <td data-label="Amount" className="num cost-lines__amount">
                  {money(line.amount)}
                </td>
                <td data-label="Rate card">
                  {line.rateCard ? `v${line.rateCard.version}` : <span className="muted">plan price</span>}
                </td>
              </tr>
              {drillable && open === i && (
                <tr className="cost-lines__drill">
                  <td colSpan={6} id={panelId}>
                    <UsageBehind code={code} line={line} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

function UsageBehind({ code, line }: { code: string; line: CostLine }) {
  const usage = useUsageBehind(code, line.subscriptionId, line.meter!, line.chargePeriod);
  const records = usage.data?.pages.flatMap((p) => p.items) ?? [];
  const label = `Usage events behind ${line.subscriptionName}, ${line.meterName ?? line.meter}, ${monthName(line.chargePeriod)}`;

  if (usage.isPending) return <LoadingState label="Loading the usage…" />;
  if (usage.isError) return <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />;
  return (
    <section className="usage-behind" aria-label={label} data-testid="usage-behind">
      <p className="usage-behind__title small">
        {records.length === 0
          ? 'No usage events were counted for this line.'
          : `${label}${usage.hasNextPage ? ' (the first ' + records.length + ')' : ` (${records.length})`}`}
      </p>
      {records.length > 0 && (
        <ol className="usage-behind__list">
          {records.map((r) => {
            const late = line.kind === 'correction';
            return (
              <li key={`${r.source}/${r.id}`} className="usage-behind__item" data-testid="usage-record">
                <time dateTime={r.time}>{formatDateTime(r.time)}</time>
                <span className="usage-behind__value">
                  {r.value === null
                    ? '1 event'
                    : `${formatQuantity(r.value)}${line.unit ? ` ${line.unit}` : ''}`}
                </span>
                <span className="muted small usage-behind__source">
                  {r.type} · {r.source} · {r.id}
                  {late && ` · received ${formatDateTime(r.receivedAt)}`}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {usage.hasNextPage && (
        <button
          type="button"
          className="btn btn--secondary btn--sm"
          onClick={() => void usage.fetchNextPage()}
          disabled={usage.isFetchingNextPage}
        >
          {usage.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
