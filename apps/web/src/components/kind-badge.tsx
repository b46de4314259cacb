import type { ServiceKind } from '@portico/shared';

export const kindLabels: Record<ServiceKind, string> = {
  cloud: 'Cloud',
  legacy: 'Legacy',
  saas: 'SaaS',
  hardware: 'Hardware',
  people: 'People',
};

export const kindHints: Record<ServiceKind, string> = {
  cloud: 'Self-service on the private cloud, delivered fast',
  legacy: 'Traditional, hand-built infrastructure',
  saas: 'Software as a service from a vendor',
  hardware: 'A physical device delivered to you',
  people: 'Work done by a team of people',
};

export function KindBadge({ kind }: { kind: ServiceKind }) {
  return (
    <span className={`badge kind-badge kind-badge--${kind}`} title={kindHints[kind]} data-kind={kind}>
      {kindLabels[kind]}
    </span>
  );
}
