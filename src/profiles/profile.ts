import { CHANNELS, type Channel } from '../core/events.js';
import { DAY_MS, decayedAt } from './decay.js';
import { bandOfQuantile, MIN_CATALOG_PRICES, priceSensitivity, quantileInHistogram, quantileInSorted } from './price-band.js';
import { F32, F32_WIDTH, F64, F64_WIDTH, FLAG, fromSectionTime, INTEREST_KIND, SECTION, U16, U32 } from './profile-layout.js';
import type { ProfileTable } from './profile-table.js';
import type { WorkspaceState } from './workspace-state.js';

/** One interest: a category path (levels joined by " > "), a brand or a tag, and its decayed weight now. */
export interface Interest {
  name: string;
  weight: number;
}

/**
 * A user's real-time profile: the state the profile processor keeps per (workspace, user), decoded. In
 * memory it is packed into typed arrays (profile-layout.ts names every stored field); the update
 * functions are in profile-updates.ts (one feature each, no I/O), identity merges in merge-profiles.ts.
 * A profile whose user declined personalization (`consent: 'restricted'`) has only the fields above
 * `interests`.
 */
export interface UserProfile {
  workspaceId: string;
  /** The user id, or the anonymous id of a visitor not identified yet. */
  userId: string;
  /** True for a visitor known only by an anonymous id. */
  anonymous: boolean;
  /** full: behavioural profile; restricted: personalization declined, counts only (consent.ts). */
  consent: 'full' | 'restricted';
  /** Event time (epoch ms) of the first event counted. */
  firstSeen: number;
  /** Event time (epoch ms) of the last event counted. */
  lastSeen: number;
  /** Events counted, all names. */
  events: number;
  /** Events per name: the `event` of a track, else the type (page, screen, identify, alias). */
  eventCounts: Record<string, number>;
  /** Interests with exponential time decay, strongest first. */
  interests?: {
    /** The time (epoch ms) the weights are decayed to. */
    asOf: number;
    halfLifeDays: number;
    /** Every level of the category paths engaged with, as paths joined by " > " ("Music > Guitars"). */
    categories: Interest[];
    brands: Interest[];
    tags: Interest[];
  };
  /** Recency, frequency, monetary. */
  rfm?: {
    /** `Order Completed` events. */
    orders: number;
    /** Σ order revenue (`revenue`, else `total`, else Σ price × quantity). */
    revenue: number;
    /** revenue / orders; null without orders. */
    averageOrderValue: number | null;
    /** Event time of the first and the last order; null without orders. */
    firstOrderAt: number | null;
    lastOrderAt: number | null;
    /** Days from the last order to `interests.asOf`. */
    daysSinceLastOrder: number | null;
    /** Orders with a coupon or a discount. */
    discountedOrders: number;
  };
  /** Where the user sits in the shop's prices (price-band.ts). */
  price?: {
    /** 1 (cheapest fifth of the shop) … 5 (dearest fifth); null without prices. */
    band: number | null;
    /** Quantile (0–1) of the typical price in the shop's price distribution. */
    quantile: number | null;
    /** Weighted geometric mean of the prices engaged with (views, clicks, carts, likes: not orders); else of the prices paid. */
    typicalPrice: number | null;
    /** Geometric standard deviation of those prices (1 = always the same price). */
    spread: number | null;
    /** Geometric mean unit price bought. */
    typicalPaid: number | null;
    /** 0 (indifferent) … 1 (very price sensitive); null before a first order. */
    sensitivity: number | null;
    /** The shop's distribution: its catalog's prices, the prices engaged with (catalog without prices), or none. */
    scale: 'catalog' | 'engaged' | 'none';
  };
  /** Events per local hour of day, 24 counters (the event's `context.timezone`, else the shop's offset). */
  activeHours?: number[];
  /** Events per local weekday, 7 counters, Sunday first. */
  activeWeekdays?: number[];
  /** Events per channel (the event's `channel` / `context.channel`). */
  channels?: Partial<Record<Channel, number>>;
  /** Events per `context.platform` (web, ios, android, …). */
  platforms?: Record<string, number>;
  /** Events per `context.device` type and model ("mobile / iPhone 15"). */
  devices?: Record<string, number>;
  /** Events per `context.os.name`. */
  operatingSystems?: Record<string, number>;
  /** Items engaged with (events of positive weight), newest first, consecutive repeats merged, bounded. */
  recentItems?: { itemId: string; at: number }[];
  /** `Products Searched` queries (normalised), newest first, bounded. */
  recentSearches?: { query: string; at: number }[];
  /** The cart now: Product Added − Product Removed, minus what an Order Completed bought. */
  cart?: { itemId: string; quantity: number }[];
  /** `Review Submitted` events. */
  reviews?: {
    /** Reviews with a title or text, and the mean lexicon sentiment of that text (−1…1; sentiment.ts). */
    withText: number;
    sentiment: number | null;
    /** Reviews with a star rating, and the mean rating. */
    rated: number;
    meanRating: number | null;
  };
}

