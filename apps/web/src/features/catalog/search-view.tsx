import { useEffect, useId, useState, type ReactNode } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { leadTimeBands, priceBands, serviceKinds, type Category, type FacetValue } from '@portico/shared';
import { useCategories, useServiceSearch, type ServiceFilter } from './catalog.api.ts';
import { ServiceGrid } from './service-grid.tsx';
import { CompareTray } from './compare-tray.tsx';
import { EmptyState } from '../../components/states.tsx';
import { kindLabels } from '../../components/kind-badge.tsx';
import { plural } from '../../components/format.ts';
import { useDebouncedValue } from '../../components/use-debounced-value.ts';

type FacetKey = 'category' | 'kind' | 'price' | 'leadTime';

const facetTitles: Record<FacetKey, string> = {
  category: 'Category',
  kind: 'Kind',
  price: 'Monthly price',
  leadTime: 'Delivery time',
};

// Labels for chips before the facets have loaded (the server's labels win once they have).
const fallbackLabels: Record<string, string> = {
  ...kindLabels,
  free: 'Free',
  'under-50': 'Under €50',
  '50-200': '€50–200',
  '200-500': '€200–500',
  'over-500': 'Over €500',
  '1-day': 'Within a day',
  week: 'Within a week',
  month: 'Within a month',
  longer: 'Longer',
};

const exampleSearches = ['virtual machine', 'database', 'laptop', 'storage', 'kubernetes'];

const pick = <T extends string>(allowed: readonly T[], v: string | null): T | undefined =>
  allowed.find((a) => a === v);

/** The filter in the URL, checked against the contract's values (anything else is ignored). */
export function filterFromParams(params: URLSearchParams, fixedCategory?: string): ServiceFilter {
  return {
    q: params.get('q')?.trim() || undefined,
    category: fixedCategory ?? (params.get('category') || undefined),
    kind: pick(serviceKinds, params.get('kind')),
    price: pick(priceBands, params.get('price')),
    leadTime: pick(leadTimeBands, params.get('leadTime')),
  };
}

interface SearchViewProps {
  /** On a category page: the category is part of the address, not a removable filter. */
  fixedCategory?: Category;
  /** The page's own heading (the category page has one); otherwise the view makes one. */
  header?: ReactNode;
  /** Shown between the header and the results (the category page's sub-categories). */
  intro?: ReactNode;
}

