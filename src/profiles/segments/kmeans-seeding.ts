import type { SeededRandom } from '../../math/random.js';

/**
 * k-means++ seeds (Arthur & Vassilvitskii 2007: each next seed drawn with probability ∝ squared
 * distance to the nearest seed so far), drawn from a uniform sample of at most `sample` points.
 *
 * @example const centroids = seedPlusPlus(points, 4, rng, 20_000);
 */
export function seedPlusPlus(points: { data: Float32Array; n: number; d: number }, k: number, rng: SeededRandom, sample: number): Float32Array {
  const { data, n, d } = points;
  const m = Math.min(n, Math.max(sample, k));
  const pick = m === n ? Int32Array.from({ length: n }, (_, i) => i) : Int32Array.from(rng.sampleWithoutReplacement(Array.from({ length: n }, (_, i) => i), m));
  const centroids = new Float32Array(k * d);
  const nearest = new Float64Array(m).fill(Infinity);
  let chosen = pick[rng.int(m)]!;
  for (let c = 0; c < k; c++) {
    centroids.set(data.subarray(chosen * d, (chosen + 1) * d), c * d);
    let total = 0;
    for (let s = 0; s < m; s++) {
      const row = pick[s]! * d;
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j]! - centroids[c * d + j]!;
        dist += diff * diff;
      }
      if (dist < nearest[s]!) nearest[s] = dist;
      total += nearest[s]!;
    }
    if (c === k - 1) break;
    if (!(total > 0)) {
      chosen = pick[rng.int(m)]!;
      continue;
    }
    let x = rng.next() * total;
    let s = 0;
    for (; s < m - 1; s++) {
      x -= nearest[s]!;
      if (x < 0) break;
    }
    chosen = pick[s]!;
  }
  return centroids;
}
