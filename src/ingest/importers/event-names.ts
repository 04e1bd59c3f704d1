import { STANDARD_EVENTS } from '../../core/events.js';

const ALIASES: Record<string, string> = {};
const alias = (event: string, names: string[]) => {
  for (const name of names) ALIASES[normalize(name)] = event;
};
alias('Product Viewed', ['view', 'views', 'viewed', 'pv', 'page_view', 'product_view', 'detail', 'detail_view', 'item_view']);
alias('Product Clicked', ['click', 'clicks', 'clicked']);
alias('Product Added', ['cart', 'add_to_cart', 'addtocart', 'add_to_basket', 'carted', 'add']);
alias('Product Removed', ['remove_from_cart', 'removefromcart']);
alias('Order Completed', ['buy', 'bought', 'purchase', 'purchased', 'order', 'transaction', 'sale']);
alias('Product Liked', ['fav', 'favorite', 'favourite', 'like', 'liked']);
alias('Product Shared', ['share', 'shared']);
alias('Review Submitted', ['rate', 'rated', 'rating', 'review']);
for (const name of Object.keys(STANDARD_EVENTS)) ALIASES[normalize(name)] = name;

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The standard event name of a value from an `event` column: common aliases (view, click, cart, buy,
 * purchase, transaction, fav, like, share, rating…) and standard names in any case map to the standard
 * name; anything else is kept as given (trimmed).
 *
 * @example standardEventName('addtocart') // 'Product Added'
 * @example standardEventName('Wishlist Opened') // 'Wishlist Opened'
 */
export function standardEventName(value: string): string {
  return ALIASES[normalize(value)] ?? value.trim();
}
