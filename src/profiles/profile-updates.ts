import { needsRescale, scaleAt } from './decay.js';
import { F32, F32_WIDTH, F64, F64_WIDTH, FLAG, type InterestKind, SECTION, SECTION_LIMITS, U16, U16_MAX, U16_WIDTH, U32 } from './profile-layout.js';
import type { ProfileTable } from './profile-table.js';

/**
 * The update functions of a profile: each changes one feature of the row `slot` of a ProfileTable in
 * place. They do no I/O and read no clock (every time comes from the event), so the same events in the
 * same order give bit-identical profiles — which is what makes replay after a crash exact.
 */

/** Bounds and decay of the behavioural features. */
export interface ProfileSettings {
  /** Interest half-life in ms. */
  halfLifeMs: number;
  /** Most interests kept per kind; the weakest gives way to a stronger newcomer. */
  interestLimits: Readonly<Record<InterestKind, number>>;
  /** Length of the recent item sequence. */
  recentItems: number;
  /** Recent searches kept. */
  recentSearches: number;
}

const KIND_LIMIT_ORDER: InterestKind[] = ['category', 'brand', 'tag'];
/** Interests that decayed below this (relative to the newest event) are dropped when the reference moves. */
const NEGLIGIBLE = 1e-4;

/**
 * Counts an event: total, per name, first/last seen. The part of a profile every tracked user has.
 * `otherId` is the name id counts go to once a profile has SECTION_LIMITS.eventNames names.
 *
 * @example touch(table, slot, event.timestamp, ws.names.id('Product Viewed'), () => ws.names.id(OTHER_EVENTS));
 */
export function touch(table: ProfileTable, slot: number, t: number, nameId: number, otherId: () => number): void {
  const u = table.u32;
  const f = slot * F64_WIDTH;
  const events = table.u(slot, U32.events);
  if (u[events] === 0 || t < table.f64[f + F64.firstSeen]!) table.f64[f + F64.firstSeen] = t;
  if (u[events] === 0 || t > table.f64[f + F64.lastSeen]!) table.f64[f + F64.lastSeen] = t;
  u[events]!++;
  if (!table.bump(slot, SECTION.counts, nameId, 1, SECTION_LIMITS.eventNames)) table.bump(slot, SECTION.counts, otherId());
}

/**
 * Adds `weight` at time `t` to each interest key (decayed: see decay.ts). A negative weight only
 * lowers interests the profile already has.
 *
 * @example addInterests(table, slot, item.terms, 3, event.timestamp, settings);
 */
export function addInterests(table: ProfileTable, slot: number, terms: readonly number[], weight: number, t: number, settings: ProfileSettings): void {
  if (weight === 0 || terms.length === 0) return;
  const refAt = slot * F64_WIDTH + F64.decayRef;
  if (table.length(slot, SECTION.interests) === 0) table.f64[refAt] = t;
  else if (needsRescale(t, table.f64[refAt]!, settings.halfLifeMs)) rescaleInterests(table, slot, t, settings.halfLifeMs);
  const scaled = weight * scaleAt(t, table.f64[refAt]!, settings.halfLifeMs);
  for (const key of terms) addInterest(table, slot, key, scaled, settings.interestLimits[KIND_LIMIT_ORDER[key & 3]!]!);
}

/** Adds a scaled weight to one interest, making room within its kind's limit. */
export function addInterest(table: ProfileTable, slot: number, key: number, scaled: number, limit: number): void {
  const off = table.offset(slot, SECTION.interests);
  const end = off + table.length(slot, SECTION.interests);
  const { keys, values } = table.arena;
  const kind = key & 3;
  let ofKind = 0;
  let weakest = -1;
  let weakestAbs = Infinity;
  for (let i = off; i < end; i++) {
    const k = keys[i]!;
    if (k === key) {
      values[i] = values[i]! + scaled;
      return;
    }
    if ((k & 3) === kind) {
      ofKind++;
      const a = Math.abs(values[i]!);
      if (a < weakestAbs) {
        weakestAbs = a;
        weakest = i;
      }
    }
  }
  if (scaled <= 0) return;
  if (ofKind >= limit) {
    if (scaled <= weakestAbs) return;
    keys[weakest] = key;
    values[weakest] = scaled;
    return;
  }
  const at = table.append(slot, SECTION.interests, key);
  table.arena.values[at] = scaled;
}

