import { Link } from 'react-router';
import type { Category, ServiceSummary, Storefront } from '@portico/shared';
import { useStorefront } from './catalog.api.ts';
import { SearchBox } from './search-box.tsx';
import { ServiceRow } from './service-grid.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { useDocumentTitle } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/states.tsx';
import { plural } from '../../components/format.ts';
import { useCurrentUser } from '../session/current-user.ts';

export function StorefrontPage() {
  useDocumentTitle('Catalogue');
  const me = useCurrentUser();
  const storefront = useStorefront();
  const firstName = me.name.split(' ')[0] ?? me.name;

  return (
    <div className="storefront">
      <section className="hero">
        <h1 className="hero__title">What do you need, {firstName}?</h1>
        <p className="hero__subtitle">
          Servers, software, devices and expert help — with honest prices and delivery you can track.
        </p>
        <SearchBox />
        <p className="hero__links">
          <Link to="/search">Browse all services</Link>
          <span aria-hidden="true"> · </span>
          <Link to="/search?kind=cloud">Only cloud services</Link>
        </p>
      </section>

      {storefront.isPending ? (
        <div className="section">
          <SkeletonGrid count={4} label="Loading the storefront…" />
        </div>
      ) : storefront.isError ? (
        <div className="section">
          <ErrorState error={storefront.error} onRetry={() => void storefront.refetch()} />
        </div>
      ) : (
        <StorefrontShelves data={storefront.data} />
      )}
    </div>
  );
}

function StorefrontShelves({ data }: { data: Storefront }) {
  return (
    <>
      {data.featured.length > 0 && (
        <section className="section featured" aria-labelledby="featured-title">
          <div className="section__head">
            <h2 className="section__title" id="featured-title">
              <span aria-hidden="true">★ </span>Featured
            </h2>
            <span className="muted small">Picked by the IT service owners</span>
          </div>
          <ServiceRow services={data.featured} featured label="Featured services" />
        </section>
      )}

      <CategoryTiles categories={data.categories} />

      <Shelf
        id="newest"
        title="New in the catalogue"
        services={data.newest}
        more={{ to: '/search', label: 'All services' }}
      />
      <Shelf id="popular" title="Most requested" services={data.popular} showPopularity />

      {data.featured.length + data.newest.length + data.popular.length === 0 &&
        data.categories.length === 0 && (
          <EmptyState icon="🛍️" title="The catalogue is empty">
            The IT service owners have not published any services yet.
          </EmptyState>
        )}
    </>
  );
}

function Shelf({
  id,
  title,
  services,
  showPopularity,
  more,
}: {
  id: string;
  title: string;
  services: ServiceSummary[];
  showPopularity?: boolean;
  more?: { to: string; label: string };
}) {
  if (services.length === 0) return null;
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <div className="section__head">
        <h2 className="section__title" id={`${id}-title`}>
          {title}
        </h2>
        {more && (
          <Link to={more.to} className="small">
            {more.label} →
          </Link>
        )}
      </div>
      <ServiceRow services={services} showPopularity={showPopularity} label={title} />
    </section>
  );
}

/** The top of the category tree as tiles; each names a few of its sub-categories. */
function CategoryTiles({ categories }: { categories: Category[] }) {
  const top = categories.filter((c) => c.parent === null);
  if (top.length === 0) return null;
  const children = (slug: string) => categories.filter((c) => c.parent === slug);
  return (
    <section className="section" aria-labelledby="categories-title">
      <h2 className="section__title" id="categories-title">
        Browse by category
      </h2>
      <ul className="category-grid">
        {top.map((c) => {
          const subs = children(c.slug);
          return (
            <li key={c.slug}>
              <Link to={`/c/${encodeURIComponent(c.slug)}`} className="category-tile">
                <ServiceIcon icon={c.icon} name={c.name} size="sm" />
                <span className="category-tile__text">
                  <span className="category-tile__name">{c.name}</span>
                  <span className="category-tile__count">
                    {plural(c.serviceCount, 'service')}
                    {subs.length > 0 && <> · {subs.map((s) => s.name).join(', ')}</>}
                  </span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
