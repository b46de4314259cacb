import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CompleteTaskBody, Task } from '@portico/shared';
import { api } from '../../app/api-client.ts';

export type TaskTab = 'open' | 'done';

export function useTasks(status: TaskTab) {
  return useQuery({
    queryKey: ['tasks', status],
    queryFn: ({ signal }) => api.get<{ items: Task[] }>(`/api/tasks?status=${status}`, signal),
    select: (page) => page.items,
    refetchInterval: status === 'open' ? 30_000 : false,
  });
}

export function useCompleteTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CompleteTaskBody }) =>
      api.post<Task>(`/api/tasks/${encodeURIComponent(id)}/complete`, body),
    // Not awaited: the refetch drops the task from the open list and unmounts its panel, and
    // the caller's own onSuccess must run before that.
    onSettled: () => void qc.invalidateQueries({ queryKey: ['tasks'] }),
  });
}
