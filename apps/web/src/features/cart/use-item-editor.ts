import { useEffect, useState } from 'react';
import type { CartItem, CartItemPatch } from '@portico/shared';
import { useUpdateCartItem } from './cart.api.ts';
import { useDebouncedValue } from '../../components/use-debounced-value.ts';
import { fieldErrorsOf } from '../../components/form-parts.tsx';

type Draft = Omit<CartItemPatch, 'usage'> & { usage?: Record<string, number> };

export const validQuantity = (q: number) => Number.isInteger(q) && q >= 1 && q <= 100;
const validUsage = (usage: Record<string, number> | undefined) =>
  Object.values(usage ?? {}).every((n) => Number.isFinite(n) && n >= 0);

/**
 * Live editing of a cart item: changes show at once, and go to the server (which prices them)
 * half a second after the last keystroke. What the server answers replaces the draft unless
 * the user has changed something again meanwhile.
 */
export function useItemEditor(item: CartItem, costCentre: string | null) {
  const update = useUpdateCartItem();
  const [draft, setDraft] = useState<Draft | null>(null);
  const debounced = useDebouncedValue(draft, 500);
  const { mutate } = update;

  useEffect(() => {
    if (!debounced) return;
    if (debounced.quantity !== undefined && !validQuantity(debounced.quantity)) return;
    if (!validUsage(debounced.usage)) return;
    mutate(
      { id: item.id, patch: debounced, costCentre },
      { onSuccess: () => setDraft((d) => (d === debounced ? null : d)) },
    );
  }, [debounced, mutate, item.id, costCentre]);

  return {
    quantity: draft?.quantity ?? item.quantity,
    usage: { ...item.usage, ...draft?.usage },
    options: draft?.options ?? item.options,
    change(patch: Draft) {
      setDraft((d) => ({
        ...d,
        ...patch,
        ...(patch.usage ? { usage: { ...d?.usage, ...patch.usage } } : {}),
      }));
    },
    /** Waiting for the pause in typing, or for the server. */
    saving:
      update.isPending ||
      (draft !== null &&
        (draft.quantity === undefined || validQuantity(draft.quantity)) &&
        validUsage(draft.usage)),
    /** The server's field messages, by path (`quantity`, `usage.GB-month`, `options.diskGb`). */
    serverErrors: fieldErrorsOf(update.error),
    error: update.error,
  };
}

export type ItemEditor = ReturnType<typeof useItemEditor>;
