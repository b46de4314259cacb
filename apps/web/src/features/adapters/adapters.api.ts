import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AdapterBody, BrokerCatalog, FulfilmentAdapter } from '@portico/shared';
import { api } from '../../app/api-client.ts';

const one = (key: string) => `/api/fulfilment/adapters/${encodeURIComponent(key)}`;

/** Creates or changes an adapter (admins); a blank secret keeps the stored one. */
export function useSaveAdapter() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, body }: { key: string; body: AdapterBody }) =>
      api.put<FulfilmentAdapter>(one(key), body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['fulfilment'] });
    },
  });
}

/** Reads the broker's catalogue now, with the saved settings: it answers, or the problem says why not. */
export function useTestConnection() {
  return useMutation({
    mutationFn: (key: string) => api.get<BrokerCatalog>(`${one(key)}/catalog`),
  });
}
