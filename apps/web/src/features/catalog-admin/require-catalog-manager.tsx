import type { ReactNode } from 'react';
import { RequireRole } from '../session/require-role.tsx';

/** The catalogue pages for people without the role say so (the server refuses them anyway). */
export function RequireCatalogManager({ children }: { children: ReactNode }) {
  return (
    <RequireRole
      roles={['catalog_manager']}
      title="Catalogue admin"
      who="For catalogue managers"
      page={children}
    >
      Service pages are written by the service owners. Ask the Portico team if you should be one.
    </RequireRole>
  );
}
