/**
 * Price band and price sensitivity, derived when a profile is read (the stored state is only sums of
 * log prices, so merging two profiles is exact and the band follows the shop's current price
 * distribution).
 *
 * - Band: the user's typical price is the weighted geometric mean of the prices they engaged with
 *   (views, clicks, carts, likes — weights from the event-weight table; orders are counted apart as
 *   prices paid, and used only for a user seen only buying); its quantile q among the shop's prices gives band
 *   1 + ⌊5q⌋ (1 = cheapest fifth of the shop, 5 = dearest fifth). The shop's prices are its catalog's,
 *   or when the catalog has fewer than `MIN_CATALOG_PRICES` prices, a histogram of the prices its users
 *   engaged with.
 * - Sensitivity (0–1, null before a first order): half the share of orders with a coupon or discount,
 *   half how much cheaper they buy than they browse: clamp(0.5 − log₄(bought geo-mean / engaged geo-mean), 0, 1),
 *   so buying at half the browsed price counts 1, at the browsed price 0.5, at twice it 0.
 */

/** Quarter-octave buckets of log₂(1 + price): 96 of them cover prices up to ~16 million. */
export const PRICE_BUCKETS = 96;
export const MIN_CATALOG_PRICES = 20;

/**
 * The histogram bucket of a price.
 *
 * @example priceBucket(0) // 0; priceBucket(15) // 16
 */
export function priceBucket(price: number): number {
  return Math.min(PRICE_BUCKETS - 1, Math.max(0, Math.floor(4 * Math.log2(1 + price))));
}

/**
 * Mid-rank quantile of `price` among sorted prices: (#below + #equal / 2) / n.
 *
 * @example quantileInSorted(Float64Array.of(10, 20, 30, 40), 30) // 0.625
 */
export function quantileInSorted(sorted: Float64Array, price: number): number {
  if (sorted.length === 0) return NaN;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < price) lo = mid + 1;
    else hi = mid;
  }
  let equalEnd = lo;
  while (equalEnd < sorted.length && sorted[equalEnd] === price) equalEnd++;
  return (lo + (equalEnd - lo) / 2) / sorted.length;
}

/**
 * Quantile of `price` in a bucket histogram, interpolating linearly inside its bucket.
 *
 * @example quantileInHistogram(histogram, 99) // share of engaged prices below 99
 */
export function quantileInHistogram(histogram: ArrayLike<number>, price: number): number {
  let total = 0;
  for (let b = 0; b < histogram.length; b++) total += histogram[b]!;
  if (total === 0) return NaN;
  const bucket = priceBucket(price);
  let below = 0;
  for (let b = 0; b < bucket; b++) below += histogram[b]!;
  const lower = Math.pow(2, bucket / 4) - 1;
  const upper = Math.pow(2, (bucket + 1) / 4) - 1;
  const within = Math.min(1, Math.max(0, (price - lower) / (upper - lower)));
  return (below + within * histogram[bucket]!) / total;
}

/**
 * Band 1–5 of a quantile.
 *
 * @example bandOfQuantile(0.1) // 1; bandOfQuantile(0.99) // 5
 */
export function bandOfQuantile(q: number): number {
  return Math.min(5, 1 + Math.floor(q * 5));
}

/**
 * Price sensitivity 0–1 (see the module comment), or null without orders.
 *
 * @example priceSensitivity({ orders: 2, discountedOrders: 2, buyGeoMean: 50, engagedGeoMean: 100 }) // 1
 */
export function priceSensitivity(s: { orders: number; discountedOrders: number; buyGeoMean: number | null; engagedGeoMean: number | null }): number | null {
  if (s.orders === 0) return null;
  const discountShare = s.discountedOrders / s.orders;
  if (s.buyGeoMean === null || s.engagedGeoMean === null || s.engagedGeoMean <= 0) return discountShare;
  const cheaper = Math.min(1, Math.max(0, 0.5 - Math.log(s.buyGeoMean / s.engagedGeoMean) / Math.log(4)));
  return 0.5 * discountShare + 0.5 * cheaper;
}