/** Moves the interest reference time to `ref`, rescaling every weight and dropping negligible ones. */
export function rescaleInterests(table: ProfileTable, slot: number, ref: number, halfLifeMs: number): void {
  const refAt = slot * F64_WIDTH + F64.decayRef;
  const factor = scaleAt(table.f64[refAt]!, ref, halfLifeMs);
  table.f64[refAt] = ref;
  const off = table.offset(slot, SECTION.interests);
  const values = table.arena.values;
  for (let i = off + table.length(slot, SECTION.interests) - 1; i >= off; i--) {
    const v = values[i]! * factor;
    if (Math.abs(v) < NEGLIGIBLE) table.removeAt(slot, SECTION.interests, i);
    else values[i] = v;
  }
}

/**
 * Appends to a time-ordered section (`SECTION.recent` items, `SECTION.searches` queries): kept oldest
 * first; a repeat of the newest key only refreshes its time; the oldest falls off past `limit`.
 *
 * @example pushRecent(table, slot, SECTION.recent, ws.items.id('sku-1'), toSectionTime(t), 50);
 */
export function pushRecent(table: ProfileTable, slot: number, section: number, key: number, seconds: number, limit: number): void {
  const off = table.offset(slot, section);
  const len = table.length(slot, section);
  const { keys, bits } = table.arena;
  if (len > 0 && keys[off + len - 1] === key) {
    if (seconds > bits[off + len - 1]!) bits[off + len - 1] = seconds;
    return;
  }
  const at = table.append(slot, section, key);
  const arena = table.arena;
  let i = at;
  // Events arrive in log order, almost always in time order too: a late one is moved into place.
  while (i > at - len && arena.bits[i - 1]! > seconds) {
    arena.keys[i] = arena.keys[i - 1]!;
    arena.bits[i] = arena.bits[i - 1]!;
    i--;
  }
  arena.keys[i] = key;
  arena.bits[i] = seconds;
  if (len + 1 > limit) table.dropFront(slot, section, len + 1 - limit);
}

/**
 * A search as profiles keep it: trimmed, spaces collapsed, lower-cased, at most 100 characters.
 *
 * @example normalizeQuery('  Red   Guitar ') // 'red guitar'
 */
export function normalizeQuery(query: string): string {
  return query.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, 100);
}

/** Counts the local hour, weekday and channel (index in CHANNELS, −1 unknown) of an event. */
export function countActivity(table: ProfileTable, slot: number, hour: number, weekday: number, channel: number): void {
  const c = table.u16;
  const bump = (i: number) => {
    if (c[i]! < U16_MAX) c[i]!++;
  };
  bump(table.c(slot, U16.hours + hour));
  bump(table.c(slot, U16.weekdays + weekday));
  if (channel >= 0) bump(table.c(slot, U16.channels + channel));
}

/** Changes the cart quantity of an item; at 0 or below the item leaves the cart. */
export function changeCart(table: ProfileTable, slot: number, item: number, delta: number): void {
  let i = table.find(slot, SECTION.cart, item);
  if (i < 0) {
    if (delta <= 0 || table.length(slot, SECTION.cart) >= SECTION_LIMITS.cart) return;
    i = table.append(slot, SECTION.cart, item);
  }
  const q = table.arena.values[i]! + delta;
  if (q > 0) table.arena.values[i] = q;
  else table.removeAt(slot, SECTION.cart, i);
}

