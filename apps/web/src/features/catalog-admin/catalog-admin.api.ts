import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  FulfilmentAdapter,
  ImportReport,
  ManagedService,
  ManagedServiceDetail,
  TeamRef,
  ServiceDocumentInput,
} from '@portico/shared';
import { api, isApiError } from '../../app/api-client.ts';

const base = '/api/catalog/services';
const one = (slug: string) => `${base}/${encodeURIComponent(slug)}`;

export function useManagedServices() {
  return useQuery({
    queryKey: ['catalog-admin', 'services'],
    queryFn: ({ signal }) => api.get<{ items: ManagedService[] }>(base, signal),
    select: (page) => page.items,
  });
}

export function useManagedService(slug: string | undefined) {
  return useQuery({
    queryKey: ['catalog-admin', 'service', slug],
    queryFn: ({ signal }) => api.get<ManagedServiceDetail>(one(slug!), signal),
    enabled: !!slug,
    // An editor must not be refreshed under the user's hands.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
}

export function useTeams(enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['catalog-admin', 'teams'],
    queryFn: ({ signal }) => api.get<{ items: TeamRef[] }>('/api/catalog/teams', signal),
    select: (page) => page.items,
    staleTime: 5 * 60_000,
  });
}

/** The brokers and webhook endpoints an admin configured, for automated fulfilment steps. */
export function useFulfilmentAdapters(enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['fulfilment', 'adapters'],
    queryFn: ({ signal }) => api.get<{ items: FulfilmentAdapter[] }>('/api/fulfilment/adapters', signal),
    select: (page) => page.items,
    staleTime: 60_000,
  });
}

function useAfterWrite() {
  const qc = useQueryClient();
  return (state: ManagedServiceDetail) => {
    qc.setQueryData(['catalog-admin', 'service', state.document.slug], state);
    void qc.invalidateQueries({ queryKey: ['catalog-admin', 'services'] });
    // What requesters see changed too.
    for (const key of ['storefront', 'services', 'suggest', 'service', 'categories', 'compare']) {
      void qc.invalidateQueries({ queryKey: [key] });
    }
  };
}

export function useSaveService() {
  const after = useAfterWrite();
  return useMutation({
    mutationFn: ({ slug, document }: { slug: string; document: ServiceDocumentInput }) =>
      api.put<ManagedServiceDetail>(one(slug), document),
    onSuccess: after,
  });
}

export function useLifecycle() {
  const after = useAfterWrite();
  return useMutation({
    mutationFn: ({ slug, action }: { slug: string; action: 'publish' | 'retire' }) =>
      api.post<ManagedServiceDetail>(`${one(slug)}/${action}`),
    onSuccess: after,
  });
}

/**
 * An import, dry or real. A file with problems answers 400 with the report (errors with
 * line and column): that is a result to show, not a failure, so it resolves with it.
 */
export function useImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ yaml, dryRun }: { yaml: string; dryRun: boolean }): Promise<ImportReport> => {
      try {
        return await api.postText<ImportReport>(
          `/api/catalog/import?dryRun=${dryRun}`,
          yaml,
          'application/yaml',
        );
      } catch (e) {
        const report = isApiError(e) && e.status === 400 ? reportFrom(e.body, dryRun) : null;
        if (report) return report;
        throw e;
      }
    },
    onSuccess: (report) => {
      if (!report.dryRun && report.errors.length === 0) void qc.invalidateQueries();
    },
  });
}

/** The report in a 400 answer: the body itself, a `report` inside a problem, or the problem's field errors. */
function reportFrom(body: unknown, dryRun: boolean): ImportReport | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.errors) && Array.isArray(b.changes)) return b as unknown as ImportReport;
  if (b.report && typeof b.report === 'object') return reportFrom(b.report, dryRun);
  if (Array.isArray(b.errors)) {
    return {
      dryRun,
      changes: [],
      errors: (b.errors as Record<string, unknown>[]).map((e) => ({
        path: String(e.path ?? ''),
        line: typeof e.line === 'number' ? e.line : 0,
        column: typeof e.column === 'number' ? e.column : 0,
        message: String(e.message ?? ''),
      })),
    };
  }
  return null;
}
