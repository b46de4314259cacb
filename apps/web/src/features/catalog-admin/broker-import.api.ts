import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BrokerCatalog, BrokerImportBody, BrokerImportReport } from '@portico/shared';
import { api, isApiError } from '../../app/api-client.ts';

const catalogOf = (key: string) => `/api/fulfilment/adapters/${encodeURIComponent(key)}/catalog`;

/** A broker's catalogue, read live (the broker answers in seconds, or the 502 says why not). */
export function useBrokerCatalog(key: string | null) {
  return useQuery({
    enabled: !!key,
    queryKey: ['fulfilment', 'broker-catalog', key],
    queryFn: ({ signal }) => api.get<BrokerCatalog>(catalogOf(key!), signal),
    staleTime: 60_000,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

/**
 * An import from a broker, dry or real. Problems answer 400 with the report: a result to show
 * next to the fields, not a failure, so it resolves with it.
 */
export function useBrokerImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ key, body }: { key: string; body: BrokerImportBody }) => {
      try {
        return await api.post<BrokerImportReport>(catalogOf(key), body);
      } catch (e) {
        const b = isApiError(e) && e.status === 400 ? (e.body as Partial<BrokerImportReport>) : null;
        if (b && Array.isArray(b.errors) && Array.isArray(b.changes)) return b as BrokerImportReport;
        // The request itself was refused (a slug that is no slug): shown at the fields just the same.
        if (isApiError(e) && e.status === 400 && e.problem.errors?.length)
          return {
            dryRun: body.dryRun ?? false,
            adapter: { key, name: key },
            services: [],
            errors: e.problem.errors,
            changes: [],
            skipped: [],
          };
        throw e;
      }
    },
    onSuccess: (report) => {
      if (!report.dryRun && report.errors.length === 0)
        void qc.invalidateQueries({ queryKey: ['catalog-admin'] });
    },
  });
}
