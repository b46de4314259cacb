import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Role } from '@portico/shared';
import { hasRole } from './session.api.ts';
import { useCurrentUser } from './current-user.ts';
import { EmptyState } from '../../components/states.tsx';
import { useDocumentTitle } from '../../components/page-header.tsx';

interface RequireRoleProps {
  /** Any one of these roles lets the page show. */
  roles: Role[];
  /** The page's title, for the browser tab and the message. */
  title: string;
  /** Who may use it, in words: "For catalogue managers". */
  who: string;
  /** What to do about it. */
  children?: ReactNode;
  page: ReactNode;
}

/** A page for some roles only says so to everyone else (the server refuses them anyway). */
export function RequireRole({ roles, title, who, children, page }: RequireRoleProps) {
  const me = useCurrentUser();
  return roles.some((r) => hasRole(me, r)) ? (
    <>{page}</>
  ) : (
    <NotForYou title={title} who={who} text={children} />
  );
}

function NotForYou({ title, who, text }: { title: string; who: string; text: ReactNode }) {
  useDocumentTitle(title);
  return (
    <EmptyState
      icon="🔒"
      title={who}
      action={
        <Link to="/" className="btn btn--primary">
          Back to the catalogue
        </Link>
      }
    >
      {text}
    </EmptyState>
  );
}
