import { Link } from 'react-router';
import { EmptyState } from '../components/states.tsx';
import { useDocumentTitle } from '../components/page-header.tsx';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <EmptyState
      icon="🧭"
      title="This page does not exist"
      action={
        <Link to="/" className="btn btn--primary">
          Back to the catalogue
        </Link>
      }
    >
      The link may be old, or the address mistyped.
    </EmptyState>
  );
}