/**
 * Decodes the profile in `slot`. Interests are decayed to `asOf`, the later of `now` and the user's
 * last event (the processor passes the shop's clock as `now`: see ProfileProcessor.getProfile).
 *
 * @example readProfile(table, slot, ws, { halfLifeMs: 14 * DAY_MS }, Date.now())
 */
export function readProfile(table: ProfileTable, slot: number, ws: WorkspaceState, settings: { halfLifeMs: number }, now: number): UserProfile {
  const f64 = slot * F64_WIDTH;
  const f32 = slot * F32_WIDTH;
  const flags = table.flags(slot);
  const lastSeen = table.f64[f64 + F64.lastSeen]!;
  const asOf = Math.max(now, lastSeen);
  const eventCounts: Record<string, number> = {};
  const counts = table.pairs(slot, SECTION.counts);
  counts.keys.forEach((k, i) => (eventCounts[ws.names.name(k)] = counts.bits[i]!));
  const profile: UserProfile = {
    workspaceId: ws.id, userId: table.ids[slot]!, anonymous: (flags & FLAG.anonymous) !== 0,
    consent: flags & FLAG.restricted ? 'restricted' : 'full',
    firstSeen: table.f64[f64 + F64.firstSeen]!, lastSeen, events: table.u32[table.u(slot, U32.events)]!, eventCounts,
  };
  if (flags & FLAG.restricted) return profile;

  profile.interests = { asOf, halfLifeDays: settings.halfLifeMs / DAY_MS, ...readInterests(table, slot, ws, settings.halfLifeMs, asOf) };
  const orders = table.u32[table.u(slot, U32.orders)]!;
  const revenue = table.f64[f64 + F64.revenue]!;
  const lastOrderAt = orders ? table.f64[f64 + F64.lastOrderAt]! : null;
  const discountedOrders = table.u32[table.u(slot, U32.discountedOrders)]!;
  profile.rfm = {
    orders, revenue, averageOrderValue: orders ? revenue / orders : null, firstOrderAt: orders ? table.f64[f64 + F64.firstOrderAt]! : null, lastOrderAt,
    daysSinceLastOrder: lastOrderAt === null ? null : (asOf - lastOrderAt) / DAY_MS, discountedOrders,
  };

  const w = table.f32[f32 + F32.priceWeight]!;
  const meanLog = w > 0 ? table.f32[f32 + F32.priceLogSum]! / w : NaN;
  const units = table.f32[f32 + F32.buyUnits]!;
  const typicalPaid = units > 0 ? Math.exp(table.f32[f32 + F32.buyLogSum]! / units) : null;
  // A user seen only buying (an imported order history) is placed by what they paid.
  const typicalPrice = w > 0 ? Math.exp(meanLog) : typicalPaid;
  const variance = w > 0 ? Math.max(0, table.f32[f32 + F32.priceLogSquares]! / w - meanLog * meanLog) : NaN;
  const scale = shopScale(ws);
  const quantile = typicalPrice === null || scale === 'none' ? null
    : scale === 'catalog' ? quantileInSorted(ws.shopPrices!.sorted, typicalPrice) : quantileInHistogram(ws.priceHistogram, typicalPrice);
  profile.price = {
    band: quantile === null ? null : bandOfQuantile(quantile), quantile, typicalPrice, spread: w > 0 ? Math.exp(Math.sqrt(variance)) : null, typicalPaid,
    sensitivity: priceSensitivity({ orders, discountedOrders, buyGeoMean: typicalPaid, engagedGeoMean: w > 0 ? typicalPrice : null }), scale,
  };

  const u = (field: number) => table.u32[table.u(slot, field)]!;
  const c = (field: number) => table.u16[table.c(slot, field)]!;
  profile.activeHours = Array.from({ length: 24 }, (_, h) => c(U16.hours + h));
  profile.activeWeekdays = Array.from({ length: 7 }, (_, d) => c(U16.weekdays + d));
  profile.channels = {};
  CHANNELS.forEach((name, i) => {
    if (c(U16.channels + i) > 0) profile.channels![name] = c(U16.channels + i);
  });
  Object.assign(profile, readDevices(table, slot, ws));

  const recent = table.pairs(slot, SECTION.recent);
  profile.recentItems = Array.from(recent.keys, (k, i) => ({ itemId: ws.items.name(k), at: fromSectionTime(recent.bits[i]!) })).reverse();
  const searches = table.pairs(slot, SECTION.searches);
  profile.recentSearches = Array.from(searches.keys, (k, i) => ({ query: ws.queries.name(k), at: fromSectionTime(searches.bits[i]!) })).reverse();
  const cart = table.pairs(slot, SECTION.cart);
  const quantities = new Float32Array(cart.bits.buffer);
  profile.cart = Array.from(cart.keys, (k, i) => ({ itemId: ws.items.name(k), quantity: quantities[i]! })).sort((a, b) => (a.itemId < b.itemId ? -1 : 1));

  const withText = u(U32.reviews);
  const rated = u(U32.ratings);
  profile.reviews = {
    withText, sentiment: withText ? table.f32[f32 + F32.sentimentSum]! / withText : null,
    rated, meanRating: rated ? table.f32[f32 + F32.ratingSum]! / rated : null,
  };
  return profile;
}

