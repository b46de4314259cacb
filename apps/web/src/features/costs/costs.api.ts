import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChargeMode, CostCentreCosts, CostCentreCostsSummary, UsageRecord } from '@portico/shared';
import { api, withQuery } from '../../app/api-client.ts';

const cc = (code: string) => `/api/billing/cost-centres/${encodeURIComponent(code)}`;

/** Finance and admins: every cost centre; an owner: the ones they own; anyone else: none. */
export function useCostSummaries() {
  return useQuery({
    queryKey: ['costs', 'summaries'],
    queryFn: ({ signal }) =>
      api.get<{ items: CostCentreCostsSummary[] }>('/api/billing/cost-centres?limit=200', signal),
    select: (page) => page.items,
  });
}

export function useCostCentreCosts(code: string, month: string | undefined, currency: string | undefined) {
  return useQuery({
    queryKey: ['costs', 'centre', code, month ?? null, currency ?? null],
    queryFn: ({ signal }) =>
      api.get<CostCentreCosts>(withQuery(`${cc(code)}/costs`, { month, currency }), signal),
    // Going to another month of the same cost centre keeps the last one on screen until it arrives.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[2] === code ? previous : undefined,
  });
}

const USAGE_PAGE = 50;

/** The usage events behind a usage or correction line, a page at a time. */
export function useUsageBehind(code: string, subscription: string, meter: string, month: string) {
  return useInfiniteQuery({
    queryKey: ['costs', 'usage', code, subscription, meter, month],
    queryFn: ({ signal, pageParam }) =>
      api.get<{ items: UsageRecord[]; nextCursor: string | null }>(
        withQuery(`${cc(code)}/usage`, {
          subscription,
          meter,
          month,
          cursor: pageParam,
          limit: String(USAGE_PAGE),
        }),
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useSetChargeMode() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, chargeMode }: { code: string; chargeMode: ChargeMode }) =>
      api.put<CostCentreCostsSummary>(`${cc(code)}/charge-mode`, { chargeMode }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['costs'] }),
  });
}
