import { Link, useLocation, useParams } from 'react-router';
import { isOrderSettled, useOrder } from './orders.api.ts';
import { OrderStatusBadge } from './order-status.tsx';
import { OrderTimeline } from './order-timeline.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  isZeroMoney,
  multiplyMoney,
} from '../../components/format.ts';

export function OrderPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const justPlaced = (location.state as { justPlaced?: boolean } | null)?.justPlaced;
  const order = useOrder(id);

  if (order.isPending) return <LoadingState label="Loading your request…" />;
  if (order.isError) return <ErrorState error={order.error} onRetry={() => void order.refetch()} />;

  const o = order.data;
  const live = !isOrderSettled(o);
  const title = o.lines.length === 1 && o.lines[0] ? `${o.lines[0].service.name}` : `Order ${o.number}`;

  return (
    <div>
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/orders">My requests</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">{o.number}</span>
          </nav>
        }
        title={title}
        docTitle={`${o.number} ${title}`}
        subtitle={
          <>
            {o.number} · submitted {formatDateTime(o.createdAt)}
          </>
        }
        actions={<OrderStatusBadge status={o.status} />}
      />

      {justPlaced && (
        <div className="alert alert--success" role="status">
          <p className="alert__title">Request submitted</p>
          <p>It is on its way to approval. This page updates by itself — no need to refresh.</p>
        </div>
      )}

      <div className="order-layout">
        <section className="card" aria-labelledby="tracking-title">
          <div className="card__head">
            <h2 className="card__title" id="tracking-title">
              Tracking
            </h2>
            {live && (
              <span className="live-dot" title="This page refreshes every 5 seconds">
                Live
              </span>
            )}
          </div>
          <OrderTimeline order={o} expectedDelivery={o.expectedDeliveryDate} />
        </section>

        <div className="stack">
          <section className="card" aria-labelledby="items-title">
            <h2 className="card__title" id="items-title">
              What you ordered
            </h2>
            <ul className="line-list">
              {o.lines.map((l) => (
                <li key={l.id} className="line-item">
                  <div className="line-item__main">
                    <p className="line-item__name">
                      <Link to={`/s/${encodeURIComponent(l.service.slug)}`}>{l.service.name}</Link>
                      <span className="muted"> · {l.plan.name}</span>
                    </p>
                    <p className="line-item__price">
                      {l.quantity} × {formatMoney(l.monthlyPrice, l.currency)}/month
                      {!isZeroMoney(l.oneTimePrice) && (
                        <> + {formatMoney(multiplyMoney(l.oneTimePrice, l.quantity), l.currency)} once</>
                      )}
                    </p>
                    <OptionsList options={l.options} />
                    {l.subscriptionId && (
                      <Link to={`/services/${l.subscriptionId}`} className="small">
                        Open in My services →
                      </Link>
                    )}
                  </div>
                  <div className="line-item__side">
                    <span>
                      <strong>{formatMoney(multiplyMoney(l.monthlyPrice, l.quantity), l.currency)}</strong>
                      <span className="muted small">/month</span>
                    </span>
                    {o.lines.length > 1 && <OrderStatusBadge status={l.status} />}
                  </div>
                </li>
              ))}
            </ul>
          </section>

          <section className="card" aria-labelledby="details-title">
            <h2 className="card__title" id="details-title">
              Details
            </h2>
            <dl className="facts">
              <div>
                <dt>Requested by</dt>
                <dd>{o.requester.name}</dd>
              </div>
              <div>
                <dt>Cost centre</dt>
                <dd>
                  {o.costCentre.code} — {o.costCentre.name}
                </dd>
              </div>
              <div>
                <dt>Needed by</dt>
                <dd>{o.neededBy ? formatDate(o.neededBy) : 'No date given'}</dd>
              </div>
              <div>
                <dt>SLA accepted</dt>
                <dd>{formatDateTime(o.slaAcceptedAt)}</dd>
              </div>
              <div className="facts__wide">
                <dt>Justification</dt>
                <dd className="prewrap">{o.justification}</dd>
              </div>
            </dl>
          </section>
        </div>
      </div>
    </div>
  );
}

/** What was chosen in the service's order form, as sent. */
function OptionsList({ options }: { options: Record<string, unknown> }) {
  const entries = Object.entries(options);
  if (entries.length === 0) return null;
  const show = (v: unknown) =>
    Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
  return (
    <dl className="line-item__options small muted">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
