import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { lifecycles, type Lifecycle, type ManagedService } from '@portico/shared';
import { useManagedServices } from './catalog-admin.api.ts';
import { RequireCatalogManager } from './require-catalog-manager.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { KindBadge } from '../../components/kind-badge.tsx';
import { LifecycleBadge } from '../../components/lifecycle-badge.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { formatAgo, formatDateTime, plural } from '../../components/format.ts';

const statusLabels: Record<Lifecycle, string> = {
  draft: 'Drafts',
  published: 'Published',
  retired: 'Retired',
};

export function CatalogAdminPage() {
  return (
    <RequireCatalogManager>
      <CatalogAdminList />
    </RequireCatalogManager>
  );
}

function CatalogAdminList() {
  const services = useManagedServices();
  const [params] = useSearchParams();
  const status = lifecycles.find((l) => l === params.get('status'));
  const [text, setText] = useState('');

  const all = services.data ?? [];
  const count = (s: Lifecycle) => all.filter((x) => x.status === s).length;
  const words = text.trim().toLowerCase();
  const shown = all
    .filter((s) => !status || s.status === status)
    .filter(
      (s) =>
        !words ||
        s.name.toLowerCase().includes(words) ||
        s.slug.includes(words) ||
        s.category.toLowerCase().includes(words),
    )
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));

  return (
    <div>
      <PageHeader
        title="Catalogue admin"
        subtitle="Write service pages, plans, prices and SLAs; publish, and retire what should no longer be ordered."
        actions={
          <>
            <Link to="/catalogue-admin/import" className="btn btn--secondary">
              Import / export
            </Link>
            <Link to="/catalogue-admin/import/broker" className="btn btn--secondary">
              Import from broker
            </Link>
            <Link to="/catalogue-admin/new" className="btn btn--primary">
              New service
            </Link>
          </>
        }
      />
      <Tabs
        label="Services by status"
        value={status ?? 'all'}
        items={[
          {
            value: 'all',
            label: 'All',
            to: '/catalogue-admin',
            count: services.data ? all.length : undefined,
          },
          ...lifecycles.map((l) => ({
            value: l,
            label: statusLabels[l],
            to: `/catalogue-admin?status=${l}`,
            count: services.data ? count(l) : undefined,
          })),
        ]}
      />
      <div className="admin-toolbar">
        <label htmlFor="admin-filter" className="visually-hidden">
          Find a service
        </label>
        <input
          id="admin-filter"
          className="input"
          type="search"
          placeholder="Find by name, slug or category"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {services.isPending ? (
        <LoadingState label="Loading services…" />
      ) : services.isError ? (
        <ErrorState error={services.error} onRetry={() => void services.refetch()} />
      ) : shown.length === 0 ? (
        <EmptyState
          icon="🗂️"
          title={all.length === 0 ? 'No services yet' : 'No service matches'}
          action={
            all.length === 0 ? (
              <Link to="/catalogue-admin/new" className="btn btn--primary">
                Write the first service
              </Link>
            ) : undefined
          }
        >
          {all.length === 0
            ? 'Create one here, or import a catalogue file.'
            : 'Try other words, or another status tab.'}
        </EmptyState>
      ) : (
        <ul className="admin-list" aria-label="Services">
          {shown.map((s) => (
            <AdminRow key={s.slug} service={s} />
          ))}
        </ul>
      )}
    </div>
  );
}

function AdminRow({ service: s }: { service: ManagedService }) {
  return (
    <li className="admin-row" data-testid="admin-service-row" data-slug={s.slug}>
      <ServiceIcon icon={s.icon} name={s.name} kind={s.kind} size="sm" />
      <div className="admin-row__main">
        <p className="admin-row__name">
          <Link to={`/catalogue-admin/services/${encodeURIComponent(s.slug)}`} className="stretched-link">
            {s.name}
          </Link>
        </p>
        <p className="admin-row__meta muted small">
          <code>{s.slug}</code> · {s.category} · {plural(s.planCount, 'plan')}
        </p>
      </div>
      <div className="admin-row__side">
        <KindBadge kind={s.kind} />
        <LifecycleBadge status={s.status} />
        <span className="admin-row__version muted small" title={`Updated ${formatDateTime(s.updatedAt)}`}>
          v{s.version} · {formatAgo(s.updatedAt)}
        </span>
      </div>
    </li>
  );
}
