import { Link } from 'react-router';
import type { ServiceSummary } from '@portico/shared';
import { compareStore, MAX_COMPARE, useComparePicks } from './compare-store.ts';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { KindBadge } from '../../components/kind-badge.tsx';
import { LifecycleBadge } from '../../components/lifecycle-badge.tsx';
import { formatMoney, isZeroMoney, plural } from '../../components/format.ts';

interface ServiceCardProps {
  service: ServiceSummary;
  /** Show the "Compare" checkbox that adds the service to the compare tray. */
  comparable?: boolean;
  /** A larger, highlighted card for featured services. */
  featured?: boolean;
  /** Say how often it was ordered lately (the "Most requested" row). */
  showPopularity?: boolean;
}

export function ServiceCard({ service, comparable, featured, showPopularity }: ServiceCardProps) {
  return (
    <article
      className={`card service-card${featured ? ' service-card--featured' : ''}`}
      data-testid="service-card"
      data-slug={service.slug}
    >
      <div className="service-card__top">
        <ServiceIcon
          icon={service.icon}
          name={service.name}
          kind={service.kind}
          size={featured ? 'lg' : 'md'}
        />
        <span className="badge-row">
          {service.status !== 'published' && <LifecycleBadge status={service.status} />}
          <KindBadge kind={service.kind} />
        </span>
      </div>
      <h3 className="service-card__name">
        {/* The whole card is clickable through this link's ::after overlay. */}
        <Link to={`/s/${encodeURIComponent(service.slug)}`} className="stretched-link">
          {service.name}
        </Link>
      </h3>
      <p className="service-card__tagline">{service.tagline}</p>
      {service.tags.length > 0 && (
        <ul className="tag-list tag-list--card" aria-label="Tags">
          {service.tags.slice(0, 3).map((t) => (
            <li key={t} className="tag">
              {t}
            </li>
          ))}
        </ul>
      )}
      {showPopularity && service.popularity > 0 && (
        <p className="service-card__popularity">
          <span aria-hidden="true">🔥 </span>
          {plural(service.popularity, 'request')} so far
        </p>
      )}
      <div className="service-card__meta">
        <span className="service-card__price">
          <FromPrice service={service} />
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
      {comparable && <CompareToggle service={service} />}
    </article>
  );
}

function FromPrice({ service }: { service: ServiceSummary }) {
  const monthly = service.fromMonthlyPrice;
  const oneTime = service.fromOneTimePrice;
  if (monthly === null) return <span className="muted">Price on request</span>;
  if (isZeroMoney(monthly)) {
    return oneTime && !isZeroMoney(oneTime) ? (
      <>
        <strong>{formatMoney(oneTime, service.currency)}</strong>
        <span className="muted"> one-time</span>
      </>
    ) : (
      <strong>No monthly fee</strong>
    );
  }
  return (
    <>
      <span className="muted">from </span>
      <strong>{formatMoney(monthly, service.currency)}</strong>
      <span className="muted">/month</span>
    </>
  );
}

function CompareToggle({ service }: { service: ServiceSummary }) {
  const picks = useComparePicks();
  const checked = picks.some((p) => p.slug === service.slug);
  const full = !checked && picks.length >= MAX_COMPARE;
  return (
    <label
      className={`compare-toggle${checked ? ' compare-toggle--on' : ''}`}
      title={full ? `You can compare up to ${MAX_COMPARE} services` : undefined}
    >
      <input
        type="checkbox"
        checked={checked}
        disabled={full}
        onChange={() =>
          compareStore.toggle({
            slug: service.slug,
            name: service.name,
            icon: service.icon,
            kind: service.kind,
          })
        }
      />
      <span>
        Compare<span className="visually-hidden"> {service.name}</span>
      </span>
    </label>
  );
}
