import type { FeatureSpec } from './profile-features.js';

/** A feature that sets a cluster apart: its centroid's z-score against the population. */
export interface DistinctiveFeature {
  feature: string;
  z: number;
  phrase: string;
}

/**
 * A cluster in words: its most distinctive features — the largest |z| of its centroid in standardised
 * space (the z-score of the cluster's mean against the whole population), at least `minZ` — each as
 * its phrase ("buys often", "mostly app", "interested in 数码"), strongest first.
 *
 * @example describeCentroid(centroid, features) // { text: 'buys often, high price band, mostly app', top: […] }
 */
export function describeCentroid(centroid: ArrayLike<number>, features: readonly FeatureSpec[], options: { max?: number; minZ?: number } = {}): { text: string; top: DistinctiveFeature[] } {
  const minZ = options.minZ ?? 0.5;
  const ranked = features.map((f, j) => ({ feature: f.name, z: centroid[j]!, phrase: centroid[j]! >= 0 ? f.high : f.low }))
    .filter((x) => Math.abs(x.z) >= minZ)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || (a.feature < b.feature ? -1 : 1));
  // Two shares of one kind often move together (mostly app = rarely web): keep the stronger phrase of a kind only once.
  const top: DistinctiveFeature[] = [];
  for (const r of ranked) {
    if (top.length >= (options.max ?? 4)) break;
    if (r.z < 0 && r.feature.endsWith(' share') && top.some((t) => t.feature.endsWith(' share') && t.z > 0)) continue;
    if (r.z < 0 && r.feature.startsWith('interest in ') && top.some((t) => t.feature.startsWith('interest in ') && t.z > 0)) continue;
    top.push({ ...r, z: Math.round(r.z * 100) / 100 });
  }
  return { text: top.length ? top.map((t) => t.phrase).join(', ') : 'close to the average profile', top };
}
