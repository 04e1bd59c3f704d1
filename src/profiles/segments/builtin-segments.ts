/**
 * The segments every workspace has without defining them. Their rules are ordinary rules (README has
 * the language), so they are evaluated, emitted and listed like any other; they cannot be changed or
 * deleted through the API.
 *
 * - high value: the top fifth of buyers by revenue, and the next fifth when they also buy often.
 * - at risk: the RFM tier "at risk": buyers whose frequency and spend were good (FM ≥ 3) but whose last
 *   order is in the oldest two fifths (R ≤ 2).
 */
export const BUILTIN_SEGMENTS = [
  { id: 'builtin:high-value', name: 'high value', kind: 'rule', rule: 'rfm.m = 5 OR (rfm.m >= 4 AND rfm.f >= 4)', description: 'top fifth of buyers by revenue, and the next fifth when they also buy often' },
  { id: 'builtin:at-risk', name: 'at risk', kind: 'rule', rule: 'tier("at risk")', description: 'buyers who bought often or much (FM ≥ 3) but not lately (R ≤ 2)' },
] as const;

/**
 * True for an id of a built-in segment.
 *
 * @example isBuiltinSegment('builtin:at-risk') // true
 */
export function isBuiltinSegment(id: string): boolean {
  return BUILTIN_SEGMENTS.some((s) => s.id === id);
}
