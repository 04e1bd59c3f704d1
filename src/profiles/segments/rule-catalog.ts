import { CHANNELS } from '../../core/events.js';

/**
 * What a rule may name: profile fields (dotted paths into UserProfile, profile.ts) and functions, each
 * with what can change it. The parser checks names and arguments against this catalogue; the
 * dependency analysis (rule-dependencies.ts) reads `changedBy` to decide which events re-evaluate a rule.
 */

/** What can change a value: events (all, of some names, or any naming a product) and time alone. */
export interface ChangedBy {
  anyEvent?: boolean;
  names?: readonly string[];
  products?: boolean;
  /** The value moves with the clock (a deadline is kept for it). */
  time?: boolean;
  /** The value depends on the workspace's RFM quintile cut-offs (rfm-tiers.ts), refreshed now and then. */
  rfmScores?: boolean;
}

export interface FieldEntry {
  /** The path, `*` standing for one key of a record (an event name, a channel, an hour…). */
  path: string;
  doc: string;
  changedBy: ChangedBy;
  /** Allowed keys for `*` (others are refused); absent: any key. */
  keys?: readonly string[];
}

const ORDER = 'Order Completed';
const CART_EVENTS = ['Product Added', 'Product Removed', ORDER];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h));
const WEEKDAYS = Array.from({ length: 7 }, (_, d) => String(d));

export const FIELDS: readonly FieldEntry[] = [
  { path: 'events', doc: 'events counted (all types)', changedBy: { anyEvent: true } },
  { path: 'firstSeen', doc: 'event time (epoch ms) of the first event', changedBy: { anyEvent: true } },
  { path: 'lastSeen', doc: 'event time (epoch ms) of the last event', changedBy: { anyEvent: true } },
  { path: 'eventCounts.*', doc: 'events of one name, e.g. eventCounts."Product Viewed"', changedBy: {} },
  { path: 'rfm.orders', doc: 'orders (Order Completed events)', changedBy: { names: [ORDER] } },
  { path: 'rfm.revenue', doc: 'Σ order revenue', changedBy: { names: [ORDER] } },
  { path: 'rfm.averageOrderValue', doc: 'revenue / orders', changedBy: { names: [ORDER] } },
  { path: 'rfm.firstOrderAt', doc: 'epoch ms of the first order', changedBy: { names: [ORDER] } },
  { path: 'rfm.lastOrderAt', doc: 'epoch ms of the last order', changedBy: { names: [ORDER] } },
  { path: 'rfm.discountedOrders', doc: 'orders with a coupon or discount', changedBy: { names: [ORDER] } },
  { path: 'rfm.daysSinceLastOrder', doc: 'days since the last order (grows with time)', changedBy: { names: [ORDER], time: true } },
  { path: 'rfm.r', doc: 'recency score 1–5 (quintile of the last order time among buyers)', changedBy: { names: [ORDER], rfmScores: true } },
  { path: 'rfm.f', doc: 'frequency score 1–5 (quintile of orders among buyers)', changedBy: { names: [ORDER], rfmScores: true } },
  { path: 'rfm.m', doc: 'monetary score 1–5 (quintile of revenue among buyers)', changedBy: { names: [ORDER], rfmScores: true } },
  { path: 'price.band', doc: 'price band 1 (cheapest fifth of the shop) … 5 (dearest fifth)', changedBy: { products: true } },
  { path: 'price.quantile', doc: 'quantile 0–1 of the typical price in the shop', changedBy: { products: true } },
  { path: 'price.typicalPrice', doc: 'geometric mean price engaged with', changedBy: { products: true } },
  { path: 'price.spread', doc: 'geometric standard deviation of those prices', changedBy: { products: true } },
  { path: 'price.typicalPaid', doc: 'geometric mean unit price bought', changedBy: { products: true } },
  { path: 'price.sensitivity', doc: 'price sensitivity 0 (indifferent) … 1', changedBy: { products: true } },
  { path: 'reviews.withText', doc: 'reviews with text', changedBy: { names: ['Review Submitted'] } },
  { path: 'reviews.sentiment', doc: 'mean sentiment −1…1 of review texts', changedBy: { names: ['Review Submitted'] } },
  { path: 'reviews.rated', doc: 'reviews with stars', changedBy: { names: ['Review Submitted'] } },
  { path: 'reviews.meanRating', doc: 'mean star rating', changedBy: { names: ['Review Submitted'] } },
  { path: 'cart.length', doc: 'lines in the cart now', changedBy: { names: CART_EVENTS } },
  { path: 'activeHours.*', doc: 'events in local hour 0–23', changedBy: { anyEvent: true }, keys: HOURS },
  { path: 'activeWeekdays.*', doc: 'events on local weekday 0 (Sunday)–6', changedBy: { anyEvent: true }, keys: WEEKDAYS },
  { path: 'channels.*', doc: `events from a channel (${CHANNELS.join(', ')})`, changedBy: { anyEvent: true }, keys: CHANNELS },
  { path: 'platforms.*', doc: 'events from a platform (context.platform)', changedBy: { anyEvent: true } },
  { path: 'devices.*', doc: 'events from a device (type / model)', changedBy: { anyEvent: true } },
  { path: 'operatingSystems.*', doc: 'events from an operating system', changedBy: { anyEvent: true } },
];

