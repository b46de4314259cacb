import { Link, useParams, useSearchParams } from 'react-router';
import type { ServiceKind } from '@portico/shared';
import { useCategories, useServices } from './catalog.api.ts';
import { NoServices, ServiceGrid } from './service-grid.tsx';
import { KindFilter, parseKind } from './kind-filter.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';

export function CategoryPage() {
  const { slug = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const kind = parseKind(params.get('kind'));
  const categories = useCategories();
  const services = useServices({ category: slug, kind });
  const category = categories.data?.find((c) => c.slug === slug);
  const unknown = categories.isSuccess && !category;

  const setKind = (k: ServiceKind | undefined) => setParams(k ? { kind: k } : {}, { replace: true });

  return (
    <div>
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/">Catalogue</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">{category?.name ?? slug}</span>
          </nav>
        }
        title={
          <span className="title-with-icon">
            {category && <ServiceIcon icon={category.icon} name={category.name} />}
            {category?.name ?? (unknown ? 'Unknown category' : '…')}
          </span>
        }
        docTitle={category?.name ?? 'Category'}
        subtitle={
          category?.description ??
          (unknown ? 'There is no such category — it may have been renamed.' : undefined)
        }
      />
      <KindFilter value={kind} onChange={setKind} />
      <ServiceGrid
        services={services.data?.items}
        isPending={services.isPending}
        error={services.error}
        onRetry={() => void services.refetch()}
        empty={<NoServices />}
      />
    </div>
  );
}
