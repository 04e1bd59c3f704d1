import type { CatalogModel } from './catalog.js';
import type { UserProfile } from './users.js';

/**
 * How much a user likes an item, the same formula everywhere (behaviour and ground truth):
 * taste for the item's leaf + affinity for its brand + fit of its price to the user's price band +
 * its quality as far as the user cares about quality. Everything but taste is an "appeal" term that
 * also decides which item of a category the user looks at and buys.
 *
 * `tasteScore` is the category part: about 0 for a leaf of average interest, positive for favourites.
 *
 * @example tasteScore(user, catalog.leaf[17]!)
 */
export function tasteScore(user: UserProfile, leaf: number): number {
  return Math.log(user.leafTaste[leaf]! * user.leafTaste.length + 0.05);
}

/**
 * Brand, price and quality part of the utility (no category taste).
 *
 * @example appealScore(user, catalog, 17) // > 0: a favourite brand at the right price
 */
export function appealScore(user: UserProfile, catalog: CatalogModel, item: number): number {
  const x = (catalog.logPriceRatio[item]! - Math.log(user.priceFactor)) / user.priceWidth;
  return user.brandAffinity[catalog.brand[item]!]! - 0.5 * x * x + user.qualityWeight * catalog.quality[item]!;
}

/**
 * The true utility of `item` for `user` (higher is better); the liked items of the ground truth are
 * the top ones by this.
 *
 * @example const u = trueUtility(users[0]!, catalog, 17);
 */
export function trueUtility(user: UserProfile, catalog: CatalogModel, item: number): number {
  return tasteScore(user, catalog.leaf[item]!) + appealScore(user, catalog, item);
}
