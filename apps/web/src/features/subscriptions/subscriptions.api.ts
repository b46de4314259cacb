import { useQuery } from '@tanstack/react-query';
import type { Subscription } from '@portico/shared';
import { api } from '../../app/api-client.ts';

export function useSubscriptions() {
  return useQuery({
    queryKey: ['subscriptions'],
    queryFn: ({ signal }) => api.get<{ items: Subscription[] }>('/api/subscriptions', signal),
    select: (page) => page.items,
  });
}

export function useSubscription(id: string) {
  return useQuery({
    queryKey: ['subscription', id],
    queryFn: ({ signal }) => api.get<Subscription>(`/api/subscriptions/${encodeURIComponent(id)}`, signal),
  });
}
