import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Category, ServiceDetail, ServiceKind, ServiceSummary } from '@portico/shared';
import { api, withQuery } from '../../app/api-client.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: ({ signal }) => api.get<Page<Category>>('/api/categories', signal),
    staleTime: 5 * 60_000,
    select: (page) => page.items,
  });
}

export interface ServiceFilter {
  q?: string;
  category?: string;
  kind?: ServiceKind;
}

export function useServices(filter: ServiceFilter) {
  return useQuery({
    queryKey: ['services', filter],
    queryFn: ({ signal }) =>
      api.get<Page<ServiceSummary>>(
        withQuery('/api/services', { q: filter.q, category: filter.category, kind: filter.kind }),
        signal,
      ),
    // While the next search runs, keep showing the last results instead of a blank grid.
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function useService(slug: string) {
  return useQuery({
    queryKey: ['service', slug],
    queryFn: ({ signal }) => api.get<ServiceDetail>(`/api/services/${encodeURIComponent(slug)}`, signal),
    enabled: slug.length > 0,
    staleTime: 60_000,
  });
}
