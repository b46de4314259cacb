import type { SubscriptionDetail } from '@portico/shared';
import { describeEvent, maxPrice, priceChanged, priceSteps, type PriceStep } from './subscription-helpers.ts';
import { formatDate, formatDateTime, formatMoney, moneyRatio } from '../../components/format.ts';

const icons: Record<SubscriptionDetail['events'][number]['kind'], string> = {
  start: '▶',
  resize: '⇅',
  transfer: '⇄',
  extend: '⏳',
  end: '■',
};

/**
 * The monthly price over time as a step line, from the start to now (or the end): a picture
 * for the eye only; the timeline beside it says the same in words.
 */
function PriceChart({ steps, until }: { steps: PriceStep[]; until: number }) {
  const first = steps[0];
  if (!first) return null;
  const top = maxPrice(steps);
  const t0 = new Date(first.at).getTime();
  const span = Math.max(until - t0, 1);
  const W = 600;
  const H = 120;
  const pad = 6;
  const x = (iso: string) => pad + ((new Date(iso).getTime() - t0) / span) * (W - 2 * pad);
  const y = (amount: string) => H - pad - moneyRatio(amount, top) * (H - 2 * pad - 14);

  let d = '';
  steps.forEach((s, i) => {
    const sx = x(s.at);
    const sy = y(s.monthlyPrice);
    d += i === 0 ? `M${sx},${sy}` : `V${sy}`;
    const next = steps[i + 1];
    d += `H${next ? x(next.at) : W - pad}`;
  });
  const ended = steps.at(-1)?.monthlyPrice === '0';

  return (
    <figure className="sub-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        className="sub-chart__svg"
        aria-hidden="true"
        focusable="false"
      >
        <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} className="sub-chart__axis" />
        <path d={`${d}V${H - pad}H${x(first.at)}Z`} className="sub-chart__area" />
        <path d={d} className="sub-chart__line" vectorEffect="non-scaling-stroke" />
      </svg>
      <figcaption className="sub-chart__caption small muted">
        <span>{formatDate(first.at)}</span>
        <span>
          Monthly price, up to {formatMoney(top, first.currency)}
          {ended ? '' : ' · now'}
        </span>
        <span>{ended ? formatDate(steps.at(-1)!.at) : 'today'}</span>
      </figcaption>
    </figure>
  );
}

export function SubscriptionHistory({ sub, now }: { sub: SubscriptionDetail; now: number }) {
  const events = [...sub.events].sort((a, b) => a.at.localeCompare(b.at));
  const steps = priceSteps(events);
  const until = sub.endedAt ? new Date(sub.endedAt).getTime() : now;

  return (
    <section className="card sub-o5" aria-labelledby="sub-history-title">
      <h2 className="card__title" id="sub-history-title">
        History
      </h2>
      {events.length === 0 ? (
        <p className="muted">Nothing has changed since it was delivered.</p>
      ) : (
        <>
          {priceChanged(steps) && <PriceChart steps={steps} until={until} />}
          <ol className="sub-history" data-testid="subscription-history">
            {[...events].reverse().map((e, i) => {
              const before = events[events.length - 2 - i];
              const { title, detail } = describeEvent(e, before);
              return (
                <li key={`${e.kind}-${e.at}`} className={`sub-history__item sub-history__item--${e.kind}`}>
                  <span className="sub-history__dot" aria-hidden="true">
                    {icons[e.kind]}
                  </span>
                  <div className="sub-history__body">
                    <p className="sub-history__title">{title}</p>
                    <p className="small">{detail}</p>
                    <p className="small muted">
                      <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                      {e.actor ? ` · by ${e.actor}` : e.kind !== 'start' ? ' · automatically' : ''}
                    </p>
                    {e.note && <p className="sub-history__note small">“{e.note}”</p>}
                  </div>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}
