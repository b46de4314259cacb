import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Category, ServiceKind } from '@portico/shared';
import { useCategories, useServices } from './catalog.api.ts';
import { NoServices, ServiceGrid } from './service-grid.tsx';
import { KindFilter, parseKind } from './kind-filter.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { useDebouncedValue } from '../../components/use-debounced-value.ts';
import { useDocumentTitle } from '../../components/page-header.tsx';
import { plural } from '../../components/format.ts';
import { useCurrentUser } from '../session/current-user.ts';

export function StorefrontPage() {
  useDocumentTitle('Catalogue');
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(() => params.get('q') ?? '');
  const q = useDebouncedValue(text.trim(), 200);
  const kind = parseKind(params.get('kind'));

  // Mirror the search in the URL (replace, so typing does not flood the history).
  useEffect(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (q) next.set('q', q);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [q, setParams]);

  const setKind = (k: ServiceKind | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (k) next.set('kind', k);
        else next.delete('kind');
        return next;
      },
      { replace: true },
    );

  const services = useServices({ q: q || undefined, kind });
  const categories = useCategories();
  const searching = q.length > 0;
  const firstName = me.name.split(' ')[0] ?? me.name;

  return (
    <div className="storefront">
      <section className="hero">
        <h1 className="hero__title">What do you need, {firstName}?</h1>
        <p className="hero__subtitle">
          Servers, software, devices and expert help — with honest prices and delivery you can track.
        </p>
        <form className="search" role="search" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="catalogue-search" className="visually-hidden">
            Search the catalogue
          </label>
          {services.isFetching && searching ? (
            <span className="spinner spinner--sm search__icon" aria-hidden="true" />
          ) : (
            <svg className="search__icon" width="20" height="20" viewBox="0 0 24 24" aria-hidden="true">
              <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" strokeWidth="2.2" />
              <path d="m20 20-4-4" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
            </svg>
          )}
          <input
            id="catalogue-search"
            className="search__input"
            type="search"
            placeholder="Search services, e.g. “virtual machine”, “laptop”, “database”"
            autoComplete="off"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </form>
      </section>

      {!searching && <CategoryTiles categories={categories.data} isPending={categories.isPending} />}

      <section className="section" aria-labelledby="services-title">
        <div className="section__head">
          <h2 className="section__title" id="services-title">
            {searching ? `Results for “${q}”` : 'All services'}
          </h2>
          {services.data && (
            <span className="muted" aria-live="polite">
              {plural(services.data.items.length, 'service')}
            </span>
          )}
        </div>
        <KindFilter value={kind} onChange={setKind} />
        <ServiceGrid
          services={services.data?.items}
          isPending={services.isPending}
          error={services.error}
          onRetry={() => void services.refetch()}
          empty={<NoServices query={q || undefined} />}
        />
      </section>
    </div>
  );
}

function CategoryTiles({ categories, isPending }: { categories?: Category[]; isPending: boolean }) {
  if (isPending) return null;
  if (!categories?.length) return null;
  return (
    <section className="section" aria-labelledby="categories-title">
      <h2 className="section__title" id="categories-title">
        Browse by category
      </h2>
      <ul className="category-grid">
        {categories.map((c) => (
          <li key={c.slug}>
            <Link to={`/c/${encodeURIComponent(c.slug)}`} className="category-tile">
              <ServiceIcon icon={c.icon} name={c.name} size="sm" />
              <span className="category-tile__text">
                <span className="category-tile__name">{c.name}</span>
                <span className="category-tile__count">{plural(c.serviceCount, 'service')}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
