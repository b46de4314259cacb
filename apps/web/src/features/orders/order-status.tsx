import type { LineStatus, OrderStatus } from '@portico/shared';
import { StatusBadge, type Tone } from '../../components/status-badge.tsx';

const labels: Record<OrderStatus, string> = {
  pending_approval: 'Waiting for approval',
  approved: 'Approved',
  in_fulfilment: 'Being delivered',
  delivered: 'Delivered',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  partially_delivered: 'Partly delivered',
};

const tones: Record<OrderStatus, Tone> = {
  pending_approval: 'warning',
  approved: 'info',
  in_fulfilment: 'progress',
  delivered: 'success',
  rejected: 'danger',
  cancelled: 'neutral',
  partially_delivered: 'info',
};

export function orderStatusLabel(status: OrderStatus | LineStatus): string {
  return labels[status];
}

export function OrderStatusBadge({ status }: { status: OrderStatus | LineStatus }) {
  return (
    <StatusBadge tone={tones[status]}>
      <span data-status={status}>{labels[status]}</span>
    </StatusBadge>
  );
}
