import type { ServiceKind } from '@portico/shared';
import { kindHints, kindLabels } from '../../components/kind-badge.tsx';

const kinds: readonly ServiceKind[] = ['cloud', 'legacy', 'saas', 'hardware', 'people'];

interface KindFilterProps {
  value: ServiceKind | undefined;
  onChange: (kind: ServiceKind | undefined) => void;
}

/** Toggle chips: press one to narrow to that kind, press it again for all kinds. */
export function KindFilter({ value, onChange }: KindFilterProps) {
  return (
    <div className="chips" role="group" aria-label="Filter by kind">
      <button
        type="button"
        className={`chip${value === undefined ? ' chip--active' : ''}`}
        aria-pressed={value === undefined}
        onClick={() => onChange(undefined)}
      >
        All kinds
      </button>
      {kinds.map((k) => (
        <button
          key={k}
          type="button"
          className={`chip chip--${k}${value === k ? ' chip--active' : ''}`}
          aria-pressed={value === k}
          title={kindHints[k]}
          onClick={() => onChange(value === k ? undefined : k)}
        >
          <span className={`chip__dot kind-dot--${k}`} aria-hidden="true" />
          {kindLabels[k]}
        </button>
      ))}
    </div>
  );
}

export function parseKind(v: string | null): ServiceKind | undefined {
  return kinds.find((k) => k === v);
}
