/**
 * The packed in-memory form of a profile: one row per profile in a few typed-array columns (see
 * ProfileTable), plus variable-length sections of (key, value) pairs in a shared PairArena. This file
 * names every field; `UserProfile` (profile.ts) is the same state decoded for reading.
 *
 * Keeping a million profiles in well under a gigabyte is why it is packed: a plain object per profile
 * with a typed array per feature costs several kilobytes of engine overhead alone.
 */

/** Float64 fields (epoch-ms times and money), `F64_WIDTH` per profile. */
export const F64 = {
  /** Event time of the earliest event counted. */
  firstSeen: 0,
  /** Event time of the latest event counted. */
  lastSeen: 1,
  /** Reference time the interest weights are scaled to (decay.ts). */
  decayRef: 2,
  /** Event time of the first and the last `Order Completed`. */
  firstOrderAt: 3,
  lastOrderAt: 4,
  /** Σ order revenue: `revenue`, else `total`, else Σ price × quantity of its products. */
  revenue: 5,
  /** When the user's consent was last read (process-local bookkeeping; restored as 0). */
  consentCheckedAt: 6,
} as const;
export const F64_WIDTH = 7;

/** Float32 sums, `F32_WIDTH` per profile. */
export const F32 = {
  /** Σ w·ln(price) over engaged events with a price (w = the event's weight, > 0). */
  priceLogSum: 0,
  /** Σ w·ln(price)², for the spread of the prices engaged with. */
  priceLogSquares: 1,
  /** Σ w of those events. */
  priceWeight: 2,
  /** Σ quantity·ln(unit price) over units bought. */
  buyLogSum: 3,
  /** Units bought with a known price. */
  buyUnits: 4,
  /** Σ lexicon sentiment (−1…1) of reviews with text. */
  sentimentSum: 5,
  /** Σ star ratings (1–5) of reviews. */
  ratingSum: 6,
} as const;
export const F32_WIDTH = 7;

/** Uint32 counters, `U32_WIDTH` per profile. */
export const U32 = {
  /** FLAG bits. */
  flags: 0,
  /** Index of the profile's workspace in the processor. */
  workspace: 1,
  /** Events counted (all types). */
  events: 2,
  /** `Order Completed` events. */
  orders: 3,
  /** Orders with a coupon or a discount. */
  discountedOrders: 4,
  /** Reviews whose text was scored for sentiment. */
  reviews: 5,
  /** Reviews with a star rating. */
  ratings: 6,
} as const;
export const U32_WIDTH = 7;

/** Uint16 activity counters, `U16_WIDTH` per profile; they stop at 65 535 (only a bot gets there). */
export const U16 = {
  /** Events per local hour of day, 24 counters from here. */
  hours: 0,
  /** Events per local weekday (0 = Sunday), 7 counters from here. */
  weekdays: 24,
  /** Events per channel in `CHANNELS` order, 8 counters from here. */
  channels: 31,
} as const;
export const U16_WIDTH = 39;
export const U16_MAX = 0xffff;

/** FLAG bits in `U32.flags`. */
export const FLAG = {
  /** The row holds a profile. */
  live: 1,
  /** Keyed by an anonymous id not (yet) identified. */
  anonymous: 2,
  /** Personalization declined: only counts and first/last seen are kept. */
  restricted: 4,
  /** The user's consent has been read. */
  consentKnown: 8,
} as const;

/** The variable-length sections of a profile, in the PairArena. */
export const SECTION = {
  /** key = term id × 4 + INTEREST_KIND, value (Float32) = decayed weight scaled to `decayRef`. Capped per kind. */
  interests: 0,
  /** key = item id, bits = event time in seconds since `TIME_EPOCH`; oldest first, capped, consecutive repeats merged. */
  recent: 1,
  /** key = event-name id, bits = events of that name. */
  counts: 2,
  /** key = device-term id (`platform:`, `device:`, `os:`), bits = events. */
  devices: 3,
  /** key = item id, value (Float32) = quantity in the cart. */
  cart: 4,
  /** key = query id (the workspace's query vocabulary), bits = time like `recent`; oldest first, capped. */
  searches: 5,
} as const;
export const SECTIONS = 6;

/**
 * Bounds of the sections whose keys come from clients: event names past `eventNames` distinct ones are
 * counted under OTHER_EVENTS, devices past `devices` are not counted, items past `cart` are not added.
 */
export const SECTION_LIMITS = { eventNames: 256, devices: 64, cart: 256 } as const;
export const OTHER_EVENTS = '(other)';

/** Interest kinds, in the two low bits of an interest key. */
export const INTEREST_KIND = { category: 0, brand: 1, tag: 2 } as const;
export type InterestKind = keyof typeof INTEREST_KIND;

/** Times in sections are whole seconds since 2020-01-01 UTC (fits Uint32 until 2156). */
export const TIME_EPOCH = Date.UTC(2020, 0, 1);

/** Seconds since TIME_EPOCH of an epoch-ms time, clamped to the Uint32 range. */
export function toSectionTime(ms: number): number {
  return Math.min(0xffffffff, Math.max(0, Math.floor((ms - TIME_EPOCH) / 1000)));
}

export function fromSectionTime(seconds: number): number {
  return TIME_EPOCH + seconds * 1000;
}
