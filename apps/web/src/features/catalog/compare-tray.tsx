import { Link } from 'react-router';
import { compareHref, compareStore, MAX_COMPARE, useComparePicks } from './compare-store.ts';
import { ServiceIcon } from '../../components/service-icon.tsx';

/** The services picked with "Compare", docked at the bottom of the screen while there are any. */
export function CompareTray() {
  const picks = useComparePicks();
  if (picks.length === 0) return null;
  const ready = picks.length >= 2;
  return (
    <aside className="compare-tray" aria-label="Compare tray" data-testid="compare-tray">
      <div className="compare-tray__inner">
        <ul className="compare-tray__picks">
          {picks.map((p) => (
            <li key={p.slug} className="compare-tray__pick">
              <ServiceIcon icon={p.icon} name={p.name} kind={p.kind} size="sm" />
              <span className="compare-tray__name">{p.name}</span>
              <button
                type="button"
                className="compare-tray__remove"
                onClick={() => compareStore.remove(p.slug)}
                aria-label={`Remove ${p.name} from the comparison`}
              >
                ✕
              </button>
            </li>
          ))}
          {Array.from({ length: MAX_COMPARE - picks.length }, (_, i) => (
            <li key={`empty-${i}`} className="compare-tray__slot" aria-hidden="true" />
          ))}
        </ul>
        <div className="compare-tray__actions">
          <span className="compare-tray__hint muted small">
            {ready ? `Up to ${MAX_COMPARE} side by side` : 'Pick one more to compare'}
          </span>
          <button type="button" className="btn btn--ghost btn--sm" onClick={() => compareStore.clear()}>
            Clear
          </button>
          {ready ? (
            <Link to={compareHref(picks.map((p) => p.slug))} className="btn btn--primary">
              Compare ({picks.length})
            </Link>
          ) : (
            <button type="button" className="btn btn--primary" disabled>
              Compare ({picks.length})
            </button>
          )}
        </div>
      </div>
    </aside>
  );
}
