import { useState } from 'react';
import { addMonths, type BillingPeriod, type BillingPeriodSummary } from '@portico/shared';
import { exportPath, useClosePeriod, usePeriodSummaries, type ExportName } from './billing.api.ts';
import { currentMonth, monthName } from '../costs/cost-helpers.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { isApiError } from '../../app/api-client.ts';
import { formatDateTime, formatMoney, plural, sumMoney } from '../../components/format.ts';
import { useNow } from '../../components/use-now.ts';

const exportsOf: { name: ExportName; label: string }[] = [
  { name: 'lines', label: 'Statement lines CSV' },
  { name: 'focus', label: 'FOCUS CSV' },
  { name: 'journal', label: 'Journal CSV' },
];

/** Each currency's total of a month's statements: "€1,234.00 · $56.00". */
function totalsOf(summary: BillingPeriodSummary): string {
  return summary.totals.map((t) => formatMoney(t.total, t.currency)).join(' · ');
}

/** The same, of a period as its close answers it. */
function totals(period: BillingPeriod): string {
  const by = new Map<string, string[]>();
  for (const s of period.statements) by.set(s.currency, [...(by.get(s.currency) ?? []), s.total]);
  return [...by].map(([cur, amounts]) => formatMoney(sumMoney(amounts), cur)).join(' · ');
}

/** The last twelve months: close an ended one, download a closed one's exports. */
export function MonthsTab() {
  const running = currentMonth();
  const months = Array.from({ length: 12 }, (_, i) => addMonths(running, -i));
  const periods = usePeriodSummaries(months.at(-1)!, running);
  const byMonth = new Map(periods.data?.map((p) => [p.month, p]));
  const close = useClosePeriod();
  const [asking, setAsking] = useState<string | null>(null);
  const [closing, setClosing] = useState<string | null>(null);

  return (
    <div>
      <CloseOutcome month={closing} close={close} />
      {periods.isPending ? (
        <LoadingState label="Loading the months…" />
      ) : periods.isError ? (
        <ErrorState error={periods.error} onRetry={() => void periods.refetch()} />
      ) : (
        <ul className="months-list" aria-label="Months">
          {months.map((month) => {
            const period = byMonth.get(month)!;
            return (
              <li
                key={month}
                className="card months-list__item"
                data-testid="billing-month"
                data-month={month}
              >
                <div className="months-list__head">
                  <h2 className="months-list__title">{monthName(month)}</h2>
                  <PeriodBadge period={period} running={month === running} />
                </div>
                <MonthBody
                  period={period}
                  running={month === running}
                  busy={close.isPending}
                  onClose={() => setAsking(month)}
                />
              </li>
            );
          })}
        </ul>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={asking ? `Close ${monthName(asking)}?` : ''}
        confirmLabel="Close the month"
        tone="primary"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          const month = asking!;
          setAsking(null);
          setClosing(month);
          close.mutate(month);
        }}
      >
        {asking && (
          <>
            <p>
              Every subscription&rsquo;s fees and usage of {monthName(asking)} are rated with the rate cards
              in force on its first day, and each cost centre gets its statement.
            </p>
            <p>
              <strong>This is final.</strong> The statements cannot be changed afterwards: usage that arrives
              late becomes a correction in the running month. The statement lines, FOCUS and journal exports
              become available.
            </p>
          </>
        )}
      </ConfirmDialog>
    </div>
  );
}

function PeriodBadge({ period, running }: { period: BillingPeriodSummary; running: boolean }) {
  const [tone, label] = running
    ? (['progress', 'Running'] as const)
    : period.status === 'closed'
      ? (['success', 'Closed'] as const)
      : period.status === 'closing'
        ? (['info', 'Closing'] as const)
        : (['warning', 'Ended, open'] as const);
  return (
    <span data-testid="period-state" data-state={running ? 'running' : period.status}>
      <StatusBadge tone={tone}>{label}</StatusBadge>
    </span>
  );
}

function MonthBody({
  period,
  running,
  busy,
  onClose,
}: {
  period: BillingPeriodSummary;
  running: boolean;
  busy: boolean;
  onClose: () => void;
}) {
  if (running) return <p className="small muted">The running month: it can be closed once it has ended.</p>;
  if (period.status === 'open') {
    return (
      <div className="months-list__body">
        <p className="small">Ended and still open: its statements are drafts until it is closed.</p>
        <button type="button" className="btn btn--primary btn--sm" onClick={onClose} disabled={busy}>
          Close month…
        </button>
      </div>
    );
  }
  if (period.status === 'closing') {
    return <p className="small">A close is under way; the exports are available once it has finished.</p>;
  }
  return (
    <div className="months-list__body">
      <p className="small">
        Closed {period.closedAt && formatDateTime(period.closedAt)} · {plural(period.statements, 'statement')}
        {period.statements > 0 && <> · {totalsOf(period)}</>}
      </p>
      <ul className="months-list__exports" aria-label={`Exports of ${monthName(period.month)}`}>
        {exportsOf.map((e) => {
          const file = `portico-${period.month}-${e.name}.csv`;
          return (
            <li key={e.name}>
              <a className="months-list__export" href={exportPath(period.month, e.name)} download={file}>
                <span aria-hidden="true">⬇</span> <strong>{e.label}</strong>{' '}
                <span className="muted small mono">{file}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** While a close runs: a progress state; then what it wrote, or why it could not close. */
function CloseOutcome({ month, close }: { month: string | null; close: ReturnType<typeof useClosePeriod> }) {
  const now = useNow(1000);
  if (!month || close.isIdle) return <div aria-live="polite" />;
  return (
    <div aria-live="polite">
      {close.isPending && (
        <div className="alert alert--info close-progress" role="status" data-testid="close-progress">
          <span className="spinner" aria-hidden="true" />
          <p>
            <strong>Closing {monthName(month)}…</strong> Rating fees and usage and writing the statements.
            This can take a minute; keep this page open.{' '}
            {Math.max(0, Math.round((now - close.submittedAt) / 1000))} s
          </p>
        </div>
      )}
      {close.isSuccess && (
        <div className="alert alert--success" data-testid="close-result">
          <p className="alert__title">{monthName(close.data.month)} is closed.</p>
          <p>
            {plural(close.data.statements.length, 'statement')} · {plural(close.data.linesWritten, 'line')}{' '}
            written
            {close.data.statements.length > 0 && <> · {totals(close.data)}</>}. The exports are ready below.
          </p>
        </div>
      )}
      {close.isError && (
        <div className="alert alert--error" role="alert" data-testid="close-error">
          <p className="alert__title">
            {monthName(month)} was not closed
            {isApiError(close.error) && close.error.status === 409 ? ': some prices are missing' : ''}
          </p>
          <p>
            {isApiError(close.error)
              ? (close.error.problem.detail ?? close.error.problem.title)
              : String(close.error)}
          </p>
          {isApiError(close.error) && (close.error.problem.errors?.length ?? 0) > 0 && (
            <ul className="alert__list">
              {close.error.problem.errors!.map((e) => (
                <li key={`${e.path}-${e.message}`}>
                  <code>{e.path}</code>: {e.message}
                </li>
              ))}
            </ul>
          )}
          {isApiError(close.error) && close.error.status === 409 && (
            <p className="small">Add the missing rate cards under Rate cards, then close the month again.</p>
          )}
        </div>
      )}
    </div>
  );
}
