import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateTicketBody, Ticket } from '@portico/shared';
import { api } from '../../app/api-client.ts';

export type TicketScope = 'mine' | 'team';

export function useTickets(scope: TicketScope, enabled = true) {
  return useQuery({
    queryKey: ['tickets', scope],
    queryFn: ({ signal }) => api.get<{ items: Ticket[] }>(`/api/tickets?scope=${scope}`, signal),
    select: (page) => page.items,
    enabled,
  });
}

export function useRaiseTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTicketBody) => api.post<Ticket>('/api/tickets', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['tickets'] }),
  });
}