export type FunctionKind = 'count' | 'condition' | 'share';

export interface FunctionEntry {
  name: string;
  signature: string;
  doc: string;
  /** count: a number of events (bare: ≥ 1); share: 0–1 (bare: > 0); condition: true / false (no comparison). */
  kind: FunctionKind;
  /** The event name a behaviour-window function counts. */
  counts?: string;
}

/** Named filters of the behaviour-window functions: the event's product must match each one given. */
export const ITEM_FILTERS = ['item', 'category', 'brand', 'tag'] as const;
export type ItemFilterName = (typeof ITEM_FILTERS)[number];

export const FUNCTIONS: readonly FunctionEntry[] = [
  { name: 'bought', kind: 'count', counts: ORDER, signature: 'bought([item|category|brand|tag = "…"], [days = N])', doc: 'orders with a matching product within the last N days (ever without days)' },
  { name: 'viewed', kind: 'count', counts: 'Product Viewed', signature: 'viewed([item|category|brand|tag = "…"], [days = N])', doc: 'product views matching, within N days' },
  { name: 'carted', kind: 'count', counts: 'Product Added', signature: 'carted([item|category|brand|tag = "…"], [days = N])', doc: 'add-to-cart events matching, within N days' },
  { name: 'count', kind: 'count', signature: 'count("Event Name", [item|category|brand|tag = "…"], [days = N])', doc: 'events of a name (matching), within N days' },
  { name: 'inactive', kind: 'condition', signature: 'inactive(days = N)', doc: 'no event for at least N days (flips at the deadline, without an event)' },
  { name: 'interest', kind: 'share', signature: 'interest("brand:Yamaha" | "category:Music > Guitars" | "tag:wood" | "name")', doc: 'share 0–1 of the user’s interest of that kind (see README)' },
  { name: 'channel', kind: 'share', signature: `channel("${CHANNELS.join('" | "')}")`, doc: 'share 0–1 of the user’s events from that channel' },
  { name: 'segment', kind: 'condition', signature: 'segment("id or name")', doc: 'member of another segment (or static list) now' },
  { name: 'tier', kind: 'condition', signature: 'tier("champions" | "loyal" | "promising" | "needs attention" | "at risk" | "hibernating")', doc: 'in that RFM tier (rfm-tiers.ts)' },
];

/** Longest window a rule may ask for. */
export const MAX_WINDOW_DAYS = 3650;
/** Largest count a windowed comparison may test (a window keeps at most threshold + 1 event times per user). */
export const MAX_WINDOW_THRESHOLD = 999;

/**
 * The catalogue entry of a path, matching `*` entries by their prefix.
 *
 * @example findField(['channels', 'app'])?.path // 'channels.*'
 */
export function findField(path: readonly string[]): FieldEntry | undefined {
  const joined = path.join('.');
  const exact = FIELDS.find((f) => f.path === joined);
  if (exact) return exact;
  if (path.length !== 2) return undefined;
  const entry = FIELDS.find((f) => f.path === `${path[0]}.*`);
  if (!entry || (entry.keys && !entry.keys.includes(path[1]!))) return undefined;
  return entry;
}

/**
 * Up to three catalogue names closest to `word` (edit distance), for "did you mean" hints.
 *
 * @example closest('boughtt', ['bought', 'viewed']) // ['bought']
 */
export function closest(word: string, names: readonly string[]): string[] {
  const scored = names.map((name) => ({ name, d: editDistance(word.toLowerCase(), name.toLowerCase()) }));
  const limit = Math.max(2, Math.floor(word.length / 3));
  return scored.filter((s) => s.d <= limit).sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1)).slice(0, 3).map((s) => s.name);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
