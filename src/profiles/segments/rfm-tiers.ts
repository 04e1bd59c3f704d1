import type { UserProfile } from '../profile.js';
import { RFM_TIER_NAMES, type RfmTier, tierOf } from './rfm-names.js';

/**
 * Quintile cut-offs of a shop's buyers (users with at least one order): four values per dimension,
 * the 20th, 40th, 60th and 80th percentiles. Recency is cut on the time of the last order (absolute
 * epoch ms), so a buyer's scores do not drift with the clock between two refreshes; the refresh (every
 * so many orders, segment-engine.ts) moves everyone along.
 */
export interface RfmCutoffs {
  recency: number[];
  frequency: number[];
  monetary: number[];
  buyers: number;
}

export interface RfmScores {
  r: number;
  f: number;
  m: number;
  tier: RfmTier;
}

/**
 * Cut-offs from the buyers' last order times, order counts and revenues (parallel arrays; sorted in place).
 *
 * @example rfmCutoffs(Float64Array.of(t1, t2), Float64Array.of(1, 3), Float64Array.of(20, 90))
 */
export function rfmCutoffs(lastOrderAt: Float64Array, orders: Float64Array, revenue: Float64Array): RfmCutoffs {
  const cut = (values: Float64Array) => {
    values.sort();
    const n = values.length;
    // Nearest rank: the value below which (at most) that share of buyers lie.
    return n === 0 ? [] : [0.2, 0.4, 0.6, 0.8].map((p) => values[Math.max(0, Math.ceil(p * n) - 1)]!);
  };
  return { recency: cut(lastOrderAt), frequency: cut(orders), monetary: cut(revenue), buyers: lastOrderAt.length };
}

/**
 * Score 1–5 of a value against four cut-offs: 1 + how many cut-offs it exceeds (ties stay in the lower
 * fifth, so a shop where most buyers ordered once gives them all F = 1).
 *
 * @example quintileScore(7, [1, 2, 5, 9]) // 4
 */
export function quintileScore(value: number, cutoffs: readonly number[]): number {
  let score = 1;
  for (const c of cutoffs) if (value > c) score++;
  return score;
}

/**
 * A buyer's scores and tier (null for a user without orders or before any cut-offs).
 *
 * @example rfmScoresOf(cutoffs, lastOrderAt, 3, 250)?.tier // 'loyal'
 */
export function rfmScoresOf(cutoffs: RfmCutoffs | null, lastOrderAt: number | null, orders: number, revenue: number): RfmScores | null {
  if (!cutoffs || cutoffs.buyers === 0 || lastOrderAt === null || !(orders > 0)) return null;
  const r = quintileScore(lastOrderAt, cutoffs.recency);
  const f = quintileScore(orders, cutoffs.frequency);
  const m = quintileScore(revenue, cutoffs.monetary);
  return { r, f, m, tier: tierOf(r, f, m) };
}

export interface RfmReport {
  cutoffs: RfmCutoffs;
  /** Scores per user id (buyers only). */
  users: Map<string, RfmScores>;
  /** Buyers per tier, best tier first. */
  tiers: { tier: RfmTier; users: number }[];
}

/**
 * RFM tiers of a set of profiles: quintile cut-offs over the buyers, then each buyer's R, F, M scores
 * and tier (rfm-names.ts has the table). Profiles without orders (or with personalization declined)
 * are not tiered.
 *
 * @example rfmTiers(profiles).tiers // [{ tier: 'champions', users: 120 }, …]
 */
export function rfmTiers(profiles: Iterable<UserProfile>): RfmReport {
  const buyers = [...profiles].filter((p) => p.rfm && p.rfm.orders > 0 && p.rfm.lastOrderAt !== null);
  const cutoffs = rfmCutoffs(
    Float64Array.from(buyers, (p) => p.rfm!.lastOrderAt!), Float64Array.from(buyers, (p) => p.rfm!.orders), Float64Array.from(buyers, (p) => p.rfm!.revenue),
  );
  const users = new Map<string, RfmScores>();
  const counts = new Map<RfmTier, number>(RFM_TIER_NAMES.map((t) => [t, 0]));
  for (const p of buyers) {
    const s = rfmScoresOf(cutoffs, p.rfm!.lastOrderAt, p.rfm!.orders, p.rfm!.revenue)!;
    users.set(p.userId, s);
    counts.set(s.tier, counts.get(s.tier)! + 1);
  }
  return { cutoffs, users, tiers: RFM_TIER_NAMES.map((tier) => ({ tier, users: counts.get(tier)! })) };
}
