import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { hasRole } from '../session/session.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { EmptyState } from '../../components/states.tsx';
import { useDocumentTitle } from '../../components/page-header.tsx';

/** The catalogue pages for people without the role say so (the server refuses them anyway). */
export function RequireCatalogManager({ children }: { children: ReactNode }) {
  const me = useCurrentUser();
  return hasRole(me, 'catalog_manager') ? <>{children}</> : <NotACatalogManager />;
}

function NotACatalogManager() {
  useDocumentTitle('Catalogue admin');
  return (
    <EmptyState
      icon="🔒"
      title="For catalogue managers"
      action={
        <Link to="/" className="btn btn--primary">
          Back to the catalogue
        </Link>
      }
    >
      Service pages are written by the service owners. Ask the Portico team if you should be one.
    </EmptyState>
  );
}
