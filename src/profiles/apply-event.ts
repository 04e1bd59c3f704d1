import { CHANNELS, type StoredEvent } from '../core/events.js';
import type { LocalClock } from './local-time.js';
import { priceBucket } from './price-band.js';
import { OTHER_EVENTS, SECTION, SECTION_LIMITS, toSectionTime } from './profile-layout.js';
import type { ProfileTable } from './profile-table.js';
import {
  addInterests, changeCart, countActivity, normalizeQuery, type ProfileSettings, pushRecent, recordBought, recordEngagedPrice, recordOrder,
  recordReview, removeFromCart, touch,
} from './profile-updates.js';
import { sentimentScore } from './sentiment.js';
import type { CachedItem, WorkspaceState } from './workspace-state.js';

/** What applying an event needs besides the profile: settings, weights and the local clock. */
export interface ApplySettings extends ProfileSettings {
  /** Interest weight per event name (DEFAULT_EVENT_WEIGHTS unless configured). */
  weights: Readonly<Record<string, number>>;
  clock: LocalClock;
}

const CHANNEL_INDEX = new Map<string, number>(CHANNELS.map((c, i) => [c, i]));
const NO_ITEM: CachedItem = { terms: [], price: NaN, found: false, fetchedAt: 0 };

/**
 * The name an event is counted under: a track's event name, else its type (page and screen names are
 * pages, not actions, and would make the counts unbounded).
 *
 * @example countedName({ type: 'page', event: 'Home' }) // 'page'
 */
export function countedName(e: Pick<StoredEvent, 'type' | 'event'>): string {
  return e.type === 'track' ? e.event : e.type;
}

/**
 * Calls `visit` for each product an event names: `productId`, and each of `products[]` (orders), with
 * the price and quantity the event gives (NaN / 1 when it gives none).
 *
 * @example forEachProduct({ productId: 'sku-1', price: 9.9 }, (id, price, quantity) => …)
 */
export function forEachProduct(properties: Record<string, unknown>, visit: (id: string, price: number, quantity: number) => void): void {
  const id = properties.productId;
  if (typeof id === 'string' && id !== '') visit(id, numberOr(properties.price, NaN), numberOr(properties.quantity, 1));
  const products = properties.products;
  if (!Array.isArray(products)) return;
  for (const p of products) {
    if (p === null || typeof p !== 'object') continue;
    const line = p as Record<string, unknown>;
    if (typeof line.productId === 'string' && line.productId !== '') visit(line.productId, numberOr(line.price, NaN), numberOr(line.quantity, 1));
  }
}

/**
 * Applies one event to the profile in `slot` (already created and keyed; identity merges done by the
 * caller). A restricted profile only gets its counts. Item attributes come from the workspace's item
 * cache (filled before the batch), falling back to the event's own `category` / `brand` / `tags` /
 * `price` properties for items the catalog does not have.
 *
 * @example applyEvent(table, settings, ws, slot, event, false);
 */
