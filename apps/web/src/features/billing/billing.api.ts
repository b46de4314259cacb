import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BillingPeriod,
  BillingPeriodSummary,
  Meter,
  PutRateCardBody,
  RateCard,
  SearchResult,
} from '@portico/shared';
import { api } from '../../app/api-client.ts';

const periodPath = (month: string) => `/api/billing/periods/${month}`;

/** The months from `from` to `to` at a glance (state, statements, totals), newest first. */
export function usePeriodSummaries(from: string, to: string) {
  return useQuery({
    queryKey: ['billing', 'period', 'summaries', from, to],
    queryFn: ({ signal }) =>
      api.get<{ items: BillingPeriodSummary[] }>(`/api/billing/periods?from=${from}&to=${to}`, signal),
    select: (page) => page.items,
  });
}

/** Closing is synchronous: the answer is the closed period, or why it could not close. */
export function useClosePeriod() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (month: string) => api.post<BillingPeriod>(`${periodPath(month)}/close`),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['billing', 'period'] });
      void qc.invalidateQueries({ queryKey: ['costs'] });
    },
  });
}

export function exportPath(month: string, name: ExportName): string {
  return `${periodPath(month)}/export/${name}.csv`;
}

export type ExportName = 'lines' | 'focus' | 'journal';

export function useRateCards() {
  return useQuery({
    queryKey: ['billing', 'rate-cards'],
    queryFn: ({ signal }) => api.get<{ items: RateCard[] }>('/api/rate-cards', signal),
    select: (page) => page.items,
  });
}

export function usePutRateCard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PutRateCardBody) => api.put<RateCard>('/api/rate-cards', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['billing', 'rate-cards'] }),
  });
}

export function useMeters() {
  return useQuery({
    queryKey: ['billing', 'meters'],
    queryFn: ({ signal }) => api.get<{ items: Meter[] }>('/api/meters', signal),
    select: (page) => page.items,
    staleTime: 5 * 60_000,
  });
}

/** The published services, for the rate-card editor's picker. */
export function usePublishedServices() {
  return useQuery({
    queryKey: ['billing', 'services'],
    queryFn: ({ signal }) => api.get<SearchResult>('/api/services?limit=100', signal),
    select: (page) => page.items,
    staleTime: 5 * 60_000,
  });
}
