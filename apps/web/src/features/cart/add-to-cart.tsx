import { Link } from 'react-router';
import type { CartItemBody } from '@portico/shared';
import { useAddToCart } from './cart.api.ts';
import { FormProblem } from '../../components/form-parts.tsx';
import { plural } from '../../components/format.ts';

export type AddToCartMutation = ReturnType<typeof useAddToCart>;

interface AddToCartProps {
  /** From useAddToCart(), owned by the form so it can show field errors next to its fields. */
  add: AddToCartMutation;
  /** Field paths the form shows next to its fields; the rest are listed here. */
  shownPaths?: string[];
  /** What to add, or null when the form in front of it is not valid yet (it then shows why). */
  getItem: () => CartItemBody | null;
  /** The item's name in messages ("Virtual Machine · Small"). */
  what: string;
  className?: string;
  label?: string;
}

/** "Add to cart", then a visible confirmation with a way to the cart. */
export function AddToCart({
  add,
  shownPaths,
  getItem,
  what,
  className = 'btn btn--secondary',
  label = 'Add to cart',
}: AddToCartProps) {
  const added = add.isSuccess ? { ...add.variables.body, count: add.data.items.length } : null;

  return (
    <div className="add-to-cart">
      <button
        type="button"
        className={className}
        disabled={add.isPending}
        onClick={() => {
          const item = getItem();
          if (item) add.mutate({ body: item });
        }}
      >
        <span aria-hidden="true">🛒 </span>
        {add.isPending ? 'Adding…' : label}
      </button>
      <div aria-live="polite">
        {added && (
          <div className="alert alert--success add-to-cart__done" data-testid="added-to-cart">
            <p>
              <span aria-hidden="true">✓ </span>
              Added {added.quantity && added.quantity > 1 ? `${plural(added.quantity, 'unit')} of ` : ''}
              {what} to your cart ({plural(added.count, 'item')}).
            </p>
            <Link to="/cart" className="btn btn--primary btn--sm">
              Go to cart
            </Link>
          </div>
        )}
      </div>
      {add.isError && <FormProblem error={add.error} shownPaths={shownPaths} />}
    </div>
  );
}
