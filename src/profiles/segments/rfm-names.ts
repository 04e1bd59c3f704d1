/**
 * The RFM tiers, best first, and how a buyer's quintile scores place them (first match wins). R is the
 * recency score, FM the mean of the frequency and monetary scores (all 1–5, rfm-tiers.ts).
 */
export const RFM_TIERS = [
  { name: 'champions', rule: 'R ≥ 4 and FM ≥ 4', test: (r: number, fm: number) => r >= 4 && fm >= 4 },
  { name: 'loyal', rule: 'R ≥ 3 and FM ≥ 3', test: (r: number, fm: number) => r >= 3 && fm >= 3 },
  { name: 'promising', rule: 'R ≥ 4 (FM < 3: recent, few or small orders)', test: (r: number) => r >= 4 },
  { name: 'needs attention', rule: 'R = 3 (FM < 3)', test: (r: number) => r === 3 },
  { name: 'at risk', rule: 'R ≤ 2 and FM ≥ 3 (were good, not lately)', test: (_r: number, fm: number) => fm >= 3 },
  { name: 'hibernating', rule: 'R ≤ 2 and FM < 3', test: () => true },
] as const;

export type RfmTier = (typeof RFM_TIERS)[number]['name'];
export const RFM_TIER_NAMES: readonly RfmTier[] = RFM_TIERS.map((t) => t.name);

/**
 * The tier of quintile scores (each 1–5).
 *
 * @example tierOf(5, 4, 5) // 'champions'
 */
export function tierOf(r: number, f: number, m: number): RfmTier {
  const fm = (f + m) / 2;
  return RFM_TIERS.find((t) => t.test(r, fm))!.name;
}
