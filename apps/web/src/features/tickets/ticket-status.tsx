import type { Ticket } from '@portico/shared';
import { StatusBadge } from '../../components/status-badge.tsx';

export function TicketStatusBadge({ status }: { status: Ticket['status'] }) {
  return status === 'open' ? (
    <StatusBadge tone="warning">Open</StatusBadge>
  ) : (
    <StatusBadge tone="success">Resolved</StatusBadge>
  );
}
