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

// How to reach it comes first; the provider's bookkeeping (instance ids, sizes) after it.
const outputOrder = [
  'uri',
  'url',
  'hostname',
  'fqdn',
  'host',
  'ip',
  'port',
  'protocol',
  'username',
  'database',
];
const outputLabels: Record<string, string> = {
  uri: 'URI',
  url: 'URL',
  fqdn: 'FQDN',
  ip: 'IP address',
  vcpu: 'vCPU',
  memoryGb: 'Memory (GB)',
  storageGb: 'Storage (GB)',
  osbInstanceId: 'Instance ID',
};

export function outputLabel(key: string): string {
  return outputLabels[key] ?? humanizeKey(key);
}

export function sortedOutputs(outputs: Record<string, string>): [string, string][] {
  const rank = (k: string) => {
    const i = outputOrder.indexOf(k);
    return i === -1 ? outputOrder.length : i;
  };
  return Object.entries(outputs).sort(([a], [b]) => rank(a) - rank(b));
}

function OutputRow({ k, v, copy }: { k: string; v: string; copy: boolean }) {
  // A group named after the value, so each "Copy" button says what it copies.
  return (
    <div role={copy ? 'group' : undefined} aria-label={copy ? outputLabel(k) : undefined}>
      <dt>{outputLabel(k)}</dt>
      <dd className="mono">{v}</dd>
      {copy && <CopyButton text={v} />}
    </div>
  );
}

/**
 * What the delivery produced (host names, URLs), each with a copy button when `copy`; past
 * `visible` rows, the rest fold away under "More details".
 */
export function OutputsList({
  outputs,
  copy = false,
  visible = Infinity,
}: {
  outputs: Record<string, string>;
  copy?: boolean;
  visible?: number;
}) {
  const entries = sortedOutputs(outputs);
  if (entries.length === 0) return null;
  const shown = entries.slice(0, visible);
  const rest = entries.slice(visible);
  return (
    <>
      <dl className={`outputs${copy ? ' outputs--copy' : ''}`}>
        {shown.map(([k, v]) => (
          <OutputRow key={k} k={k} v={v} copy={copy} />
        ))}
      </dl>
      {rest.length > 0 && (
        <details className="sub-more">
          <summary>More details ({rest.length})</summary>
          <dl className={`outputs${copy ? ' outputs--copy' : ''}`}>
            {rest.map(([k, v]) => (
              <OutputRow key={k} k={k} v={v} copy={copy} />
            ))}
          </dl>
        </details>
      )}
    </>
  );
}
