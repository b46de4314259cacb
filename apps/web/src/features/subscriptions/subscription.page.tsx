import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Ticket } from '@portico/shared';
import { useSubscription } from './subscriptions.api.ts';
import { OutputsList, SubscriptionStatusBadge } from './subscription-status.tsx';
import { RaiseTicketForm } from '../tickets/raise-ticket-form.tsx';
import { useTickets } from '../tickets/tickets.api.ts';
import { TicketStatusBadge } from '../tickets/ticket-status.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { KindBadge } from '../../components/kind-badge.tsx';
import { SlaFacts } from '../../components/sla-facts.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { formatAgo, formatDate, formatMoney } from '../../components/format.ts';

export function SubscriptionPage() {
  const { id = '' } = useParams();
  const sub = useSubscription(id);
  const tickets = useTickets('mine');
  const [formOpen, setFormOpen] = useState(false);
  const [raised, setRaised] = useState<Ticket | null>(null);
  const wrongButton = useRef<HTMLButtonElement>(null);

  if (sub.isPending) return <LoadingState label="Loading service…" />;
  if (sub.isError) return <ErrorState error={sub.error} onRetry={() => void sub.refetch()} />;

  const s = sub.data;
  const mine = (tickets.data ?? [])
    .filter((t) => t.subscription.id === s.id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const hasOutputs = Object.keys(s.outputs).length > 0;

  return (
    <div>
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/services">My services</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">{s.name}</span>
          </nav>
        }
        title={
          <span className="title-with-icon">
            <ServiceIcon icon={s.service.icon} name={s.service.name} kind={s.service.kind} size="lg" />
            <span>{s.name}</span>
          </span>
        }
        docTitle={s.name}
        subtitle={
          <>
            {s.service.name} · {s.plan.name} · since {formatDate(s.startedAt)}
          </>
        }
        actions={
          s.status === 'active' && !formOpen ? (
            <button
              ref={wrongButton}
              type="button"
              className="btn btn--warning"
              onClick={() => {
                setRaised(null);
                setFormOpen(true);
              }}
            >
              Something's wrong
            </button>
          ) : undefined
        }
      />

      {raised && (
        <div className="alert alert--success" role="status" data-testid="ticket-created">
          <p className="alert__title">Ticket {raised.number} raised</p>
          <p>
            {raised.team.name} has it. We will keep you posted — see <Link to="/tickets">your tickets</Link>.
          </p>
        </div>
      )}

      {formOpen && (
        <RaiseTicketForm
          subscriptionId={s.id}
          onRaised={(t) => {
            setRaised(t);
            setFormOpen(false);
          }}
          onCancel={() => {
            setFormOpen(false);
            window.setTimeout(() => wrongButton.current?.focus(), 0);
          }}
        />
      )}

      <div className="order-layout">
        <div className="stack">
          {hasOutputs && (
            <section className="card" aria-labelledby="access-title">
              <h2 className="card__title" id="access-title">
                How to reach it
              </h2>
              <OutputsList outputs={s.outputs} />
            </section>
          )}
          <section className="card" aria-labelledby="sla-title">
            <h2 className="card__title" id="sla-title">
              Service level: {s.sla.name}
            </h2>
            <p className="sla-summary">{s.sla.summary}</p>
            <SlaFacts sla={s.sla} />
          </section>
          <section className="card" aria-labelledby="sub-tickets-title">
            <h2 className="card__title" id="sub-tickets-title">
              Your tickets for this service
            </h2>
            {tickets.isPending ? (
              <LoadingState />
            ) : mine.length === 0 ? (
              <p className="muted">No tickets — all quiet.</p>
            ) : (
              <ul className="plain-list">
                {mine.map((t) => (
                  <li key={t.id} className="plain-list__row">
                    <span>
                      <strong>{t.number}</strong> {t.summary}
                      <span className="muted small"> · {formatAgo(t.createdAt)}</span>
                    </span>
                    <TicketStatusBadge status={t.status} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <section className="card" aria-labelledby="sub-details-title">
          <h2 className="card__title" id="sub-details-title">
            Details
          </h2>
          <dl className="facts">
            <div>
              <dt>Status</dt>
              <dd>
                <SubscriptionStatusBadge status={s.status} />
              </dd>
            </div>
            <div>
              <dt>Kind</dt>
              <dd>
                <KindBadge kind={s.service.kind} />
              </dd>
            </div>
            <div>
              <dt>Quantity</dt>
              <dd>{s.quantity}</dd>
            </div>
            <div>
              <dt>Monthly price</dt>
              <dd>{formatMoney(s.monthlyPrice, s.currency)}</dd>
            </div>
            <div>
              <dt>Cost centre</dt>
              <dd>
                {s.costCentre.code} — {s.costCentre.name}
              </dd>
            </div>
            <div>
              <dt>Owner</dt>
              <dd>{s.owner.name}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatDate(s.startedAt)}</dd>
            </div>
            <div>
              <dt>Ordered in</dt>
              <dd>
                <Link to={`/orders/${s.orderId}`}>the original request</Link>
              </dd>
            </div>
            <div>
              <dt>Service page</dt>
              <dd>
                <Link to={`/s/${encodeURIComponent(s.service.slug)}`}>{s.service.name}</Link>
              </dd>
            </div>
          </dl>
        </section>
      </div>
    </div>
  );
}
