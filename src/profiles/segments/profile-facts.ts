import { CHANNELS } from '../../core/events.js';
import { DAY_MS } from '../decay.js';
import { bandOfQuantile, MIN_CATALOG_PRICES, priceSensitivity, quantileInHistogram, quantileInSorted } from '../price-band.js';
import type { UserProfile } from '../profile.js';
import { F32, F32_WIDTH, F64, F64_WIDTH, FLAG, INTEREST_KIND, SECTION, U16, U32 } from '../profile-layout.js';
import type { ProfileTable } from '../profile-table.js';
import { CATEGORY_SEPARATOR, type WorkspaceState } from '../workspace-state.js';

/**
 * What a rule reads of a profile, behind one interface with two implementations: over a decoded
 * `UserProfile` (tests, previews over any profiles) and over the packed row of the processor's table
 * (the engine: no decoding, so re-evaluating a million profiles takes a second, not half a minute).
 * profile-facts.test.ts checks that both read the same values for every field.
 */
export interface ProfileFacts {
  readonly id: string;
  readonly anonymous: boolean;
  /** Personalization declined: rules never match (consent.ts; README). */
  readonly restricted: boolean;
  /** The value of a catalogued field (`FIELD_CODE`, `key` for `*` paths); null when the profile has none. */
  field(code: number, key: string | undefined, now: number): number | null;
  /** Share 0–1 of the user's interest of a kind matching `name` (see interestShare). */
  interestShare(kind: InterestKindOrAny, name: string): number;
  /** Share 0–1 of the user's events from `channel`. */
  channelShare(channel: string): number;
}

export type InterestKindOrAny = 'category' | 'brand' | 'tag' | 'any';

/** Field codes: a number per catalogued path (rule-catalog.ts), resolved once when a rule is compiled. */
export const FIELD_CODE = {
  events: 0, firstSeen: 1, lastSeen: 2, 'eventCounts.*': 3,
  'rfm.orders': 4, 'rfm.revenue': 5, 'rfm.averageOrderValue': 6, 'rfm.firstOrderAt': 7, 'rfm.lastOrderAt': 8, 'rfm.discountedOrders': 9, 'rfm.daysSinceLastOrder': 10,
  'price.band': 11, 'price.quantile': 12, 'price.typicalPrice': 13, 'price.spread': 14, 'price.typicalPaid': 15, 'price.sensitivity': 16,
  'reviews.withText': 17, 'reviews.sentiment': 18, 'reviews.rated': 19, 'reviews.meanRating': 20, 'cart.length': 21,
  'activeHours.*': 22, 'activeWeekdays.*': 23, 'channels.*': 24, 'platforms.*': 25, 'devices.*': 26, 'operatingSystems.*': 27,
} as const;
export type FieldPath = keyof typeof FIELD_CODE;

/**
 * Splits an interest argument: `brand:Yamaha` → brand "Yamaha"; a name without a known prefix matches any kind.
 *
 * @example parseInterestName('category:Music > Guitars') // { kind: 'category', name: 'Music > Guitars' }
 */
export function parseInterestName(text: string): { kind: InterestKindOrAny; name: string } {
  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon).trim().toLowerCase() : '';
  if (prefix === 'category' || prefix === 'brand' || prefix === 'tag') return { kind: prefix, name: text.slice(colon + 1).trim() };
  return { kind: 'any', name: text.trim() };
}

/**
 * True when category path `path` is `name` or ends with the level `name`, and no ancestor level already is `name`.
 *
 * @example categoryMatches('Music > Guitars', 'Guitars') // true
 */
export function categoryMatches(path: string, name: string): boolean {
  if (path === name) return true;
  const levels = path.split(CATEGORY_SEPARATOR);
  return levels[levels.length - 1] === name && !levels.slice(0, -1).includes(name) && !name.includes(CATEGORY_SEPARATOR);
}

/**
 * Facts over a decoded profile.
 *
 * @example objectFacts(await processor.getProfile('shop', 'u1')!).field(FIELD_CODE['rfm.orders'], undefined, Date.now())
 */
