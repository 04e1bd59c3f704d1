/**
 * Exponential time decay of interest weights.
 *
 * An interest is Σ wᵢ · 2^(−(t − tᵢ)/h): every event adds its weight wᵢ at its time tᵢ, and the sum halves
 * every half-life h. Decaying every stored weight on every event would cost O(interests) per event, so a
 * profile stores its weights *scaled to a reference time* r instead: stored = Σ wᵢ · 2^((tᵢ − r)/h). Adding
 * an event is one multiply-add, reading at time t multiplies by 2^((r − t)/h), and merging two profiles
 * rescales one to the other's reference. The reference moves forward (rescaling every weight once) only
 * when the scale factors would grow past `RESCALE_AFTER_HALF_LIVES`, which keeps Float32 weights exact
 * enough (relative error ~1e-7) whatever the history's length.
 */

export const DAY_MS = 86_400_000;

/** The scale factor 2^((t − ref)/h) stays below 2^8 before the reference moves to t. */
export const RESCALE_AFTER_HALF_LIVES = 8;

/**
 * What a weight recorded `elapsedMs` ago is worth now: 2^(−elapsed/halfLife).
 *
 * @example decayFactor(14 * DAY_MS, 14 * DAY_MS) // 0.5
 */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  return Math.pow(2, -elapsedMs / halfLifeMs);
}

/**
 * The factor an event at `t` is stored with under reference time `ref`: 2^((t − ref)/h).
 *
 * @example scaleAt(ref + halfLife, ref, halfLife) // 2
 */
export function scaleAt(t: number, ref: number, halfLifeMs: number): number {
  return Math.pow(2, (t - ref) / halfLifeMs);
}

/**
 * True when an event at `t` should first move the reference from `ref` to `t` (its scale would be too large).
 *
 * @example needsRescale(ref + 9 * halfLife, ref, halfLife) // true
 */
export function needsRescale(t: number, ref: number, halfLifeMs: number): boolean {
  return t - ref > RESCALE_AFTER_HALF_LIVES * halfLifeMs;
}

/**
 * A stored (scaled) weight read at time `at`: stored · 2^((ref − at)/h).
 *
 * @example decayedAt(4, ref, ref + 2 * halfLife, halfLife) // 1
 */
export function decayedAt(stored: number, ref: number, at: number, halfLifeMs: number): number {
  return stored * Math.pow(2, (ref - at) / halfLifeMs);
}
