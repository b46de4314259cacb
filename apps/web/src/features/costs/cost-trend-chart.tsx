import { Link } from 'react-router';
import type { CostCentreCosts } from '@portico/shared';
import { formatMoney, maxMoney, moneyRatio } from '../../components/format.ts';
import { monthName, monthShort, stateLabels } from './cost-helpers.ts';

interface TrendChartProps {
  costs: CostCentreCosts;
  /** Where a month's bar leads: the page for that month. */
  hrefOf: (month: string) => string;
  onPick: (month: string) => void;
}

/**
 * Twelve months as bars, oldest first; the running month's forecast as a dashed bar behind its
 * month-to-date. Drawn like the subscription's price chart (plain SVG); the picture is one image
 * for screen readers, and the table under it says the same in words, with a link per month.
 */
export function CostTrendChart({ costs, hrefOf, onPick }: TrendChartProps) {
  const { trend, currency, month, forecast } = costs;
  const money = (a: string) => formatMoney(a, currency);
  const running = trend.find((t) => t.state === 'running');
  const top = maxMoney('0', ...trend.map((t) => t.amount), ...(running && forecast ? [forecast] : []));
  // The bars stretch to the figure's width; the month names are HTML under them, so they stay
  // readable at any width.
  const W = 1200;
  const H = 200;
  const base = H - 1;
  const slot = W / trend.length;
  const barW = slot * 0.62;
  const h = (amount: string) => moneyRatio(amount, top) * (base - 6);
  const first = trend[0];
  const last = trend.at(-1);
  const summary =
    first && last
      ? `Costs per month from ${monthName(first.month)} to ${monthName(last.month)}, up to ${money(top)}` +
        (running && forecast ? `; ${monthName(running.month)} is forecast at ${money(forecast)}` : '') +
        '.'
      : 'No months to show.';

  return (
    <figure className="cost-trend" data-testid="cost-trend">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        className="cost-trend__svg"
        role="img"
        aria-label={summary}
      >
        {trend.map((t, i) => {
          const x = i * slot + (slot - barW) / 2;
          const isForecast = t.state === 'running' && forecast;
          const selected = t.month === month;
          return (
            <g
              key={t.month}
              className={`cost-trend__bar cost-trend__bar--${t.state}${selected ? ' cost-trend__bar--selected' : ''}`}
              data-month={t.month}
              onClick={() => onPick(t.month)}
            >
              <title>{`${monthName(t.month)}: ${money(t.amount)} (${stateLabels[t.state].toLowerCase()})${
                isForecast ? `, forecast ${money(forecast)}` : ''
              }`}</title>
              {/* The whole slot answers the click, so a month without charges can be picked too. */}
              <rect x={i * slot} y={0} width={slot} height={H} className="cost-trend__hit" />
              {isForecast && (
                <rect
                  x={x}
                  y={base - h(forecast)}
                  width={barW}
                  height={h(forecast)}
                  className="cost-trend__forecast"
                  vectorEffect="non-scaling-stroke"
                />
              )}
              <rect
                x={x}
                y={base - h(t.amount)}
                width={barW}
                height={h(t.amount)}
                className="cost-trend__value"
              />
            </g>
          );
        })}
        <line
          x1={0}
          x2={W}
          y1={base}
          y2={base}
          className="cost-trend__axis"
          vectorEffect="non-scaling-stroke"
        />
      </svg>
      <ol className="cost-trend__months" aria-hidden="true">
        {trend.map((t) => (
          <li key={t.month} className={t.month === month ? 'cost-trend__month--selected' : undefined}>
            {monthShort(t.month)}
          </li>
        ))}
      </ol>
      <figcaption className="cost-trend__caption small muted">
        <span>
          <span className="cost-trend__key cost-trend__key--value" aria-hidden="true" /> Charged
        </span>
        {running && forecast && (
          <span>
            <span className="cost-trend__key cost-trend__key--forecast" aria-hidden="true" /> Forecast to the
            month&rsquo;s end
          </span>
        )}
        <span>Pick a month to see it.</span>
      </figcaption>
      <details className="cost-trend__table">
        <summary className="small">The trend as a table</summary>
        <table className="data-table data-table--compact">
          <caption className="visually-hidden">Costs per month</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {[...trend].reverse().map((t) => (
              <tr key={t.month} aria-current={t.month === month ? 'true' : undefined}>
                <th scope="row">
                  <Link to={hrefOf(t.month)}>{monthName(t.month)}</Link>
                </th>
                <td>{stateLabels[t.state]}</td>
                <td className="num">
                  {money(t.amount)}
                  {t.state === 'running' && forecast && (
                    <span className="muted block small">forecast {money(forecast)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