export function objectFacts(p: UserProfile): ProfileFacts {
  return {
    id: p.userId, anonymous: p.anonymous, restricted: p.consent === 'restricted',
    field(code, key, now) {
      const asOf = Math.max(now, p.lastSeen);
      const rfm = p.rfm;
      const price = p.price;
      const reviews = p.reviews;
      switch (code) {
        case 0: return p.events;
        case 1: return p.firstSeen;
        case 2: return p.lastSeen;
        case 3: return p.eventCounts[key!] ?? 0;
        case 4: return rfm?.orders ?? null;
        case 5: return rfm?.revenue ?? null;
        case 6: return rfm?.averageOrderValue ?? null;
        case 7: return rfm?.firstOrderAt ?? null;
        case 8: return rfm?.lastOrderAt ?? null;
        case 9: return rfm?.discountedOrders ?? null;
        case 10: return rfm?.lastOrderAt == null ? null : (asOf - rfm.lastOrderAt) / DAY_MS;
        case 11: return price?.band ?? null;
        case 12: return price?.quantile ?? null;
        case 13: return price?.typicalPrice ?? null;
        case 14: return price?.spread ?? null;
        case 15: return price?.typicalPaid ?? null;
        case 16: return price?.sensitivity ?? null;
        case 17: return reviews?.withText ?? null;
        case 18: return reviews?.sentiment ?? null;
        case 19: return reviews?.rated ?? null;
        case 20: return reviews?.meanRating ?? null;
        case 21: return p.cart?.length ?? null;
        case 22: return p.activeHours?.[Number(key)] ?? null;
        case 23: return p.activeWeekdays?.[Number(key)] ?? null;
        case 24: return p.channels ? (p.channels as Record<string, number>)[key!] ?? 0 : null;
        case 25: return p.platforms ? p.platforms[key!] ?? 0 : null;
        case 26: return p.devices ? p.devices[key!] ?? 0 : null;
        case 27: return p.operatingSystems ? p.operatingSystems[key!] ?? 0 : null;
        default: return null;
      }
    },
    interestShare(kind, name) {
      const i = p.interests;
      if (!i) return 0;
      const share = (list: { name: string; weight: number }[], matches: (n: string) => boolean, inTotal: (n: string) => boolean) => {
        let total = 0;
        let hit = 0;
        for (const e of list) {
          const w = Math.max(0, e.weight);
          if (inTotal(e.name)) total += w;
          if (matches(e.name)) hit += w;
        }
        return total > 0 ? Math.min(1, hit / total) : 0;
      };
      const category = () => share(i.categories, (n) => categoryMatches(n, name), (n) => !n.includes(CATEGORY_SEPARATOR));
      const brand = () => share(i.brands, (n) => n === name, () => true);
      const tag = () => share(i.tags, (n) => n === name, () => true);
      return kind === 'category' ? category() : kind === 'brand' ? brand() : kind === 'tag' ? tag() : Math.max(category(), brand(), tag());
    },
    channelShare(channel) {
      const counts = Object.values(p.channels ?? {}) as number[];
      const total = counts.reduce((a, b) => a + b, 0);
      return total > 0 ? ((p.channels as Record<string, number>)[channel] ?? 0) / total : 0;
    },
  };
}

/**
 * Facts read straight from the processor's packed row (the same arithmetic as readProfile in profile.ts).
 * One object is reused: `at(slot)` points it at another profile.
 *
 * @example const facts = new TableFacts(table, ws); facts.at(slot).field(FIELD_CODE.events, undefined, now)
 */
export class TableFacts implements ProfileFacts {
  private slot = 0;
  /** The price fields of the current slot, read once per `at` (quantile, band, sensitivity share the work). */
  private readonly prices = new Float64Array(6);
  private priceRead = false;
  /** 1 per category id that is a root level (no " > "), grown as the vocabulary grows. */
  private roots = new Uint8Array(0);
  private interestKeys = new Map<string, { size: number; keys: Set<number> }>();

  constructor(private table: ProfileTable, private readonly ws: WorkspaceState) {}

  /** Points the facts at `slot` of `table` (the processor may have swapped its table after a restore). */
  at(slot: number, table: ProfileTable = this.table): this {
    this.slot = slot;
    this.table = table;
    this.priceRead = false;
    return this;
  }

  get id(): string {
    return this.table.ids[this.slot]!;
  }

  get anonymous(): boolean {
    return (this.table.flags(this.slot) & FLAG.anonymous) !== 0;
  }

  get restricted(): boolean {
    return (this.table.flags(this.slot) & FLAG.restricted) !== 0;
  }

