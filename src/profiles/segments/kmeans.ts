import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';

/** Rows of a dense row-major Float32 matrix: n points of d features. */
export interface Points {
  data: Float32Array;
  n: number;
  d: number;
}

export interface KMeansResult {
  k: number;
  /** k × d, row-major. */
  centroids: Float32Array;
  /** Cluster of each point. */
  labels: Int32Array;
  sizes: Int32Array;
  /** Σ squared distance of each point to its centroid. */
  inertia: number;
  iterations: number;
}

export interface KMeansOptions {
  rng: SeededRandom;
  /** Lloyd iterations at most (default 25). */
  maxIterations?: number;
  /** Stop when the inertia improves by less than this fraction (default 1e-4). */
  tolerance?: number;
  /** Start from these centroids (k × d) instead of k-means++. */
  init?: Float32Array;
  /** k-means++ draws its seeds from at most this many points (default 20 000). */
  seedSample?: number;
}

/**
 * K-Means (Lloyd's algorithm) with k-means++ seeding (Arthur & Vassilvitskii 2007: each next seed drawn
 * with probability ∝ squared distance to the nearest seed so far), on a Float32 matrix. One pass per
 * iteration assigns every point (n·k·d multiply-adds, no allocation) and accumulates the new centroids
 * in Float64; an emptied cluster is re-seeded at the point farthest from its centroid.
 *
 * @example const fit = kmeans({ data, n, d }, 4, { rng: rng.fork('kmeans') }); fit.labels[0]
 */
export function kmeans(points: Points, k: number, options: KMeansOptions): KMeansResult {
  const { data, n, d } = points;
  if (!Number.isInteger(k) || k < 1 || k > n) throw AppError.invalid(`k must be a whole number in 1…${n} (the points), got ${k}`, { field: 'k' });
  const centroids = options.init ? Float32Array.from(options.init) : seedPlusPlus(points, k, options.rng, options.seedSample ?? 20_000);
  const labels = new Int32Array(n);
  const distances = new Float32Array(n);
  const sums = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  const maxIterations = options.maxIterations ?? 25;
  const tolerance = options.tolerance ?? 1e-4;
  let previous = Infinity;
  let inertia = Infinity;
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    inertia = assign(points, centroids, k, labels, distances);
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      sizes[c]!++;
      const row = i * d;
      const at = c * d;
      for (let j = 0; j < d; j++) sums[at + j]! += data[row + j]!;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) {
        reseed(points, centroids, c, distances);
        continue;
      }
      for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j]! / sizes[c]!;
    }
    if (Number.isFinite(previous) && previous - inertia <= tolerance * previous) break;
    previous = inertia;
  }
  inertia = assign(points, centroids, k, labels, distances);
  sizes.fill(0);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  return { k, centroids, labels, sizes, inertia, iterations };
}

/** Nearest centroid of every point; returns the inertia. */
function assign(points: Points, centroids: Float32Array, k: number, labels: Int32Array, distances: Float32Array): number {
  const { data, n, d } = points;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const at = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j]! - centroids[at + j]!;
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    labels[i] = best;
    distances[i] = bestD;
    inertia += bestD;
  }
  return inertia;
}

function reseed(points: Points, centroids: Float32Array, c: number, distances: Float32Array): void {
  let far = 0;
  for (let i = 1; i < points.n; i++) if (distances[i]! > distances[far]!) far = i;
  distances[far] = 0;
  centroids.set(points.data.subarray(far * points.d, (far + 1) * points.d), c * points.d);
}

/** k-means++ seeds, drawn from a uniform sample of at most `sample` points. */
function seedPlusPlus(points: Points, k: number, rng: SeededRandom, sample: number): Float32Array {
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