/** Search results with facets, chips and "Load more": the search page and each category page. */
export function SearchView({ fixedCategory, header, intro }: SearchViewProps) {
  const [params, setParams] = useSearchParams();
  const { pathname } = useLocation();
  const filter = filterFromParams(params, fixedCategory?.slug);
  const search = useServiceSearch(filter);
  const categories = useCategories();
  const [facetsOpen, setFacetsOpen] = useState(false);
  const facetsId = useId();

  const first = search.data?.pages[0];
  const items = search.data?.pages.flatMap((p) => p.items);
  const total = first?.total ?? 0;
  const facets = first?.facets;

  // A link to this page with one filter changed, keeping all the others.
  const hrefWith = (key: string, value: string | undefined): string => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('cursor');
    const s = next.toString();
    return s ? `${pathname}?${s}` : pathname;
  };

  const labelOf = (key: FacetKey, value: string): string => {
    const fromFacet = facets?.[key].find((f) => f.value === value)?.label;
    if (fromFacet) return fromFacet;
    if (key === 'category') return categories.data?.find((c) => c.slug === value)?.name ?? value;
    return fallbackLabels[value] ?? value;
  };

  const active = (['category', 'kind', 'price', 'leadTime'] as const)
    .filter((k) => !(k === 'category' && fixedCategory))
    .flatMap((k) => (filter[k] ? [{ key: k, value: filter[k] }] : []));
  const clearAll = (() => {
    const next = new URLSearchParams();
    if (filter.q) next.set('q', filter.q);
    const s = next.toString();
    return s ? `${pathname}?${s}` : pathname;
  })();

  const heading = filter.q ? `Results for “${filter.q}”` : fixedCategory ? undefined : 'All services';

  return (
    <div className="search-page">
      {header}
      {heading && (
        <header className="page-header">
          <h1 className="page-header__title">{heading}</h1>
        </header>
      )}
      <QueryInput
        value={filter.q ?? ''}
        onChange={(q) =>
          setParams(
            (prev) => {
              const next = new URLSearchParams(prev);
              if (q) next.set('q', q);
              else next.delete('q');
              return next;
            },
            { replace: true, preventScrollReset: true },
          )
        }
        placeholder={fixedCategory ? `Search in ${fixedCategory.name}` : 'Search services'}
      />
      {intro}

      <div className="search-layout">
        <div className="search-layout__side">
          <button
            type="button"
            className="btn btn--secondary btn--block facets-toggle"
            aria-expanded={facetsOpen}
            aria-controls={facetsId}
            onClick={() => setFacetsOpen((o) => !o)}
          >
            <span aria-hidden="true">⚙ </span>
            {facetsOpen ? 'Hide filters' : 'Filters'}
            {active.length > 0 && <span className="facets-toggle__count">{active.length}</span>}
          </button>
          <nav
            id={facetsId}
            className={`facets${facetsOpen ? ' facets--open' : ''}`}
            aria-label="Filters"
            data-testid="facets"
          >
            {(['category', 'kind', 'price', 'leadTime'] as const)
              .filter((k) => !(k === 'category' && fixedCategory))
              .map((k) => (
                <FacetGroup
                  key={k}
                  title={facetTitles[k]}
                  values={
                    k === 'category'
                      ? byTree(facets?.category ?? [], categories.data ?? [])
                      : (facets?.[k] ?? []).map((v) => ({ ...v, depth: 0 }))
                  }
                  selected={filter[k]}
                  hrefFor={(v) => hrefWith(k, v === filter[k] ? undefined : v)}
                  loading={!facets}
                />
              ))}
          </nav>
        </div>

        <section className="search-layout__results" aria-labelledby="result-count">
          <div className="results-bar">
            <p className="results-bar__count" id="result-count" aria-live="polite">
              {search.isPending ? (
                'Searching…'
              ) : (
                <>
                  <strong>{plural(total, 'service')}</strong>
                  {filter.q && <> for “{filter.q}”</>}
                  {search.isFetching && !search.isFetchingNextPage && (
                    <span className="spinner spinner--sm results-bar__spinner" aria-hidden="true" />
                  )}
                </>
              )}
            </p>
            {active.length > 0 && (
              <ul className="chips chips--filters" aria-label="Active filters">
                {active.map((f) => (
                  <li key={f.key}>
                    <Link
                      to={hrefWith(f.key, undefined)}
                      preventScrollReset
                      className="chip chip--removable"
                      aria-label={`Remove filter ${facetTitles[f.key]}: ${labelOf(f.key, f.value)}`}
                    >
                      <span className="muted">{facetTitles[f.key]}:</span> {labelOf(f.key, f.value)}
                      <span aria-hidden="true" className="chip__x">
                        ✕
                      </span>
                    </Link>
                  </li>
                ))}
                {active.length > 1 && (
                  <li>
                    <Link to={clearAll} preventScrollReset className="chip chip--clear">
                      Clear all
                    </Link>
                  </li>
                )}
              </ul>
            )}
          </div>

          <ServiceGrid
            services={items}
            isPending={search.isPending}
            error={search.error}
            onRetry={() => void search.refetch()}
            comparable
            empty={
              <NoResults
                q={filter.q}
                active={active.map((f) => ({
                  label: `${facetTitles[f.key]}: ${labelOf(f.key, f.value)}`,
                  href: hrefWith(f.key, undefined),
                }))}
                clearAll={active.length > 0 ? clearAll : undefined}
                categories={(categories.data ?? []).filter((c) => c.parent === null && c.serviceCount > 0)}
              />
            }
          />

          {items && items.length > 0 && (
            <div className="load-more">
              <p className="muted small">
                Showing {items.length} of {total}
              </p>
              {search.hasNextPage && (
                <button
                  type="button"
                  className="btn btn--secondary"
                  onClick={() => void search.fetchNextPage()}
                  disabled={search.isFetchingNextPage}
                >
                  {search.isFetchingNextPage ? 'Loading…' : 'Load more'}
                </button>
              )}
            </div>
          )}
        </section>
      </div>
      <CompareTray />
    </div>
  );
}

