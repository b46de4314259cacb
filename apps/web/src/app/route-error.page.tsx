import { isRouteErrorResponse, useRouteError } from 'react-router';
import { BrandMark } from '../components/brand-mark.tsx';
import { useDocumentTitle } from '../components/page-header.tsx';

/** Last resort for a render error anywhere in a route: say so calmly and offer a way back. */
export function RouteErrorPage() {
  useDocumentTitle('Something went wrong');
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <div className="fullpage-center">
      <div className="card route-error" role="alert">
        <BrandMark size={40} />
        <h1 className="state__title">Something went wrong on this page</h1>
        <p className="muted">
          Reloading usually helps. If it keeps happening, tell the Portico team what you were doing.
        </p>
        <details className="small muted">
          <summary>Technical detail</summary>
          <code>{message}</code>
        </details>
        <div className="btn-row">
          <button type="button" className="btn btn--primary" onClick={() => window.location.reload()}>
            Reload
          </button>
          <a href="/" className="btn btn--secondary">
            Go to the catalogue
          </a>
        </div>
      </div>
    </div>
  );
}
