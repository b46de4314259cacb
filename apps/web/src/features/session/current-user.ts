import { createContext, useContext } from 'react';
import type { Me } from '@portico/shared';

/**
 * The signed-in person, provided by the signed-in layout. A context (rather than reading
 * the `me` query in each page) so a page never renders with a session that just ended: the
 * layout swaps to the login redirect before its children see `null`.
 */
export const CurrentUserContext = createContext<Me | null>(null);

export function useCurrentUser(): Me {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error('useCurrentUser used outside the signed-in layout');
  return me;
}