function readInterests(table: ProfileTable, slot: number, ws: WorkspaceState, halfLifeMs: number, asOf: number): { categories: Interest[]; brands: Interest[]; tags: Interest[] } {
  const ref = table.f64[slot * F64_WIDTH + F64.decayRef]!;
  const lists: Interest[][] = [[], [], []];
  const off = table.offset(slot, SECTION.interests);
  const { keys, values } = table.arena;
  for (let i = off; i < off + table.length(slot, SECTION.interests); i++) {
    lists[keys[i]! & 3]!.push({ name: ws.termName(keys[i]!), weight: decayedAt(values[i]!, ref, asOf, halfLifeMs) });
  }
  const sorted = (list: Interest[]) => list.sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1));
  return { categories: sorted(lists[INTEREST_KIND.category]!), brands: sorted(lists[INTEREST_KIND.brand]!), tags: sorted(lists[INTEREST_KIND.tag]!) };
}

function readDevices(table: ProfileTable, slot: number, ws: WorkspaceState): Pick<UserProfile, 'platforms' | 'devices' | 'operatingSystems'> {
  const out = { platforms: {} as Record<string, number>, devices: {} as Record<string, number>, operatingSystems: {} as Record<string, number> };
  const { keys, bits } = table.pairs(slot, SECTION.devices);
  keys.forEach((k, i) => {
    const name = ws.devices.name(k);
    const colon = name.indexOf(':');
    const kind = name.slice(0, colon);
    const target = kind === 'platform' ? out.platforms : kind === 'device' ? out.devices : out.operatingSystems;
    target[name.slice(colon + 1)] = bits[i]!;
  });
  return out;
}

/** Which price distribution the shop has: its catalog's when it has enough prices, else the engaged prices'. */
function shopScale(ws: WorkspaceState): 'catalog' | 'engaged' | 'none' {
  if (ws.shopPrices && ws.shopPrices.sorted.length >= MIN_CATALOG_PRICES) return 'catalog';
  return ws.priceHistogram.some((c) => c > 0) ? 'engaged' : 'none';
}