  field(code: number, key: string | undefined, now: number): number | null {
    // No inner closures here: this runs millions of times and tsx wraps every closure it creates.
    const t = this.table;
    const s = this.slot;
    const f64 = s * F64_WIDTH;
    const u32 = t.u32;
    const row = t.u(s, 0);
    if (code <= 3) {
      if (code === 0) return u32[row + U32.events]!;
      if (code === 1) return t.f64[f64 + F64.firstSeen]!;
      if (code === 2) return t.f64[f64 + F64.lastSeen]!;
      const id = this.ws.names.find(key!);
      const at = id === undefined ? -1 : t.find(s, SECTION.counts, id);
      return at < 0 ? 0 : t.arena.bits[at]!;
    }
    if (this.restricted) return null;
    const orders = u32[row + U32.orders]!;
    if (code <= 10) {
      const revenue = t.f64[f64 + F64.revenue]!;
      switch (code) {
        case 4: return orders;
        case 5: return revenue;
        case 6: return orders ? revenue / orders : null;
        case 7: return orders ? t.f64[f64 + F64.firstOrderAt]! : null;
        case 8: return orders ? t.f64[f64 + F64.lastOrderAt]! : null;
        case 9: return u32[row + U32.discountedOrders]!;
        default: return orders ? (Math.max(now, t.f64[f64 + F64.lastSeen]!) - t.f64[f64 + F64.lastOrderAt]!) / DAY_MS : null;
      }
    }
    if (code <= 16) return this.price(code, orders);
    switch (code) {
      case 17: return u32[row + U32.reviews]!;
      case 18: return u32[row + U32.reviews] ? t.f32[s * F32_WIDTH + F32.sentimentSum]! / u32[row + U32.reviews]! : null;
      case 19: return u32[row + U32.ratings]!;
      case 20: return u32[row + U32.ratings] ? t.f32[s * F32_WIDTH + F32.ratingSum]! / u32[row + U32.ratings]! : null;
      case 21: return t.length(s, SECTION.cart);
      case 22: return t.u16[t.c(s, U16.hours + Number(key))]!;
      case 23: return t.u16[t.c(s, U16.weekdays + Number(key))]!;
      case 24: {
        const i = (CHANNELS as readonly string[]).indexOf(key!);
        return i < 0 ? 0 : t.u16[t.c(s, U16.channels + i)]!;
      }
      default: {
        const prefix = code === 25 ? 'platform:' : code === 26 ? 'device:' : 'os:';
        const id = this.ws.devices.find(prefix + key!);
        const at = id === undefined ? -1 : t.find(s, SECTION.devices, id);
        return at < 0 ? 0 : t.arena.bits[at]!;
      }
    }
  }

  /** Events of the counted-name id `nameId` (ws.names), without a string lookup: for batch reads. */
  countOf(nameId: number | undefined): number {
    if (nameId === undefined) return 0;
    const at = this.table.find(this.slot, SECTION.counts, nameId);
    return at < 0 ? 0 : this.table.arena.bits[at]!;
  }

  /** Into `out`: events counted in all local hours, those from 18:00 on, and those on Saturday or Sunday. */
  activity(out: Float64Array): void {
    const u16 = this.table.u16;
    const base = this.table.c(this.slot, 0);
    let hours = 0;
    let evening = 0;
    for (let h = 0; h < 24; h++) {
      const c = u16[base + U16.hours + h]!;
      hours += c;
      if (h >= 18) evening += c;
    }
    out[0] = hours;
    out[1] = evening;
    out[2] = u16[base + U16.weekdays]! + u16[base + U16.weekdays + 6]!;
  }

  /** Events per channel, in CHANNELS order, into `out`; returns their sum. */
  channelCounts(out: Float64Array): number {
    const u16 = this.table.u16;
    const base = this.table.c(this.slot, U16.channels);
    let total = 0;
    for (let i = 0; i < CHANNELS.length; i++) total += out[i] = u16[base + i]!;
    return total;
  }

  interestShare(kind: InterestKindOrAny, name: string): number {
    if (this.restricted) return 0;
    if (kind === 'any') return Math.max(this.interestShare('category', name), this.interestShare('brand', name), this.interestShare('tag', name));
    const kindBits = INTEREST_KIND[kind];
    const matching = this.matchingKeys(kind, name);
    const t = this.table;
    const off = t.offset(this.slot, SECTION.interests);
    const end = off + t.length(this.slot, SECTION.interests);
    const { keys, values } = t.arena;
    let total = 0;
    let hit = 0;
    for (let i = off; i < end; i++) {
      const k = keys[i]!;
      if ((k & 3) !== kindBits) continue;
      const w = Math.max(0, values[i]!);
      // Every category event adds to each level of its path: the root levels sum to the whole.
      if (kind !== 'category' || this.isRootCategory(k >>> 2)) total += w;
      if (matching.has(k)) hit += w;
    }
    return total > 0 ? Math.min(1, hit / total) : 0;
  }

