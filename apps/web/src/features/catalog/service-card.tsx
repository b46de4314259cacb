import { Link } from 'react-router';
import type { ServiceSummary } from '@portico/shared';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { KindBadge } from '../../components/kind-badge.tsx';
import { formatMoney, isZeroMoney, plural } from '../../components/format.ts';

export function ServiceCard({ service }: { service: ServiceSummary }) {
  return (
    <article className="card service-card" data-testid="service-card" data-slug={service.slug}>
      <div className="service-card__top">
        <ServiceIcon icon={service.icon} name={service.name} kind={service.kind} />
        <KindBadge kind={service.kind} />
      </div>
      <h3 className="service-card__name">
        {/* The whole card is clickable through this link's ::after overlay. */}
        <Link to={`/s/${encodeURIComponent(service.slug)}`} className="stretched-link">
          {service.name}
        </Link>
      </h3>
      <p className="service-card__tagline">{service.tagline}</p>
      <div className="service-card__meta">
        <span className="service-card__price">
          {service.fromMonthlyPrice !== null && isZeroMoney(service.fromMonthlyPrice) ? (
            <strong>No monthly fee</strong>
          ) : service.fromMonthlyPrice !== null ? (
            <>
              <span className="muted">from </span>
              <strong>{formatMoney(service.fromMonthlyPrice, service.currency)}</strong>
              <span className="muted">/month</span>
            </>
          ) : (
            <span className="muted">Price on request</span>
          )}
        </span>
        {service.minLeadTimeDays !== null && (
          <span className="service-card__lead" title="Lead time in business days">
            <span aria-hidden="true">⏱ </span>
            {service.minLeadTimeDays === 0
              ? 'Same day'
              : `${plural(service.minLeadTimeDays, 'business day')}`}
          </span>
        )}
      </div>
    </article>
  );
}
