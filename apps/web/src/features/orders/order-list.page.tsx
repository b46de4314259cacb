import { Link } from 'react-router';
import { useOrders } from './orders.api.ts';
import { OrderStatusBadge } from './order-status.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { formatDateTime, plural } from '../../components/format.ts';

export function OrderListPage() {
  const orders = useOrders();

  return (
    <div>
      <PageHeader title="My requests" subtitle="Everything you have ordered, newest first." />
      {orders.isPending ? (
        <LoadingState label="Loading your requests…" />
      ) : orders.isError ? (
        <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
      ) : orders.data.length === 0 ? (
        <EmptyState
          icon="🛒"
          title="No requests yet"
          action={
            <Link to="/" className="btn btn--primary">
              Browse the catalogue
            </Link>
          }
        >
          No requests yet — browse the catalogue and order what you need.
        </EmptyState>
      ) : (
        <ul className="row-list">
          {[...orders.data]
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
            .map((o) => (
              <li key={o.id} className="row-card" data-testid="order-row">
                <div className="row-card__main">
                  <p className="row-card__eyebrow">
                    {o.number} · {formatDateTime(o.createdAt)}
                  </p>
                  <h2 className="row-card__title">
                    <Link to={`/orders/${o.id}`} className="stretched-link">
                      {o.title}
                    </Link>
                  </h2>
                  <p className="row-card__meta muted">
                    {plural(o.lineCount, 'item')} · charged to {o.costCentre.code} — {o.costCentre.name}
                  </p>
                </div>
                <div className="row-card__side">
                  <OrderStatusBadge status={o.status} />
                  <span className="row-card__chevron" aria-hidden="true">
                    ›
                  </span>
                </div>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
