import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type {
  ChangeBody,
  ChangePlaced,
  DecommissionBody,
  ExtendBody,
  RevealedCredentials,
  Subscription,
  SubscriptionDetail,
  SubscriptionQuery,
  TransferBody,
} from '@portico/shared';
import { api, withQuery } from '../../app/api-client.ts';

export interface SubscriptionPage {
  items: Subscription[];
  nextCursor: string | null;
}

export type ListQuery = Pick<SubscriptionQuery, 'scope' | 'status' | 'q' | 'costCentre'>;

const path = (id: string, rest = '') => `/api/subscriptions/${encodeURIComponent(id)}${rest}`;

/** A page at a time ("Show more"), newest first as the server orders them. */
export function useSubscriptionList(query: ListQuery, { enabled = true, limit = 25 } = {}) {
  return useInfiniteQuery({
    queryKey: ['subscriptions', query, limit],
    queryFn: ({ signal, pageParam }) =>
      api.get<SubscriptionPage>(
        withQuery('/api/subscriptions', {
          scope: query.scope,
          status: query.status,
          q: query.q,
          costCentre: query.costCentre,
          limit: String(limit),
          cursor: pageParam,
        }),
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Typing in the search box keeps the previous results on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    enabled,
    // Ending subscriptions and pending changes move on their own.
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.items.some((s) => s.status === 'ending' || s.pending))
        ? 15_000
        : false,
  });
}

function isMoving(s: Subscription): boolean {
  return s.status === 'ending' || s.pending !== null;
}

export function useSubscription(id: string) {
  return useQuery({
    queryKey: ['subscription', id],
    queryFn: ({ signal }) => api.get<SubscriptionDetail>(path(id), signal),
    staleTime: 0,
    // While it is being decommissioned or changed, follow it until the broker confirmed.
    refetchInterval: (q) => (q.state.data && isMoving(q.state.data) && !q.state.error ? 5_000 : false),
  });
}

/** After a write: the detail is refetched (events, plans), every list too. */
function useRefresh(id: string) {
  const qc = useQueryClient();
  return (sub?: Subscription) => {
    if (sub) {
      qc.setQueryData<SubscriptionDetail>(['subscription', id], (old) => (old ? { ...old, ...sub } : old));
    }
    void qc.invalidateQueries({ queryKey: ['subscription', id] });
    void qc.invalidateQueries({ queryKey: ['subscriptions'] });
  };
}

export function useRevealCredentials(id: string) {
  return useMutation({
    mutationFn: () => api.post<RevealedCredentials>(path(id, '/credentials')),
  });
}

export function useDecommission(id: string) {
  const refresh = useRefresh(id);
  return useMutation({
    mutationFn: (body: DecommissionBody) => api.post<Subscription>(path(id, '/decommission'), body),
    onSuccess: (sub) => refresh(sub),
  });
}

export function useTransfer(id: string) {
  const refresh = useRefresh(id);
  return useMutation({
    mutationFn: (body: TransferBody) => api.post<Subscription>(path(id, '/transfer'), body),
    onSuccess: (sub) => refresh(sub),
  });
}

export function useChangePlan(id: string) {
  const refresh = useRefresh(id);
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: ChangeBody; idempotencyKey: string }) =>
      api.post<ChangePlaced>(path(id, '/change'), body, { 'idempotency-key': idempotencyKey }),
    onSuccess: () => {
      refresh();
      void qc.invalidateQueries({ queryKey: ['orders'] });
    },
  });
}

export function useExtendLease(id: string) {
  const refresh = useRefresh(id);
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: ExtendBody; idempotencyKey: string }) =>
      api.post<ChangePlaced>(path(id, '/extend'), body, { 'idempotency-key': idempotencyKey }),
    onSuccess: () => {
      refresh();
      void qc.invalidateQueries({ queryKey: ['orders'] });
    },
  });
}
