import { Link, useParams } from 'react-router';
import type { Category } from '@portico/shared';
import { useCategories } from './catalog.api.ts';
import { SearchView } from './search-view.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { plural } from '../../components/format.ts';

/** The ancestors of a category, root first. */
function trail(categories: Category[], slug: string): Category[] {
  const out: Category[] = [];
  let c = categories.find((x) => x.slug === slug);
  const seen = new Set<string>();
  while (c && !seen.has(c.slug)) {
    seen.add(c.slug);
    out.unshift(c);
    const parent: string | null = c.parent;
    c = parent ? categories.find((x) => x.slug === parent) : undefined;
  }
  return out;
}

/** A category: its sub-categories as tiles, then the search results with the category pre-selected. */
export function CategoryPage() {
  const { slug = '' } = useParams();
  const categories = useCategories();

  if (categories.isPending) return <LoadingState label="Loading category…" />;
  if (categories.isError) {
    return <ErrorState error={categories.error} onRetry={() => void categories.refetch()} />;
  }
  const category = categories.data.find((c) => c.slug === slug);
  if (!category) {
    return (
      <div>
        <PageHeader
          title="Unknown category"
          subtitle="There is no such category — it may have been renamed."
          actions={
            <Link to="/search" className="btn btn--primary">
              Browse all services
            </Link>
          }
        />
      </div>
    );
  }
  const path = trail(categories.data, slug);
  const children = categories.data.filter((c) => c.parent === slug);

  return (
    <SearchView
      key={slug}
      fixedCategory={category}
      header={
        <PageHeader
          breadcrumbs={
            <nav className="breadcrumbs" aria-label="Breadcrumb">
              <Link to="/">Catalogue</Link>
              {path.map((c) => (
                <span key={c.slug} className="breadcrumbs__step">
                  <span aria-hidden="true">›</span>
                  {c.slug === slug ? (
                    <span aria-current="page">{c.name}</span>
                  ) : (
                    <Link to={`/c/${encodeURIComponent(c.slug)}`}>{c.name}</Link>
                  )}
                </span>
              ))}
            </nav>
          }
          title={
            <span className="title-with-icon">
              <ServiceIcon icon={category.icon} name={category.name} />
              {category.name}
            </span>
          }
          docTitle={category.name}
          subtitle={category.description || undefined}
        />
      }
      intro={
        children.length > 0 && (
          <ul className="category-grid category-grid--sub" aria-label={`Inside ${category.name}`}>
            {children.map((c) => (
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
        )
      }
    />
  );
}
