import { scaleAt } from './decay.js';
import { F32_WIDTH, F64, F64_WIDTH, type InterestKind, SECTION, SECTION_LIMITS, U16_MAX, U16_WIDTH, U32 } from './profile-layout.js';
import type { ProfileTable } from './profile-table.js';
import { addInterest, changeCart, type ProfileSettings, rescaleInterests } from './profile-updates.js';

const KINDS: InterestKind[] = ['category', 'brand', 'tag'];

/**
 * Merges profile `from` into `to` (an anonymous visitor who identified, or a user id aliased into
 * another). Every feature is a sum, a min/max or a time-ordered list, so the result is what one profile
 * fed both histories would hold: interests are rescaled to a common reference time and added, counters
 * and sums add, first/last times take the min/max, recent items and searches interleave by time. With
 * `behaviour: false` (the target declined personalization) only the counts are carried over. The caller
 * releases `from`'s slot.
 *
 * @example mergeProfiles(table, anonSlot, userSlot, settings, true, () => ws.names.id(OTHER_EVENTS)); table.releaseSlot(anonSlot);
 */
export function mergeProfiles(table: ProfileTable, from: number, to: number, settings: ProfileSettings, behaviour: boolean, otherEvents: () => number): void {
  const fromEvents = table.u32[table.u(from, U32.events)]!;
  if (fromEvents === 0) return;
  const toEvents = table.u32[table.u(to, U32.events)]!;
  minMax(table, from, to, F64.firstSeen, F64.lastSeen, toEvents === 0);
  table.u32[table.u(to, U32.events)] = toEvents + fromEvents;
  const counts = table.pairs(from, SECTION.counts);
  // Past the name limit, counts go to the OTHER_EVENTS name (as touch does) rather than get lost.
  counts.keys.forEach((k, i) => table.bump(to, SECTION.counts, k, counts.bits[i]!, SECTION_LIMITS.eventNames) || table.bump(to, SECTION.counts, otherEvents(), counts.bits[i]!));
  if (!behaviour) return;

  const u = table.u32;
  for (let field = U32.orders; field <= U32.ratings; field++) u[table.u(to, field)] = u[table.u(to, field)]! + u[table.u(from, field)]!;
  const c = table.u16;
  for (let field = 0; field < U16_WIDTH; field++) c[table.c(to, field)] = Math.min(U16_MAX, c[table.c(to, field)]! + c[table.c(from, field)]!);
  const fromOrders = u[table.u(from, U32.orders)]!;
  if (fromOrders > 0) minMax(table, from, to, F64.firstOrderAt, F64.lastOrderAt, u[table.u(to, U32.orders)]! === fromOrders);
  table.f64[to * F64_WIDTH + F64.revenue] = table.f64[to * F64_WIDTH + F64.revenue]! + table.f64[from * F64_WIDTH + F64.revenue]!;
  for (let k = 0; k < F32_WIDTH; k++) table.f32[to * F32_WIDTH + k] = table.f32[to * F32_WIDTH + k]! + table.f32[from * F32_WIDTH + k]!;

  mergeInterests(table, from, to, settings);
  mergeRecent(table, SECTION.recent, from, to, settings.recentItems);
  mergeRecent(table, SECTION.searches, from, to, settings.recentSearches);
  const cart = table.pairs(from, SECTION.cart);
  const quantities = new Float32Array(cart.bits.buffer);
  cart.keys.forEach((k, i) => changeCart(table, to, k, quantities[i]!));
  const devices = table.pairs(from, SECTION.devices);
  devices.keys.forEach((k, i) => table.bump(to, SECTION.devices, k, devices.bits[i]!, SECTION_LIMITS.devices));
}

/** first = min, last = max of two F64 fields; `fresh` when `to` has no value yet. */
function minMax(table: ProfileTable, from: number, to: number, first: number, last: number, fresh: boolean): void {
  const f = table.f64;
  const a = from * F64_WIDTH;
  const b = to * F64_WIDTH;
  f[b + first] = fresh ? f[a + first]! : Math.min(f[a + first]!, f[b + first]!);
  f[b + last] = fresh ? f[a + last]! : Math.max(f[a + last]!, f[b + last]!);
}

function mergeInterests(table: ProfileTable, from: number, to: number, settings: ProfileSettings): void {
  const pairs = table.pairs(from, SECTION.interests);
  if (pairs.keys.length === 0) return;
  const values = new Float32Array(pairs.bits.buffer);
  const fromRef = table.f64[from * F64_WIDTH + F64.decayRef]!;
  const toRefAt = to * F64_WIDTH + F64.decayRef;
  if (table.length(to, SECTION.interests) === 0) table.f64[toRefAt] = fromRef;
  else if (fromRef > table.f64[toRefAt]!) rescaleInterests(table, to, fromRef, settings.halfLifeMs);
  const factor = scaleAt(fromRef, table.f64[toRefAt]!, settings.halfLifeMs);
  // Strongest first, so when a kind's limit is reached the weakest are the ones left out.
  const order = Array.from(pairs.keys.keys()).sort((i, j) => Math.abs(values[j]!) - Math.abs(values[i]!));
  for (const i of order) {
    const key = pairs.keys[i]!;
    const limit = settings.interestLimits[KINDS[key & 3]!]!;
    const scaled = values[i]! * factor;
    // addInterest keeps only positive newcomers; a negative interest present only in `from` is carried over as is.
    if (scaled < 0 && table.find(to, SECTION.interests, key) < 0) {
      const at = table.append(to, SECTION.interests, key);
      table.arena.values[at] = scaled;
    } else {
      addInterest(table, to, key, scaled, limit);
    }
  }
}

/** Interleaves two time-ordered (key, seconds) sections, merging consecutive repeats, keeping the newest `limit`. */
function mergeRecent(table: ProfileTable, section: number, from: number, to: number, limit: number): void {
  const a = table.pairs(to, section);
  const b = table.pairs(from, section);
  if (b.keys.length === 0) return;
  const keys: number[] = [];
  const times: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.keys.length || j < b.keys.length) {
    const takeA = j >= b.keys.length || (i < a.keys.length && a.bits[i]! <= b.bits[j]!);
    const key = takeA ? a.keys[i]! : b.keys[j]!;
    const time = takeA ? a.bits[i++]! : b.bits[j++]!;
    if (keys.length > 0 && keys[keys.length - 1] === key) times[times.length - 1] = Math.max(times[times.length - 1]!, time);
    else {
      keys.push(key);
      times.push(time);
    }
  }
  const start = Math.max(0, keys.length - limit);
  table.setPairs(to, section, keys.slice(start), times.slice(start));
}
