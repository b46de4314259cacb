import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BillingPeriod, Meter, PutRateCardBody, RateCard, SearchResult } from '@portico/shared';
import { api } from '../../app/api-client.ts';

const periodPath = (month: string) => `/api/billing/periods/${month}`;

/** Each month's billing period (its state and statements), newest first as given. */
export function usePeriods(months: string[]) {
  return useQueries({
    queries: months.map((month) => ({
      queryKey: ['billing', 'period', month],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<BillingPeriod>(periodPath(month), signal),
    })),
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
