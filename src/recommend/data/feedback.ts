import { AppError } from '../../core/errors.js';

/**
 * How much each event type says about a user's preference for the item it names (implicit feedback).
 * Positive weights add up per (user, item); negative ones ("not interested", removing from the cart)
 * subtract, and a pair whose weights sum to ≤ 0 is never recommended to that user. Ratings from
 * `Review Submitted` are explicit feedback and are kept as ratings.
 */
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<string, number>> = {
  'Product Viewed': 1,
  'Product Clicked': 1,
  'Recommendation Clicked': 1,
  'Product Liked': 2,
  'Product Shared': 2,
  'Product Added': 3,
  'Order Completed': 5,
  'Review Submitted': 4,
  'Product Removed': -1,
  'Product Disliked': -5,
  'Product Not Interested': -5,
  'Not Interested': -5,
};

/**
 * Parses `--weights 'Order Completed=8,Product Viewed=0.5'` over the defaults; unknown event names are
 * allowed (shops send their own), values must be finite numbers.
 *
 * @example parseEventWeights('Product Viewed=0.5').weights['Product Viewed'] // 0.5
 */
export function parseEventWeights(text: string | undefined, base: Readonly<Record<string, number>> = DEFAULT_EVENT_WEIGHTS): Record<string, number> {
  const weights: Record<string, number> = { ...base };
  if (!text) return weights;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const value = Number(part.slice(eq + 1));
    if (eq <= 0 || !Number.isFinite(value)) throw AppError.invalid(`event weights are "Event Name=number" pairs separated by commas; got "${part}"`, { field: 'weights' });
    weights[part.slice(0, eq).trim()] = value;
  }
  return weights;
}

/** One preference signal read from an event: the items it names and the weight or rating. */
export interface Signal {
  items: string[];
  /** A rating 1–5 (explicit) when the event is a review with a rating, else undefined. */
  rating?: number;
  weight: number;
  text?: string;
}

/**
 * The preference signal of an event (`event` name and `properties` as stored), or undefined when the
 * event names no product or has weight 0. `Order Completed` names every product of the order.
 *
 * @example signalOf('Product Added', { productId: 'sku-1' }, DEFAULT_EVENT_WEIGHTS) // { items: ['sku-1'], weight: 3 }
 */
export function signalOf(event: string, properties: Record<string, unknown> | undefined, weights: Readonly<Record<string, number>>): Signal | undefined {
  const weight = weights[event] ?? 0;
  if (weight === 0 || !properties) return undefined;
  const items: string[] = [];
  if (typeof properties.productId === 'string' && properties.productId !== '') items.push(properties.productId);
  if (Array.isArray(properties.products)) {
    for (const p of properties.products) {
      const id = (p as { productId?: unknown } | null)?.productId;
      if (typeof id === 'string' && id !== '') items.push(id);
    }
  }
  if (items.length === 0) return undefined;
  const signal: Signal = { items, weight };
  const rating = properties.sourceRating ?? properties.rating;
  if (event === 'Review Submitted' && typeof rating === 'number' && Number.isFinite(rating)) signal.rating = rating;
  const text = [properties.title, properties.text].filter((t): t is string => typeof t === 'string' && t !== '').join('\n');
  if (text !== '') signal.text = text;
  return signal;
}
