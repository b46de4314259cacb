import { useId } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { validateOptions, type Comparison, type ServiceDetail } from '@portico/shared';
import { useComparison, useServicesBySlug } from './catalog.api.ts';
import { compareStore, MAX_COMPARE } from './compare-store.ts';
import { initialOptionValues } from './options-form.tsx';
import { AddToCart } from '../cart/add-to-cart.tsx';
import { useAddToCart } from '../cart/cart.api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { KindBadge } from '../../components/kind-badge.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';

interface Entry {
  slug: string;
  plan?: string;
}

function parseEntries(raw: string | null): Entry[] {
  return (raw ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      const [slug = '', plan] = x.split(':');
      return { slug, plan: plan || undefined };
    });
}

const entryText = (e: Entry) => (e.plan ? `${e.slug}:${e.plan}` : e.slug);

export function ComparePage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const entries = parseEntries(params.get('services'));
  const comparison = useComparison(entries.map(entryText));
  const details = useServicesBySlug(entries.map((e) => e.slug));

  // Written by hand, not through URLSearchParams, so the address stays readable: a:plan,b.
  const setEntries = (next: Entry[]) =>
    void navigate(
      { search: `?services=${next.map(entryText).join(',')}` },
      { replace: true, preventScrollReset: true },
    );

  const header = (
    <PageHeader
      breadcrumbs={
        <nav className="breadcrumbs" aria-label="Breadcrumb">
          <Link to="/">Catalogue</Link>
          <span aria-hidden="true">›</span>
          <span aria-current="page">Compare</span>
        </nav>
      }
      title="Compare side by side"
      subtitle="Price, delivery time and service level of each option, with the differences highlighted."
    />
  );

  if (entries.length < 2 || entries.length > MAX_COMPARE) {
    return (
      <div>
        {header}
        <EmptyState
          icon="⚖️"
          title={
            entries.length > MAX_COMPARE
              ? `Compare at most ${MAX_COMPARE} services`
              : 'Pick services to compare'
          }
          action={
            <Link to="/search" className="btn btn--primary">
              Find services
            </Link>
          }
        >
          Tick “Compare” on 2 to {MAX_COMPARE} services in the search results, then press “Compare”.
        </EmptyState>
      </div>
    );
  }

  if (comparison.isPending) {
    return (
      <div>
        {header}
        <LoadingState label="Comparing…" />
      </div>
    );
  }
  if (comparison.isError && !comparison.data) {
    return (
      <div>
        {header}
        <ErrorState error={comparison.error} onRetry={() => void comparison.refetch()} />
      </div>
    );
  }

  const c = comparison.data;
  const plansOf = (i: number) => details[i]?.data?.plans ?? [];
  const detailOf = (i: number) => details[i]?.data;

  return (
    <div className="compare-page">
      {header}
      {c.verdict && (
        <div className="verdict" role="note" data-testid="verdict">
          <span className="verdict__icon" aria-hidden="true">
            💡
          </span>
          <div>
            <p className="verdict__label">In short</p>
            <p className="verdict__text">{c.verdict}</p>
          </div>
        </div>
      )}
      {comparison.isError && (
        <p className="alert alert--error" role="alert">
          That change could not be compared; showing the last comparison.
        </p>
      )}
      <CompareTable
        comparison={c}
        busy={comparison.isFetching}
        plansOf={plansOf}
        detailOf={detailOf}
        onPlan={(i, plan) => setEntries(entries.map((e, j) => (j === i ? { ...e, plan } : e)))}
        onRemove={
          entries.length > 2
            ? (i) => {
                compareStore.remove(entries[i]!.slug);
                setEntries(entries.filter((_, j) => j !== i));
              }
            : undefined
        }
      />
      <p className="muted small compare-page__foot">
        First-year cost is the one-time price plus twelve months; options and metered use are not included.
        {entries.length < MAX_COMPARE && (
          <>
            {' '}
            <Link to="/search">Add another service</Link> by ticking “Compare” in the search results.
          </>
        )}
      </p>
    </div>
  );
}

interface CompareTableProps {
  comparison: Comparison;
  busy: boolean;
  plansOf: (i: number) => { slug: string; name: string }[];
  /** The service's page data, once loaded (its options form decides whether it can go straight to the cart). */
  detailOf: (i: number) => ServiceDetail | undefined;
  onPlan: (i: number, plan: string) => void;
  onRemove?: (i: number) => void;
}

