import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginBody, Me, Role } from '@portico/shared';
import { api, isApiError, setCsrfToken } from '../../app/api-client.ts';
import { meQueryKey } from '../../app/query-client.ts';

async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (isApiError(e) && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

/** The signed-in person, `null` when signed out, `undefined` while loading. */
export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000 });
}

export function hasRole(me: Me | null | undefined, role: Role): boolean {
  return !!me?.roles.includes(role);
}

// Set by an explicit sign-out, so the login page is not given a `?next=` back to the page the
// previous person was on; cleared by the next sign-in.
let signedOutOnPurpose = false;

export function wasSignedOutOnPurpose(): boolean {
  return signedOutOnPurpose;
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationKey: ['login'],
    mutationFn: (body: LoginBody) => api.post<Me>('/api/auth/login', body),
    onSuccess: (me) => {
      signedOutOnPurpose = false;
      // A new person: nothing cached for the previous one may leak into this session.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      setCsrfToken(me.csrfToken);
      qc.setQueryData(meQueryKey, me);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationKey: ['logout'],
    mutationFn: () => api.post<void>('/api/auth/logout'),
    onSettled: () => {
      signedOutOnPurpose = true;
      setCsrfToken(null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      qc.setQueryData(meQueryKey, null);
    },
  });
}
