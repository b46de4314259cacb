import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ServiceSummary } from '@portico/shared';
import { ServiceCard } from './service-card.tsx';
import { ErrorState, SkeletonGrid } from '../../components/states.tsx';

interface ServiceGridProps {
  services: ServiceSummary[] | undefined;
  isPending: boolean;
  error: unknown;
  onRetry: () => void;
  empty: ReactNode;
  comparable?: boolean;
}

export function ServiceGrid({ services, isPending, error, onRetry, empty, comparable }: ServiceGridProps) {
  if (isPending) return <SkeletonGrid label="Loading services…" />;
  if (error && !services) return <ErrorState error={error} onRetry={onRetry} />;
  if (!services || services.length === 0) return <>{empty}</>;
  return (
    <ul className="card-grid" aria-label="Services">
      {services.map((s) => (
        <li key={s.slug} className="card-grid__item">
          <ServiceCard service={s} comparable={comparable} />
        </li>
      ))}
    </ul>
  );
}

/** A horizontal shelf of cards (featured, new, most requested) that scrolls sideways, with arrows on wide screens. */
export function ServiceRow({
  services,
  featured,
  showPopularity,
  label,
}: {
  services: ServiceSummary[];
  featured?: boolean;
  showPopularity?: boolean;
  label: string;
}) {
  const ref = useRef<HTMLUListElement>(null);
  const [edges, setEdges] = useState({ start: true, end: true });

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () =>
      setEdges({ start: el.scrollLeft <= 8, end: el.scrollLeft + el.clientWidth >= el.scrollWidth - 8 });
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, [services.length]);

  const page = (dir: -1 | 1) => {
    const el = ref.current;
    if (el) el.scrollBy({ left: dir * el.clientWidth * 0.9, behavior: 'smooth' });
  };

  return (
    <div className="service-row-wrap">
      <ul ref={ref} className={`service-row${featured ? ' service-row--featured' : ''}`} aria-label={label}>
        {services.map((s) => (
          <li key={s.slug} className="service-row__item">
            <ServiceCard service={s} featured={featured} showPopularity={showPopularity} />
          </li>
        ))}
      </ul>
      {!edges.start && (
        <button
          type="button"
          className="service-row__arrow service-row__arrow--prev"
          onClick={() => page(-1)}
          aria-label={`Scroll ${label} back`}
        >
          ‹
        </button>
      )}
      {!edges.end && (
        <button
          type="button"
          className="service-row__arrow service-row__arrow--next"
          onClick={() => page(1)}
          aria-label={`Scroll ${label} on`}
        >
          ›
        </button>
      )}
    </div>
  );
}
