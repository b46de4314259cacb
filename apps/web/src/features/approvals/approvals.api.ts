import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Approval, DecisionBody } from '@portico/shared';
import { api } from '../../app/api-client.ts';

export type ApprovalTab = 'pending' | 'decided';

export function useApprovals(status: ApprovalTab, enabled = true) {
  return useQuery({
    queryKey: ['approvals', status],
    queryFn: ({ signal }) => api.get<{ items: Approval[] }>(`/api/approvals?status=${status}`, signal),
    select: (page) => page.items,
    enabled,
    refetchInterval: status === 'pending' ? 30_000 : false,
  });
}

export function useApproval(id: string) {
  return useQuery({
    queryKey: ['approvals', 'one', id],
    queryFn: ({ signal }) => api.get<Approval>(`/api/approvals/${encodeURIComponent(id)}`, signal),
    enabled: id.length > 0,
  });
}

export function useDecide() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: DecisionBody }) =>
      api.post<Approval>(`/api/approvals/${encodeURIComponent(id)}/decision`, body),
    // Success or a 409 (someone else decided first): either way the lists are stale. Not
    // awaited, so the item's own callbacks run before the refetch removes it from the list.
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['approvals'] });
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
}
