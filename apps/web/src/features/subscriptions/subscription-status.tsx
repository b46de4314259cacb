import { Link } from 'react-router';
import type { Lease, PendingChange, Subscription } from '@portico/shared';
import { StatusBadge } from '../../components/status-badge.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { humanizeKey } from '../../components/format.ts';
import { leaseBadge, pendingText } from './subscription-helpers.ts';

export function SubscriptionStatusBadge({ status }: { status: Subscription['status'] }) {
  return (
    <span data-testid="subscription-status" data-status={status}>
      {status === 'active' ? (
        <StatusBadge tone="success">Active</StatusBadge>
      ) : status === 'ending' ? (
        <StatusBadge tone="progress">Ending</StatusBadge>
      ) : (
        <StatusBadge tone="neutral">Ended</StatusBadge>
      )}
    </span>
  );
}

export function LeaseBadge({ lease, now }: { lease: Lease; now: number }) {
  const { tone, text } = leaseBadge(lease, now);
  return (
    <StatusBadge tone={tone}>
      <span data-testid="lease-badge" data-state={lease.state}>
        ⏳ {text}
      </span>
    </StatusBadge>
  );
}

export function UpgradeBadge() {
  return (
    <StatusBadge tone="info">
      <span data-testid="upgrade-badge">⬆ Upgrade available</span>
    </StatusBadge>
  );
}

/** "Change to Large waiting for approval · ORD-1042" with a link to the order. */
export function PendingChangeNote({ pending }: { pending: PendingChange }) {
  return (
    <p className="sub-pending" data-testid="pending-change">
      <span className="spinner spinner--sm" aria-hidden="true" />
      <span>
        {pendingText(pending)} ·{' '}
        <Link to={`/orders/${pending.orderId}`} className="sub-pending__link">
          {pending.orderNumber}
        </Link>
      </span>
    </p>
  );
}

/** What the delivery produced (host names, URLs), each with a copy button when `copy`. */
export function OutputsList({ outputs, copy = false }: { outputs: Record<string, string>; copy?: boolean }) {
  const entries = Object.entries(outputs);
  if (entries.length === 0) return null;
  return (
    <dl className={`outputs${copy ? ' outputs--copy' : ''}`}>
      {entries.map(([k, v]) => (
        // A group named after the value, so each "Copy" button says what it copies.
        <div key={k} role={copy ? 'group' : undefined} aria-label={copy ? humanizeKey(k) : undefined}>
          <dt>{humanizeKey(k)}</dt>
          <dd className="mono">{v}</dd>
          {copy && <CopyButton text={v} />}
        </div>
      ))}
    </dl>
  );
}
