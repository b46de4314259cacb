import { humanizeKey } from './format.ts';

function show(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === null || v === undefined || v === '') return '—';
  return String(v);
}

/** What was chosen in a service's order form, as a compact list ("Disk size: 100"). */
export function OptionsSummary({
  options,
  labels = {},
}: {
  options: Record<string, unknown>;
  /** Field titles from the service's options schema, when known. */
  labels?: Record<string, string>;
}) {
  const entries = Object.entries(options);
  if (entries.length === 0) return null;
  return (
    <dl className="line-item__options small muted">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{labels[key] ?? humanizeKey(key)}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
