import type { OptionShown } from '@portico/shared';

/** What was chosen in a service's order form, as a compact list ("Extra data disk: 100 GB"). */
export function OptionsSummary({ shown }: { shown: OptionShown[] }) {
  if (shown.length === 0) return null;
  return (
    <dl className="line-item__options small muted">
      {shown.map(({ key, label, value }) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