function CompareTable({ comparison: c, busy, plansOf, detailOf, onPlan, onRemove }: CompareTableProps) {
  const uid = useId();
  return (
    <div
      className={`compare-scroll${busy ? ' compare-scroll--busy' : ''}`}
      tabIndex={0}
      aria-label="Comparison table"
    >
      <table className="compare-table" data-testid="compare-table">
        <caption className="visually-hidden">
          {c.items.map((it) => `${it.service.name} (${it.plan.name})`).join(' compared with ')}
        </caption>
        <thead>
          <tr>
            <td className="compare-table__corner">
              <span className="muted small">Differences are highlighted</span>
            </td>
            {c.items.map((it, i) => {
              const plans = plansOf(i);
              const selectId = `${uid}-plan-${i}`;
              return (
                <th
                  key={`${it.service.slug}-${i}`}
                  scope="col"
                  className={`compare-col compare-col--${it.service.kind}`}
                >
                  <div className="compare-col__head">
                    <ServiceIcon
                      icon={it.service.icon}
                      name={it.service.name}
                      kind={it.service.kind}
                      size="sm"
                    />
                    <KindBadge kind={it.service.kind} />
                    {onRemove && (
                      <button
                        type="button"
                        className="compare-col__remove"
                        onClick={() => onRemove(i)}
                        aria-label={`Remove ${it.service.name} from the comparison`}
                      >
                        ✕
                      </button>
                    )}
                  </div>
                  <Link to={`/s/${encodeURIComponent(it.service.slug)}`} className="compare-col__name">
                    {it.service.name}
                  </Link>
                  <label className="compare-col__plan" htmlFor={selectId}>
                    <span className="visually-hidden">Plan for {it.service.name}</span>
                    <select
                      id={selectId}
                      className="input input--sm"
                      value={it.plan.slug}
                      onChange={(e) => onPlan(i, e.target.value)}
                      disabled={plans.length < 2}
                    >
                      {(plans.length ? plans : [it.plan]).map((p) => (
                        <option key={p.slug} value={p.slug}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                  </label>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {c.rows.map((row) => (
            <tr
              key={row.key}
              className={row.differs ? 'compare-row compare-row--differs' : 'compare-row'}
              data-row={row.key}
              data-differs={row.differs}
            >
              <th scope="row" className="compare-row__label">
                {row.label}
                {row.differs && <span className="visually-hidden"> (differs)</span>}
              </th>
              {row.values.map((v, i) => (
                <td key={i} className={row.best === i ? 'compare-cell compare-cell--best' : 'compare-cell'}>
                  <span className="compare-cell__value">{v || '—'}</span>
                  {row.best === i && (
                    <span className="best-badge">
                      <span aria-hidden="true">✓ </span>Best
                    </span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td className="compare-table__corner" />
            {c.items.map((it, i) => (
              <td key={`${it.service.slug}-${i}`} className="compare-cell compare-cell--action">
                {it.service.status === 'published' ? (
                  <div className="compare-cell__actions">
                    <Link
                      to={`/s/${encodeURIComponent(it.service.slug)}?plan=${encodeURIComponent(it.plan.slug)}`}
                      className="btn btn--primary btn--block"
                      aria-label={`Order ${it.service.name} — ${it.plan.name}`}
                    >
                      Order
                    </Link>
                    <CompareAddToCart service={detailOf(i)} plan={it.plan} />
                  </div>
                ) : (
                  <span className="muted small">Not orderable ({it.service.status})</span>
                )}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/**
 * Straight into the cart with the service's default options, when those are a valid order;
 * a service that needs answers first (a database name) is configured on its page via Order.
 */
function CompareAddToCart({
  service,
  plan,
}: {
  service?: ServiceDetail;
  plan: { slug: string; name: string };
}) {
  const add = useAddToCart();
  if (!service) return null;
  const checked = validateOptions(service.options, initialOptionValues(service.options));
  if (checked.errors.length > 0) {
    return <p className="muted small compare-cell__note">Choose its options on the order page.</p>;
  }
  return (
    <AddToCart
      add={add}
      what={`${service.name} · ${plan.name}`}
      className="btn btn--secondary btn--block btn--sm"
      getItem={() => ({ service: service.slug, plan: plan.slug, options: checked.values, quantity: 1 })}
    />
  );
}
