import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AbandonLineBody,
  AssignTaskBody,
  AttentionItem,
  CompleteTaskBody,
  Task,
  WorkTeam,
} from '@portico/shared';
import { api } from '../../app/api-client.ts';

export type TaskTab = 'open' | 'done' | 'attention';

/** The queue's filters, as the URL carries them. */
export interface QueueFilters {
  team: string;
  assignee: 'me' | 'unassigned' | 'any';
  overdue: boolean;
  q: string;
}

function taskQuery(status: 'open' | 'done', f: QueueFilters): string {
  const p = new URLSearchParams({ status, limit: status === 'open' ? '200' : '50' });
  if (f.team) p.set('team', f.team);
  if (f.assignee !== 'any') p.set('assignee', f.assignee);
  if (f.overdue && status === 'open') p.set('overdue', 'true');
  if (f.q) p.set('q', f.q);
  return p.toString();
}

export function useTasks(status: 'open' | 'done', filters: QueueFilters, enabled = true) {
  const query = taskQuery(status, filters);
  return useQuery({
    queryKey: ['tasks', 'list', query],
    queryFn: ({ signal }) => api.get<{ items: Task[] }>(`/api/tasks?${query}`, signal),
    select: (page) => page.items,
    // While typing, the list shown stays until the new one arrives.
    placeholderData: (previous) => previous,
    refetchInterval: status === 'open' ? 30_000 : false,
    enabled,
  });
}

export function useTask(id: string | null, initial?: Task) {
  return useQuery({
    queryKey: ['tasks', 'one', id],
    queryFn: ({ signal }) => api.get<Task>(`/api/tasks/${encodeURIComponent(id!)}`, signal),
    enabled: id !== null,
    initialData: initial,
  });
}

export function useWorkTeams() {
  return useQuery({
    queryKey: ['fulfilment', 'teams'],
    queryFn: ({ signal }) => api.get<{ items: WorkTeam[] }>('/api/fulfilment/teams', signal),
    select: (r) => r.items,
    staleTime: 5 * 60_000,
  });
}

export function useAttention(filters: Pick<QueueFilters, 'team' | 'q'>) {
  const p = new URLSearchParams();
  if (filters.team) p.set('team', filters.team);
  if (filters.q) p.set('q', filters.q);
  const query = p.toString();
  return useQuery({
    queryKey: ['attention', query],
    queryFn: ({ signal }) =>
      api.get<{ items: AttentionItem[] }>(`/api/fulfilment/attention${query ? `?${query}` : ''}`, signal),
    select: (r) => r.items,
    placeholderData: (previous) => previous,
    refetchInterval: 30_000,
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

/** Claim ("take it") or hand over; either way the answer is the task as it is now. */
export function useAssignTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: AssignTaskBody | 'claim' }) =>
      body === 'claim'
        ? api.post<Task>(`/api/tasks/${encodeURIComponent(id)}/claim`, {})
        : api.post<Task>(`/api/tasks/${encodeURIComponent(id)}/assign`, body),
    onSuccess: (task) => {
      qc.setQueryData(['tasks', 'one', task.id], task);
      // The list shows who holds it at once, before its refetch says the same.
      qc.setQueriesData<{ items: Task[] }>({ queryKey: ['tasks', 'list'] }, (page) =>
        page ? { ...page, items: page.items.map((t) => (t.id === task.id ? task : t)) } : page,
      );
    },
    // Also after a 409: the list and the panel then show who holds it now.
    onSettled: () => void qc.invalidateQueries({ queryKey: ['tasks'] }),
  });
}

export function useRetryStep() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (stepId: string) =>
      api.post<null>(`/api/fulfilment/steps/${encodeURIComponent(stepId)}/retry`, {}),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['attention'] }),
  });
}

export function useAbandonLine() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ lineId, body }: { lineId: string; body: AbandonLineBody }) =>
      api.post<null>(`/api/fulfilment/lines/${encodeURIComponent(lineId)}/abandon`, body),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['attention'] });
      // Undo tasks for manual steps land in the queue.
      void qc.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
}
