import type { Points } from './kmeans.js';

/**
 * Mean silhouette (Rousseeuw 1987) of a clustering over the points `sample` (all when omitted): for
 * each point, a = mean distance to the others of its cluster, b = the smallest mean distance to another
 * cluster, s = (b − a) / max(a, b). Distances run over the sample only, so the cost is m² · d for m
 * sampled points — a few thousand estimate the silhouette of millions.
 *
 * @example silhouette(points, fit.labels, fit.k, sampleIndices) // 0.41
 */
export function silhouette(points: Points, labels: Int32Array, k: number, sample?: Int32Array): number {
  const { data, d } = points;
  const idx = sample ?? Int32Array.from({ length: points.n }, (_, i) => i);
  const m = idx.length;
  const counts = new Int32Array(k);
  for (let s = 0; s < m; s++) counts[labels[idx[s]!]!]!++;
  const sums = new Float64Array(k);
  let total = 0;
  let scored = 0;
  for (let s = 0; s < m; s++) {
    const i = idx[s]!;
    const own = labels[i]!;
    if (counts[own]! < 2) {
      scored++; // a singleton scores 0 by convention
      continue;
    }
    sums.fill(0);
    const row = i * d;
    for (let t = 0; t < m; t++) {
      if (t === s) continue;
      const other = idx[t]! * d;
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j]! - data[other + j]!;
        dist += diff * diff;
      }
      sums[labels[idx[t]!]!]! += Math.sqrt(dist);
    }
    const a = sums[own]! / (counts[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) b = Math.min(b, sums[c]! / counts[c]!);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b, 1e-12);
    scored++;
  }
  return scored ? total / scored : 0;
}
