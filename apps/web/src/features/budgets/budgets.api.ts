import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BudgetBody, CostCentre } from '@portico/shared';
import { api } from '../../app/api-client.ts';

export function useCostCentres(enabled = true) {
  return useQuery({
    queryKey: ['cost-centres'],
    queryFn: ({ signal }) => api.get<{ items: CostCentre[] }>('/api/cost-centres', signal),
    select: (page) => page.items,
    enabled,
  });
}

export function useSaveBudget() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, year, body }: { code: string; year: number; body: BudgetBody }) =>
      api.put<CostCentre>(`/api/cost-centres/${encodeURIComponent(code)}/budgets/${year}`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['cost-centres'] });
      // Budget impact previews depend on it.
      void qc.invalidateQueries({ queryKey: ['cart'] });
    },
  });
}
