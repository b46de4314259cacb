import type { Subscription } from '@portico/shared';
import { StatusBadge } from '../../components/status-badge.tsx';
import { humanizeKey } from '../../components/format.ts';

export function SubscriptionStatusBadge({ status }: { status: Subscription['status'] }) {
  return status === 'active' ? (
    <StatusBadge tone="success">Active</StatusBadge>
  ) : (
    <StatusBadge tone="neutral">Ended</StatusBadge>
  );
}

export function OutputsList({ outputs }: { outputs: Record<string, string> }) {
  const entries = Object.entries(outputs);
  if (entries.length === 0) return null;
  return (
    <dl className="outputs">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{humanizeKey(k)}</dt>
          <dd className="mono">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