  channelShare(channel: string): number {
    if (this.restricted) return 0;
    const t = this.table;
    let total = 0;
    for (let i = 0; i < CHANNELS.length; i++) total += t.u16[t.c(this.slot, U16.channels + i)]!;
    const i = (CHANNELS as readonly string[]).indexOf(channel);
    return total > 0 && i >= 0 ? t.u16[t.c(this.slot, U16.channels + i)]! / total : 0;
  }

  private price(code: number, orders: number): number | null {
    if (!this.priceRead) this.readPrices(orders);
    const v = this.prices[code - FIELD_CODE['price.band']]!;
    return Number.isNaN(v) ? null : v;
  }

  /** price.band … price.sensitivity (codes 11–16) into `prices`, NaN for null. */
  private readPrices(orders: number): void {
    const t = this.table;
    const f32 = this.slot * F32_WIDTH;
    const w = t.f32[f32 + F32.priceWeight]!;
    const units = t.f32[f32 + F32.buyUnits]!;
    const typicalPaid = units > 0 ? Math.exp(t.f32[f32 + F32.buyLogSum]! / units) : null;
    const meanLog = w > 0 ? t.f32[f32 + F32.priceLogSum]! / w : NaN;
    const typicalPrice = w > 0 ? Math.exp(meanLog) : typicalPaid;
    const ws = this.ws;
    const catalog = ws.shopPrices !== undefined && ws.shopPrices.sorted.length >= MIN_CATALOG_PRICES;
    const quantile = typicalPrice === null ? null : catalog ? quantileInSorted(ws.shopPrices!.sorted, typicalPrice)
      : hasCounts(ws.priceHistogram) ? quantileInHistogram(ws.priceHistogram, typicalPrice) : null;
    const p = this.prices;
    p[0] = quantile === null ? NaN : bandOfQuantile(quantile);
    p[1] = quantile ?? NaN;
    p[2] = typicalPrice ?? NaN;
    p[3] = w > 0 ? Math.exp(Math.sqrt(Math.max(0, t.f32[f32 + F32.priceLogSquares]! / w - meanLog * meanLog))) : NaN;
    p[4] = typicalPaid ?? NaN;
    p[5] = priceSensitivity({ orders, discountedOrders: t.u32[t.u(this.slot, U32.discountedOrders)]!, buyGeoMean: typicalPaid, engagedGeoMean: w > 0 ? typicalPrice : null }) ?? NaN;
    this.priceRead = true;
  }

  private isRootCategory(id: number): boolean {
    if (id >= this.roots.length) {
      const list = this.ws.categories.list();
      const roots = new Uint8Array(list.length);
      roots.set(this.roots);
      for (let c = this.roots.length; c < list.length; c++) roots[c] = list[c]!.includes(CATEGORY_SEPARATOR) ? 0 : 1;
      this.roots = roots;
    }
    return this.roots[id] === 1;
  }

  /** Interest keys of the workspace matching `name` of `kind` (cached until the vocabulary grows). */
  private matchingKeys(kind: 'category' | 'brand' | 'tag', name: string): Set<number> {
    const interner = kind === 'category' ? this.ws.categories : kind === 'brand' ? this.ws.brands : this.ws.tags;
    const cacheKey = `${kind}\u0000${name}`;
    const cached = this.interestKeys.get(cacheKey);
    if (cached && cached.size === interner.size) return cached.keys;
    const keys = new Set<number>();
    const bits = INTEREST_KIND[kind];
    if (kind === 'category') interner.list().forEach((path, id) => categoryMatches(path, name) && keys.add(id * 4 + bits));
    else {
      const id = interner.find(name);
      if (id !== undefined) keys.add(id * 4 + bits);
    }
    if (this.interestKeys.size > 1000) this.interestKeys.clear();
    this.interestKeys.set(cacheKey, { size: interner.size, keys });
    return keys;
  }
}

function hasCounts(histogram: Float64Array): boolean {
  for (let i = 0; i < histogram.length; i++) if (histogram[i]! > 0) return true;
  return false;
}
