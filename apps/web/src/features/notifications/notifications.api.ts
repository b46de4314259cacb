import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notifications } from '@portico/shared';
import { api } from '../../app/api-client.ts';

const key = ['notifications'] as const;

/** The latest notifications and the unread count; polled so the bell stays current. */
export function useNotifications() {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<Notifications>('/api/notifications', signal),
    refetchInterval: 45_000,
    staleTime: 20_000,
  });
}

function useNotificationWrite<V>(write: (vars: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });
}

export function useMarkRead() {
  return useNotificationWrite((id: string) =>
    api.post<void>(`/api/notifications/${encodeURIComponent(id)}/read`),
  );
}

export function useMarkAllRead() {
  return useNotificationWrite(() => api.post<void>('/api/notifications/read-all'));
}
