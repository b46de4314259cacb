import type { ReactNode } from 'react';
import type { ServiceSummary } from '@portico/shared';
import { ServiceCard } from './service-card.tsx';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/states.tsx';

interface ServiceGridProps {
  services: ServiceSummary[] | undefined;
  isPending: boolean;
  error: unknown;
  onRetry: () => void;
  empty: ReactNode;
}

export function ServiceGrid({ services, isPending, error, onRetry, empty }: ServiceGridProps) {
  if (isPending) return <SkeletonGrid label="Loading services…" />;
  if (error && !services) return <ErrorState error={error} onRetry={onRetry} />;
  if (!services || services.length === 0) return <>{empty}</>;
  return (
    <div className="card-grid">
      {services.map((s) => (
        <ServiceCard key={s.slug} service={s} />
      ))}
    </div>
  );
}

export function NoServices({ query }: { query?: string }) {
  return (
    <EmptyState icon="🔎" title={query ? `Nothing matches “${query}”` : 'No services here yet'}>
      {query
        ? 'Try a shorter or different word, or browse the categories.'
        : 'The catalogue team is still filling this shelf.'}
    </EmptyState>
  );
}