/** The words box: results follow the typing (debounced); the address keeps the words. */
function QueryInput({
  value,
  onChange,
  placeholder,
}: {
  value: string;
  onChange: (q: string) => void;
  placeholder: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const debounced = useDebouncedValue(text.trim(), 250);
  const [lastValue, setLastValue] = useState(value);
  // The address changed from outside (a chip, back button): show its words.
  if (value !== lastValue) {
    setLastValue(value);
    if (value !== text.trim()) setText(value);
  }
  useEffect(() => {
    if (debounced !== value) onChange(debounced);
    // Only the typing drives this; `value` catching up must not re-trigger it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);

  return (
    <form
      className="query-input"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(text.trim());
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {placeholder}
      </label>
      <svg className="query-input__icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" strokeWidth="2.2" />
        <path d="m20 20-4-4" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
      </svg>
      <input
        id={id}
        className="input query-input__input"
        type="search"
        autoComplete="off"
        placeholder={placeholder}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    </form>
  );
}

interface TreeFacet extends FacetValue {
  depth: number;
}

/** Category facet values in the order of the category tree, children indented under parents. */
function byTree(values: FacetValue[], categories: Category[]): TreeFacet[] {
  if (categories.length === 0) return values.map((v) => ({ ...v, depth: 0 }));
  const bySlug = new Map(values.map((v) => [v.value, v]));
  const out: TreeFacet[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const c of categories.filter((x) => x.parent === parent)) {
      const v = bySlug.get(c.slug);
      if (v) {
        out.push({ ...v, depth });
        seen.add(c.slug);
      }
      walk(c.slug, v ? depth + 1 : depth);
    }
  };
  walk(null, 0);
  for (const v of values) if (!seen.has(v.value)) out.push({ ...v, depth: 0 });
  return out;
}

function FacetGroup({
  title,
  values,
  selected,
  hrefFor,
  loading,
}: {
  title: string;
  values: TreeFacet[];
  selected: string | undefined;
  hrefFor: (value: string) => string;
  loading: boolean;
}) {
  const headingId = useId();
  // Values nothing matches are left out, unless selected (so it can be unselected).
  const shown = values.filter((v) => v.count > 0 || v.value === selected);
  return (
    <section className="facet" aria-labelledby={headingId}>
      <h2 className="facet__title" id={headingId}>
        {title}
      </h2>
      {loading ? (
        <p className="muted small">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="muted small">No choices for these results</p>
      ) : (
        <ul className="facet__list">
          {shown.map((v) => {
            const on = v.value === selected;
            return (
              <li key={v.value} style={v.depth ? { paddingLeft: `${v.depth * 16}px` } : undefined}>
                <Link
                  to={hrefFor(v.value)}
                  preventScrollReset
                  className={`facet__option${on ? ' facet__option--on' : ''}`}
                  aria-current={on ? 'true' : undefined}
                  data-facet-value={v.value}
                >
                  <span className="facet__box" aria-hidden="true">
                    {on ? '✓' : ''}
                  </span>
                  <span className="facet__label">{v.label}</span>
                  <span className="facet__count">{v.count}</span>
                  {on && <span className="visually-hidden"> (selected, choose again to remove)</span>}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function NoResults({
  q,
  active,
  clearAll,
  categories,
}: {
  q?: string;
  active: { label: string; href: string }[];
  clearAll?: string;
  categories: Category[];
}) {
  return (
    <div className="no-results">
      <EmptyState
        icon="🔎"
        title={q ? `Nothing matches “${q}”${active.length ? ' with these filters' : ''}` : 'No services here'}
      >
        {active.length
          ? 'Try removing a filter — the facet counts on the left show what each one leaves.'
          : q
            ? 'Check the spelling, try a shorter or more general word, or browse a category.'
            : 'The catalogue team is still filling this shelf.'}
      </EmptyState>
      <div className="no-results__suggestions">
        {active.length > 0 && (
          <div>
            <h3 className="subhead">Remove a filter</h3>
            <ul className="chips">
              {active.map((a) => (
                <li key={a.href}>
                  <Link to={a.href} className="chip chip--removable">
                    {a.label}
                    <span aria-hidden="true" className="chip__x">
                      ✕
                    </span>
                  </Link>
                </li>
              ))}
              {clearAll && (
                <li>
                  <Link to={clearAll} className="chip chip--clear">
                    Clear all filters
                  </Link>
                </li>
              )}
            </ul>
          </div>
        )}
        <div>
          <h3 className="subhead">Popular searches</h3>
          <ul className="chips">
            {exampleSearches.map((s) => (
              <li key={s}>
                <Link to={`/search?q=${encodeURIComponent(s)}`} className="chip">
                  {s}
                </Link>
              </li>
            ))}
          </ul>
        </div>
        {categories.length > 0 && (
          <div>
            <h3 className="subhead">Browse a category</h3>
            <ul className="chips">
              {categories.map((c) => (
                <li key={c.slug}>
                  <Link to={`/c/${encodeURIComponent(c.slug)}`} className="chip">
                    {c.name} <span className="muted">{c.serviceCount}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}
