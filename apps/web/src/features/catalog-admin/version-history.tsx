import type { ManagedServiceDetail } from '@portico/shared';
import { formatDateTime } from '../../components/format.ts';

/** The published versions, newest first; the one requesters see now is marked. */
export function VersionHistory({ state }: { state: ManagedServiceDetail }) {
  const versions = [...state.versions].sort((a, b) => b.version - a.version);
  const newestPublished = versions[0]?.version;
  const unpublished =
    state.status !== 'published' && (newestPublished === undefined || state.version > newestPublished);
  return (
    <ol className="versions" data-testid="version-history">
      {unpublished && (
        <li className="versions__item versions__item--draft">
          <span className="versions__number">v{state.version}</span>
          <span>
            <strong>Draft</strong> <span className="muted small">— not published yet</span>
          </span>
        </li>
      )}
      {versions.map((v) => {
        const current = state.status === 'published' && v.version === state.version;
        return (
          <li key={v.version} className={`versions__item${current ? ' versions__item--current' : ''}`}>
            <span className="versions__number">v{v.version}</span>
            <span>
              Published {formatDateTime(v.publishedAt)}
              {v.publishedBy && <> by {v.publishedBy}</>}
              {current && (
                <>
                  {' '}
                  <span className="badge badge--soft versions__live">live</span>
                </>
              )}
            </span>
          </li>
        );
      })}
      {versions.length === 0 && !unpublished && <li className="muted small">Not published yet.</li>}
    </ol>
  );
}
