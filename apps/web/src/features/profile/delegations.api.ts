import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Delegation, DelegationBody, Delegations } from '@portico/shared';
import { api } from '../../app/api-client.ts';

const key = ['delegations'] as const;

export function useDelegations() {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<Delegations>('/api/delegations', signal),
  });
}

export function useCreateDelegation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DelegationBody) => api.post<Delegation>('/api/delegations', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
}

export function useRemoveDelegation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/delegations/${encodeURIComponent(id)}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });
}
