import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api-client.ts';

export const meQueryKey = ['me'] as const;

function onUnauthorized(client: QueryClient, error: unknown, key?: readonly unknown[]) {
  // The session ended (expired, signed out elsewhere): drop to the login page.
  if (isApiError(error) && error.status === 401 && key?.[0] !== 'me') {
    client.setQueryData(meQueryKey, null);
  }
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => onUnauthorized(client, error, query.queryKey),
    }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => onUnauthorized(client, error, mutation.options.mutationKey),
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        // 4xx answers will not change by asking again; network and 5xx might.
        retry: (count, error) =>
          count < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
  return client;
}