/** Takes a bought item out of the cart. */
export function removeFromCart(table: ProfileTable, slot: number, item: number): void {
  const i = table.find(slot, SECTION.cart, item);
  if (i >= 0) table.removeAt(slot, SECTION.cart, i);
}

/** Counts an order: frequency, monetary, first/last order time, coupon use. */
export function recordOrder(table: ProfileTable, slot: number, t: number, revenue: number, discounted: boolean): void {
  const f = slot * F64_WIDTH;
  const orders = table.u(slot, U32.orders);
  if (table.u32[orders] === 0 || t < table.f64[f + F64.firstOrderAt]!) table.f64[f + F64.firstOrderAt] = t;
  if (table.u32[orders] === 0 || t > table.f64[f + F64.lastOrderAt]!) table.f64[f + F64.lastOrderAt] = t;
  table.u32[orders]!++;
  if (Number.isFinite(revenue)) table.f64[f + F64.revenue] = table.f64[f + F64.revenue]! + revenue;
  if (discounted) table.u32[table.u(slot, U32.discountedOrders)]!++;
}

/** A price the user engaged with, weighted by the event's weight (> 0). */
export function recordEngagedPrice(table: ProfileTable, slot: number, price: number, weight: number): void {
  if (!(price > 0) || !(weight > 0)) return;
  const f = slot * F32_WIDTH;
  const l = Math.log(price);
  table.f32[f + F32.priceLogSum] = table.f32[f + F32.priceLogSum]! + weight * l;
  table.f32[f + F32.priceLogSquares] = table.f32[f + F32.priceLogSquares]! + weight * l * l;
  table.f32[f + F32.priceWeight] = table.f32[f + F32.priceWeight]! + weight;
}

/** Units bought at a unit price. */
export function recordBought(table: ProfileTable, slot: number, price: number, quantity: number): void {
  if (!(price > 0) || !(quantity > 0)) return;
  const f = slot * F32_WIDTH;
  table.f32[f + F32.buyLogSum] = table.f32[f + F32.buyLogSum]! + quantity * Math.log(price);
  table.f32[f + F32.buyUnits] = table.f32[f + F32.buyUnits]! + quantity;
}

/** A review: its star rating (1–5) and its text's lexicon sentiment (−1…1), each when present. */
export function recordReview(table: ProfileTable, slot: number, rating: number | undefined, sentiment: number | undefined): void {
  const f = slot * F32_WIDTH;
  if (rating !== undefined) {
    table.f32[f + F32.ratingSum] = table.f32[f + F32.ratingSum]! + Math.min(5, Math.max(1, rating));
    table.u32[table.u(slot, U32.ratings)]!++;
  }
  if (sentiment !== undefined) {
    table.f32[f + F32.sentimentSum] = table.f32[f + F32.sentimentSum]! + sentiment;
    table.u32[table.u(slot, U32.reviews)]!++;
  }
}

/**
 * Drops everything but the counts from a profile whose user declined personalization (consent.ts),
 * and marks it restricted.
 *
 * @example stripBehaviour(table, slot);
 */
export function stripBehaviour(table: ProfileTable, slot: number): void {
  for (const section of [SECTION.interests, SECTION.recent, SECTION.devices, SECTION.cart, SECTION.searches]) table.clear(slot, section);
  table.f32.fill(0, slot * F32_WIDTH, (slot + 1) * F32_WIDTH);
  table.u32.fill(0, table.u(slot, U32.orders), table.u(slot, U32.ratings + 1));
  table.u16.fill(0, slot * U16_WIDTH, (slot + 1) * U16_WIDTH);
  for (const field of [F64.decayRef, F64.firstOrderAt, F64.lastOrderAt, F64.revenue]) table.f64[slot * F64_WIDTH + field] = 0;
  table.u32[table.u(slot, U32.flags)] = table.flags(slot) | FLAG.restricted;
}