export function applyEvent(table: ProfileTable, settings: ApplySettings, ws: WorkspaceState, slot: number, e: StoredEvent, restricted: boolean): void {
  const t = e.timestamp;
  const name = countedName(e);
  touch(table, slot, t, ws.names.id(name), () => ws.names.id(OTHER_EVENTS));
  if (restricted) return;

  const context = e.context;
  const { hour, weekday } = settings.clock.hourAndWeekday(t, context.timezone);
  const channel = e.channel ?? context.channel;
  countActivity(table, slot, hour, weekday, typeof channel === 'string' ? CHANNEL_INDEX.get(channel) ?? -1 : -1);
  countDevices(table, ws, slot, context);

  const props = e.properties;
  const seconds = toSectionTime(t);
  const weight = settings.weights[name] ?? 0;
  forEachProduct(props, (id, eventPrice, quantity) => {
    const item = ws.itemCache.get(id) ?? NO_ITEM;
    const itemId = ws.items.id(id);
    const terms = item.found ? item.terms : termsFromProperties(ws, props);
    const price = Number.isFinite(eventPrice) ? eventPrice : item.price;
    addInterests(table, slot, terms, weight, t, settings);
    if (weight > 0) {
      pushRecent(table, slot, SECTION.recent, itemId, seconds, settings.recentItems);
      // Orders count as bought units (recordBought), not as browsing: sensitivity compares the two.
      if (price > 0 && name !== 'Order Completed') {
        recordEngagedPrice(table, slot, price, weight);
        ws.priceHistogram[priceBucket(price)]!++;
      }
    }
    if (name === 'Product Added') changeCart(table, slot, itemId, quantity > 0 ? quantity : 1);
    else if (name === 'Product Removed') changeCart(table, slot, itemId, -(quantity > 0 ? quantity : 1));
    else if (name === 'Order Completed') {
      removeFromCart(table, slot, itemId);
      recordBought(table, slot, price, quantity);
    }
  });

  if (name === 'Products Searched' && typeof props.query === 'string') {
    const query = normalizeQuery(props.query);
    if (query !== '') pushRecent(table, slot, SECTION.searches, ws.queries.id(query), seconds, settings.recentSearches);
  } else if (name === 'Order Completed') recordOrder(table, slot, t, orderRevenue(props), isDiscounted(props));
  else if (name === 'Review Submitted') {
    const rating = numberOr(props.sourceRating ?? props.rating, NaN);
    const text = [props.title, props.text].filter((s): s is string => typeof s === 'string' && s !== '').join('\n');
    recordReview(table, slot, Number.isFinite(rating) ? rating : undefined, text === '' ? undefined : sentimentScore(text));
  }
}

function countDevices(table: ProfileTable, ws: WorkspaceState, slot: number, context: Record<string, unknown>): void {
  if (typeof context.platform === 'string' && context.platform !== '') table.bump(slot, SECTION.devices, ws.devices.id('platform:' + context.platform), 1, SECTION_LIMITS.devices);
  const device = context.device as Record<string, unknown> | undefined;
  if (device && typeof device === 'object') {
    const kind = typeof device.type === 'string' ? device.type : undefined;
    const model = typeof device.model === 'string' ? device.model : undefined;
    if (kind || model) table.bump(slot, SECTION.devices, ws.devices.id('device:' + [kind, model].filter(Boolean).join(' / ')), 1, SECTION_LIMITS.devices);
  }
  const os = context.os as Record<string, unknown> | undefined;
  if (os && typeof os === 'object' && typeof os.name === 'string' && os.name !== '') table.bump(slot, SECTION.devices, ws.devices.id('os:' + os.name), 1, SECTION_LIMITS.devices);
}

/** Interest keys from an event's own properties, for items not in the catalog. */
function termsFromProperties(ws: WorkspaceState, props: Record<string, unknown>): number[] {
  const category = props.category;
  const categoryPath = Array.isArray(category) ? category.filter((c): c is string => typeof c === 'string')
    : typeof category === 'string' ? category.split(category.includes('>') ? '>' : '/').map((s) => s.trim()).filter(Boolean) : [];
  const tags = Array.isArray(props.tags) ? props.tags.filter((t): t is string => typeof t === 'string') : [];
  return ws.termsOf({ categoryPath, brand: typeof props.brand === 'string' ? props.brand : null, tags });
}

/** An order's revenue: `revenue`, else `total`, else Σ price × quantity of its products. */
export function orderRevenue(props: Record<string, unknown>): number {
  const given = numberOr(props.revenue, numberOr(props.total, NaN));
  if (Number.isFinite(given)) return given;
  let sum = 0;
  forEachProduct(props, (_, price, quantity) => {
    if (Number.isFinite(price)) sum += price * quantity;
  });
  return sum;
}

function isDiscounted(props: Record<string, unknown>): boolean {
  return (typeof props.coupon === 'string' && props.coupon !== '') || numberOr(props.discount, 0) > 0;
}

function numberOr(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return fallback;
}
