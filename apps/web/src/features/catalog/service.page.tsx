import { useEffect, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Plan, ServiceDetail } from '@portico/shared';
import { useService } from './catalog.api.ts';
import { PlanCard } from './plan-card.tsx';
import { CheckoutPanel } from './checkout-panel.tsx';
import { ServiceCard } from './service-card.tsx';
import { compareHref } from './compare-store.ts';
import { useOptionsForm } from './options-form.tsx';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { KindBadge, kindHints } from '../../components/kind-badge.tsx';
import { ErrorState, LoadingState, EmptyState } from '../../components/states.tsx';
import { compareMoney } from '../../components/format.ts';

function cheapestSlug(plans: Plan[]): string | undefined {
  if (plans.length < 2) return undefined;
  return [...plans].sort((a, b) => compareMoney(a.monthlyPrice, b.monthlyPrice))[0]?.slug;
}

export function ServicePage() {
  const { slug = '' } = useParams();
  const service = useService(slug);

  if (service.isPending) return <LoadingState label="Loading service…" />;
  if (service.isError) return <ErrorState error={service.error} onRetry={() => void service.refetch()} />;
  // Keyed by service, so moving to an alternative starts with that service's own form.
  return <ServiceView key={service.data.slug} service={service.data} />;
}

function ServiceView({ service: s }: { service: ServiceDetail }) {
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const planSlug = params.get('plan');
  const checkoutRef = useRef<HTMLDivElement>(null);
  const options = useOptionsForm(s.options);
  const orderable = s.status === 'published';
  const selectedPlan = orderable ? s.plans.find((p) => p.slug === planSlug) : undefined;

  // Bring the checkout into view when a plan is picked (and move focus for keyboard users).
  const lastScrolled = useRef<string | null>(null);
  useEffect(() => {
    if (!selectedPlan || lastScrolled.current === selectedPlan.slug) return;
    lastScrolled.current = selectedPlan.slug;
    const el = checkoutRef.current;
    if (!el) return;
    el.scrollIntoView({ behavior: 'smooth', block: 'start' });
    el.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }, [selectedPlan]);

  const cheapest = cheapestSlug(s.plans);
  const compareWith = [s.slug, ...s.alternatives.map((a) => a.slug)].slice(0, 4);

  return (
    <div className="service-page">
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/">Catalogue</Link>
            <span aria-hidden="true">›</span>
            <Link to={`/c/${encodeURIComponent(s.category.slug)}`}>{s.category.name}</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">{s.name}</span>
          </nav>
        }
        title={
          <span className="title-with-icon">
            <ServiceIcon icon={s.icon} name={s.name} kind={s.kind} size="lg" />
            <span>{s.name}</span>
          </span>
        }
        docTitle={s.name}
        subtitle={s.tagline}
      />

      {s.status === 'retired' && (
        <div className="alert alert--warning" role="status">
          <p className="alert__title">This service is retired</p>
          <p>
            It can no longer be ordered; existing subscriptions keep working.
            {s.alternatives.length > 0 && ' See the alternatives below.'}
          </p>
        </div>
      )}
      {s.status === 'draft' && (
        <div className="alert alert--info" role="status">
          <p className="alert__title">Draft — not in the catalogue yet</p>
          <p>Only catalogue managers see this page until it is published.</p>
        </div>
      )}

      <div className="service-intro">
        <div className="service-intro__text">
          {s.tags.length > 0 && (
            <ul className="tag-list" aria-label="Tags">
              {s.tags.map((t) => (
                <li key={t}>
                  <Link to={`/search?q=${encodeURIComponent(t)}`} className="tag tag--link">
                    {t}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {s.descriptionHtml.trim() ? (
            // Rendered by the server from Markdown with raw HTML escaped, so it is safe to insert.
            <div className="prose" dangerouslySetInnerHTML={{ __html: s.descriptionHtml }} />
          ) : (
            <p className="muted">No description yet.</p>
          )}
        </div>
        <dl className="card facts service-intro__facts">
          <div>
            <dt>Kind</dt>
            <dd>
              <KindBadge kind={s.kind} />
              <span className="small muted block">{kindHints[s.kind]}</span>
            </dd>
          </div>
          <div>
            <dt>Provided by</dt>
            <dd>{s.ownerTeam.name}</dd>
          </div>
          <div>
            <dt>Category</dt>
            <dd>
              <Link to={`/c/${encodeURIComponent(s.category.slug)}`}>{s.category.name}</Link>
            </dd>
          </div>
          {s.popularity > 0 && (
            <div>
              <dt>Popularity</dt>
              <dd>Ordered {s.popularity}× so far</dd>
            </div>
          )}
          {s.alternatives.length > 0 && (
            <div>
              <dt>Other ways to get this</dt>
              <dd>
                <a href="#alternatives-title">
                  {s.alternatives.length} alternative{s.alternatives.length > 1 ? 's' : ''} ↓
                </a>
              </dd>
            </div>
          )}
          <div className="service-intro__version">
            <dt className="visually-hidden">Version</dt>
            <dd className="muted small" data-testid="service-version">
              version {s.version}
            </dd>
          </div>
        </dl>
      </div>

      <section className="section" aria-labelledby="plans-title">
        <h2 className="section__title" id="plans-title">
          {orderable ? 'Choose a plan' : 'Plans'}
        </h2>
        {s.plans.length === 0 ? (
          <EmptyState icon="🧾" title="No plans on offer right now">
            This service cannot be ordered at the moment. Ask {s.ownerTeam.name} for details.
          </EmptyState>
        ) : (
          <div className="plan-grid">
            {s.plans.map((p) => (
              <PlanCard
                key={p.slug}
                plan={p}
                selected={p.slug === selectedPlan?.slug}
                cheapest={p.slug === cheapest}
                unavailable={
                  s.status === 'retired'
                    ? 'Retired: no longer orderable'
                    : s.status === 'draft'
                      ? 'Orderable once published'
                      : undefined
                }
                onSelect={() => {
                  lastScrolled.current = null;
                  setParams({ plan: p.slug }, { replace: true, preventScrollReset: true });
                }}
              />
            ))}
          </div>
        )}
      </section>

      <div ref={checkoutRef} className="checkout-anchor">
        {selectedPlan && (
          // Keyed by plan so switching plans starts a fresh checkout attempt.
          <CheckoutPanel key={selectedPlan.slug} service={s} plan={selectedPlan} me={me} options={options} />
        )}
      </div>

      {s.alternatives.length > 0 && (
        <section className="section alternatives" aria-labelledby="alternatives-title">
          <div className="alternatives__head">
            <div>
              <h2 className="section__title" id="alternatives-title">
                Alternatives
              </h2>
              <p className="muted">
                Other ways to get the same thing — compare price, delivery time and service level before you
                choose.
              </p>
            </div>
            <Link
              to={compareHref(compareWith)}
              className="btn btn--primary btn--lg"
              data-testid="compare-link"
            >
              <span aria-hidden="true">⇆ </span>Compare side by side
            </Link>
          </div>
          <ul className="card-grid" aria-label="Alternative services">
            {s.alternatives.map((a) => (
              <li key={a.slug} className="card-grid__item">
                <ServiceCard service={a} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
