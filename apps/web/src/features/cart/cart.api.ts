import { useMutation, useQuery, useQueryClient, keepPreviousData } from '@tanstack/react-query';
import type { Cart, CartItemBody, CartItemPatch, CheckoutBody, Order } from '@portico/shared';
import { api, withQuery } from '../../app/api-client.ts';

/** The cart as previewed for a cost centre; `null` is the requester's default one. */
export const cartKey = (costCentre?: string | null) => ['cart', costCentre ?? null] as const;

const cartPath = (path: string, costCentre?: string | null) => withQuery(path, { costCentre });

export function useCart(costCentre?: string | null) {
  return useQuery({
    queryKey: cartKey(costCentre),
    queryFn: ({ signal }) => api.get<Cart>(cartPath('/api/cart', costCentre), signal),
    // Switching the cost centre keeps the cart on screen while the new preview loads.
    placeholderData: keepPreviousData,
  });
}

/** How many items the cart holds, for the header. */
export function useCartCount(): number | undefined {
  const { data } = useQuery({
    queryKey: cartKey(null),
    queryFn: ({ signal }) => api.get<Cart>('/api/cart', signal),
    staleTime: 30_000,
    select: (cart) => cart.items.length,
  });
  return data;
}

/**
 * Every write answers with the whole cart, previewed for the cost centre on screen: keep it
 * under that key, and refresh the previews for any other cost centre.
 */
function useCartWrite<V extends { costCentre?: string | null }>(
  write: (vars: V, path: (p: string) => string) => Promise<Cart>,
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (vars: V) => write(vars, (p) => cartPath(p, vars.costCentre)),
    onSuccess: (cart, vars) => {
      const key = vars.costCentre ?? null;
      qc.setQueryData(cartKey(key), cart);
      void qc.invalidateQueries({ queryKey: ['cart'], predicate: (q) => q.queryKey[1] !== key });
    },
  });
}

export function useAddToCart() {
  return useCartWrite<{ body: CartItemBody; costCentre?: string | null }>(({ body }, path) =>
    api.post<Cart>(path('/api/cart/items'), body),
  );
}

export function useUpdateCartItem() {
  return useCartWrite<{ id: string; patch: CartItemPatch; costCentre?: string | null }>(
    ({ id, patch }, path) => api.patch<Cart>(path(`/api/cart/items/${encodeURIComponent(id)}`), patch),
  );
}

export function useRemoveCartItem() {
  return useCartWrite<{ id: string; costCentre?: string | null }>(({ id }, path) =>
    api.delete<Cart>(path(`/api/cart/items/${encodeURIComponent(id)}`)),
  );
}

export function useCheckout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CheckoutBody; idempotencyKey: string }) =>
      api.post<Order>('/api/cart/checkout', body, { 'idempotency-key': idempotencyKey }),
    onSuccess: (order) => {
      qc.setQueryData(['order', order.id], order);
      void qc.invalidateQueries({ queryKey: ['orders'] });
      void qc.invalidateQueries({ queryKey: ['cart'] });
    },
  });
}
