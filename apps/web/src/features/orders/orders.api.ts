import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Order, OrderSummary, PlaceOrderBody } from '@portico/shared';
import { api } from '../../app/api-client.ts';

/** Statuses after which nothing more will happen to an order. */
export function isOrderSettled(order: Pick<Order, 'status'> & Partial<Pick<Order, 'lines'>>) {
  if (order.status === 'delivered' || order.status === 'rejected' || order.status === 'cancelled')
    return true;
  if (order.status === 'partially_delivered' && order.lines)
    return order.lines.every(
      (l) => l.status === 'delivered' || l.status === 'rejected' || l.status === 'cancelled',
    );
  return false;
}

export function useOrders() {
  return useQuery({
    queryKey: ['orders'],
    queryFn: ({ signal }) => api.get<{ items: OrderSummary[] }>('/api/orders', signal),
    select: (page) => page.items,
    // Open orders move on their own (approvals, fulfilment): keep the list fresh.
    refetchInterval: (query) => (query.state.data?.items.some((o) => !isOrderSettled(o)) ? 15_000 : false),
  });
}

export function useOrder(id: string) {
  return useQuery({
    queryKey: ['order', id],
    queryFn: ({ signal }) => api.get<Order>(`/api/orders/${encodeURIComponent(id)}`, signal),
    // A status seen a while ago is not news: always refetch when the page opens.
    staleTime: 0,
    // Track it like a parcel: poll every 5 s until it is delivered or rejected.
    refetchInterval: (query) => {
      const order = query.state.data;
      if (query.state.error) return false;
      return order && isOrderSettled(order) ? false : 5_000;
    },
    refetchIntervalInBackground: false,
  });
}

export function usePlaceOrder() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: PlaceOrderBody; idempotencyKey: string }) =>
      api.post<Order>('/api/orders', body, { 'idempotency-key': idempotencyKey }),
    onSuccess: (order) => {
      qc.setQueryData(['order', order.id], order);
      void qc.invalidateQueries({ queryKey: ['orders'] });
    },
  });
}

export function useCancelLine(orderId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ lineId, reason }: { lineId: string; reason?: string }) =>
      api.post<Order>(
        `/api/orders/${encodeURIComponent(orderId)}/lines/${encodeURIComponent(lineId)}/cancel`,
        reason ? { reason } : {},
      ),
    onSuccess: (order) => {
      qc.setQueryData(['order', order.id], order);
      void qc.invalidateQueries({ queryKey: ['orders'] });
      void qc.invalidateQueries({ queryKey: ['approvals'] });
    },
  });
}
