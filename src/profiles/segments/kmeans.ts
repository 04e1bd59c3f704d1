import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { seedPlusPlus } from './kmeans-seeding.js';

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
  /** Centroid updates at most (default 25); 0 only assigns the points to `init`. */
  maxIterations?: number;
  /** Stop when at most this fraction of the points changed cluster in an iteration (default 1e-4; 0: until none does). */
  tolerance?: number;
  /** Start from these centroids (k × d) instead of k-means++. */
  init?: Float32Array;
  /** k-means++ draws its seeds from at most this many points (default 20 000). */
  seedSample?: number;
}

/**
 * K-Means (Lloyd's iterations, k-means++ seeding) on a Float32 matrix, with Hamerly's bounds (Hamerly
 * 2010, "Making k-means even faster"): each point keeps an upper bound on the distance to its centroid
 * and a lower bound on the distance to any other; after the centroids move the bounds are loosened by
 * how far they moved, and a point whose upper bound stays below max(lower bound, half the distance from
 * its centroid to the nearest other) cannot have changed cluster, so it is skipped. Near convergence —
 * and the final fit over all profiles starts from a sample's centroids — almost every point is skipped,
 * and the cluster sums are updated only for points that moved. The labels are exactly Lloyd's.
 * An emptied cluster is re-seeded at the point farthest from its centroid.
 *
 * @example const fit = kmeans({ data, n, d }, 4, { rng: rng.fork('kmeans') }); fit.labels[0]
 */
export function kmeans(points: Points, k: number, options: KMeansOptions): KMeansResult {
  const { n, d } = points;
  if (!Number.isInteger(k) || k < 1 || k > n) throw AppError.invalid(`k must be a whole number in 1…${n} (the points), got ${k}`, { field: 'k' });
  const state: FitState = {
    points, k,
    centroids: options.init ? Float32Array.from(options.init) : seedPlusPlus(points, k, options.rng, options.seedSample ?? 20_000),
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    sums: new Float64Array(k * d),
    sizes: new Int32Array(k),
  };
  assignAll(state);
  const maxIterations = options.maxIterations ?? 25;
  const allowedChanges = (options.tolerance ?? 1e-4) * n;
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    loosenBounds(state, moveCentroids(state));
    if (assignBounded(state) <= allowedChanges) break;
  }
  return { k, centroids: state.centroids, labels: state.labels, sizes: state.sizes, inertia: inertiaOf(state), iterations };
}

/** The working arrays of one fit. */
interface FitState {
  points: Points;
  k: number;
  centroids: Float32Array;
  labels: Int32Array;
  /** ≥ the distance of each point to its own centroid. */
  upper: Float64Array;
  /** ≤ the distance of each point to its nearest other centroid. */
  lower: Float64Array;
  /** Σ of the member points of each cluster (k × d) and their count, kept up to date as points move. */
  sums: Float64Array;
  sizes: Int32Array;
}

function squaredDistance(data: Float32Array, row: number, centroids: Float32Array, at: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = data[row + j]! - centroids[at + j]!;
    s += diff * diff;
  }
  return s;
}

/** The nearest centroid of point i, exactly, with its bounds; returns the nearest. */
function nearestOf(state: FitState, i: number): number {
  const { points: { data, d }, centroids, k } = state;
  let best = 0;
  let bestD = Infinity;
  let second = Infinity;
  for (let c = 0; c < k; c++) {
    const s = squaredDistance(data, i * d, centroids, c * d, d);
    if (s < bestD) {
      second = bestD;
      bestD = s;
      best = c;
    } else if (s < second) second = s;
  }
  state.upper[i] = Math.sqrt(bestD);
  state.lower[i] = Math.sqrt(second);
  return best;
}

/** First assignment: every point to its nearest centroid, and the clusters' sums. */
function assignAll(state: FitState): void {
  const { points: { data, n, d }, labels, sums, sizes } = state;
  for (let i = 0; i < n; i++) {
    const c = nearestOf(state, i);
    labels[i] = c;
    sizes[c]!++;
    for (let j = 0; j < d; j++) sums[c * d + j]! += data[i * d + j]!;
  }
}

/** Moves point i from cluster `from` to `to` in the sums. */
function transfer(state: FitState, i: number, from: number, to: number): void {
  const { points: { data, d }, sums, sizes } = state;
  sizes[from]!--;
  sizes[to]!++;
  for (let j = 0; j < d; j++) {
    const x = data[i * d + j]!;
    sums[from * d + j]! -= x;
    sums[to * d + j]! += x;
  }
  state.labels[i] = to;
}

/** Reassigns the points whose bounds allow a change; returns how many changed cluster. */
function assignBounded(state: FitState): number {
  const { points: { data, n, d }, centroids, k, labels, upper, lower } = state;
  // Half the distance from each centroid to its nearest other: a point closer than that to its own cannot be nearer another.
  const half = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) {
    const h = Math.sqrt(squaredDistance(centroids, a * d, centroids, b * d, d)) / 2;
    if (h < half[a]!) half[a] = h;
    if (h < half[b]!) half[b] = h;
  }
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const own = labels[i]!;
    const bound = Math.max(half[own]!, lower[i]!);
    if (upper[i]! <= bound) continue;
    upper[i] = Math.sqrt(squaredDistance(data, i * d, centroids, own * d, d));
    if (upper[i]! <= bound) continue;
    const nearest = nearestOf(state, i);
    if (nearest !== own) {
      transfer(state, i, own, nearest);
      changed++;
    }
  }
  return changed;
}

/** New centroids from the sums (an emptied cluster re-seeded first); returns how far each moved. */
function moveCentroids(state: FitState): Float64Array {
  const { points: { d }, centroids, k, sizes, sums, upper } = state;
  const shift = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    if (sizes[c]! > 0) continue;
    // The point farthest from its centroid (by its upper bound) founds the empty cluster.
    let far = 0;
    for (let i = 1; i < upper.length; i++) if (upper[i]! > upper[far]!) far = i;
    transfer(state, far, state.labels[far]!, c);
    upper[far] = 0;
    state.lower[far] = 0;
  }
  const previous = Float32Array.from(centroids);
  for (let c = 0; c < k; c++) {
    if (sizes[c] === 0) continue; // only when k exceeds the distinct points
    for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j]! / sizes[c]!;
    shift[c] = Math.sqrt(squaredDistance(previous, c * d, centroids, c * d, d));
  }
  return shift;
}

/** After the centroids moved by `shift`: the own-centroid bound grows by its move, the other bound shrinks by the largest other move. */
function loosenBounds(state: FitState, shift: Float64Array): void {
  const { labels, upper, lower } = state;
  let first = 0;
  for (let c = 1; c < shift.length; c++) if (shift[c]! > shift[first]!) first = c;
  let second = 0;
  for (let c = 0; c < shift.length; c++) if (c !== first && shift[c]! > second) second = shift[c]!;
  for (let i = 0; i < labels.length; i++) {
    const own = labels[i]!;
    upper[i]! += shift[own]!;
    lower[i]! -= own === first ? second : shift[first]!;
  }
}

/** Σ squared distance of each point to its centroid (exact). */
function inertiaOf(state: FitState): number {
  const { points: { data, n, d }, centroids, labels } = state;
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += squaredDistance(data, i * d, centroids, labels[i]! * d, d);
  return inertia;
}
