import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApprovalPolicy,
  ApprovalPolicyBody,
  PolicyTestBody,
  PolicyTestResult,
  SearchResult,
} from '@portico/shared';
import { api } from '../../app/api-client.ts';

const base = '/api/approval-policies';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export function usePolicies() {
  return useQuery({
    queryKey: ['policies'],
    queryFn: ({ signal }) => api.get<{ items: ApprovalPolicy[] }>(base, signal),
    select: (page) => page.items,
  });
}

export function usePolicy(id: string | undefined) {
  return useQuery({
    queryKey: ['policies', id],
    queryFn: ({ signal }) => api.get<ApprovalPolicy>(one(id!), signal),
    enabled: !!id,
    // An editor must not be refreshed under the user's hands.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
}

export function useSavePolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: ApprovalPolicyBody }) =>
      id ? api.put<ApprovalPolicy>(one(id), body) : api.post<ApprovalPolicy>(base, body),
    onSuccess: (policy) => {
      qc.setQueryData(['policies', policy.id], policy);
      void qc.invalidateQueries({ queryKey: ['policies'], exact: true });
      // Routes shown in carts change with the policies.
      void qc.invalidateQueries({ queryKey: ['cart'] });
    },
  });
}

export function useDeletePolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(one(id)),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['policies'] });
      void qc.invalidateQueries({ queryKey: ['cart'] });
    },
  });
}

export function usePolicyTest() {
  return useMutation({
    mutationFn: (body: PolicyTestBody) => api.post<PolicyTestResult>(`${base}/test`, body),
  });
}

/** Published services for the tester's picker (the first hundred, by name). */
export function useOrderableServices() {
  return useQuery({
    queryKey: ['services', 'picker'],
    queryFn: ({ signal }) => api.get<SearchResult>('/api/services?limit=100', signal),
    select: (r) => [...r.items].sort((a, b) => a.name.localeCompare(b.name)),
    staleTime: 5 * 60_000,
  });
}
