import { useEffect, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Plan } from '@portico/shared';
import { useService } from './catalog.api.ts';
import { PlanCard } from './plan-card.tsx';
import { CheckoutPanel } from './checkout-panel.tsx';
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
  const me = useCurrentUser();
  const service = useService(slug);
  const [params, setParams] = useSearchParams();
  const planSlug = params.get('plan');
  const checkoutRef = useRef<HTMLDivElement>(null);

  const selectedPlan = service.data?.plans.find((p) => p.slug === planSlug);

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

  if (service.isPending) return <LoadingState label="Loading service…" />;
  if (service.isError) return <ErrorState error={service.error} onRetry={() => void service.refetch()} />;

  const s = service.data;
  const cheapest = cheapestSlug(s.plans);

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

      <div className="service-intro">
        <div className="service-intro__text">
          {s.description.split(/\n{2,}/).map((para, i) => (
            <p key={i}>{para}</p>
          ))}
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
            <dd>{s.category.name}</dd>
          </div>
        </dl>
      </div>

      <section className="section" aria-labelledby="plans-title">
        <h2 className="section__title" id="plans-title">
          Choose a plan
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
          <CheckoutPanel key={selectedPlan.slug} service={s} plan={selectedPlan} me={me} />
        )}
      </div>
    </div>
  );
}
