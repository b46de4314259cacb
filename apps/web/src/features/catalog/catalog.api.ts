import { keepPreviousData, useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import type {
  Category,
  Comparison,
  SearchResult,
  ServiceDetail,
  ServiceKind,
  Storefront,
  leadTimeBands,
  priceBands,
} from '@portico/shared';
import { api, withQuery } from '../../app/api-client.ts';

export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: ({ signal }) => api.get<{ items: Category[] }>('/api/categories', signal),
    staleTime: 5 * 60_000,
    select: (page) => page.items,
  });
}

export function useStorefront() {
  return useQuery({
    queryKey: ['storefront'],
    queryFn: ({ signal }) => api.get<Storefront>('/api/storefront', signal),
    staleTime: 60_000,
  });
}

export type PriceBand = (typeof priceBands)[number];
export type LeadTimeBand = (typeof leadTimeBands)[number];

/** What the search page filters by; every field lives in the URL. */
export interface ServiceFilter {
  q?: string;
  category?: string;
  kind?: ServiceKind;
  price?: PriceBand;
  leadTime?: LeadTimeBand;
}

const PAGE_SIZE = 24;

function servicesPath(filter: ServiceFilter, limit: number, cursor?: string): string {
  return withQuery('/api/services', {
    q: filter.q,
    category: filter.category,
    kind: filter.kind,
    price: filter.price,
    leadTime: filter.leadTime,
    limit: String(limit),
    cursor,
  });
}

/** Ranked, faceted search with "Load more" through `nextCursor`. */
export function useServiceSearch(filter: ServiceFilter) {
  return useInfiniteQuery({
    queryKey: ['services', filter],
    queryFn: ({ signal, pageParam }) =>
      api.get<SearchResult>(servicesPath(filter, PAGE_SIZE, pageParam), signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // While the next search runs, keep showing the last results instead of a blank grid.
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** The few best matches for the search box's dropdown, as the user types. */
export function useSuggestions(q: string) {
  return useQuery({
    queryKey: ['suggest', q],
    queryFn: ({ signal }) => api.get<SearchResult>(servicesPath({ q }, 8), signal),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function serviceQuery(slug: string) {
  return {
    queryKey: ['service', slug],
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.get<ServiceDetail>(`/api/services/${encodeURIComponent(slug)}`, signal),
    staleTime: 60_000,
  };
}

export function useService(slug: string) {
  return useQuery({ ...serviceQuery(slug), enabled: slug.length > 0 });
}

/** Several services at once (the compare page needs each one's plans for its plan switcher). */
export function useServicesBySlug(slugs: string[]) {
  return useQueries({ queries: slugs.map((slug) => serviceQuery(slug)) });
}

export function useComparison(services: string[]) {
  const key = services.join(',');
  return useQuery({
    queryKey: ['compare', key],
    queryFn: ({ signal }) => api.get<Comparison>(withQuery('/api/compare', { services: key }), signal),
    enabled: services.length >= 2 && services.length <= 4,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
