import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { describeCentroid, type DistinctiveFeature } from './cluster-description.js';
import { kmeans, type KMeansResult, type Points } from './kmeans.js';
import { type FeatureSpec, profileFeatures, standardize } from './profile-features.js';
import type { ProfileSource } from './profile-source.js';
import { silhouette } from './silhouette.js';

export interface ClusterOptions {
  rng: SeededRandom;
  /** A number, or 'auto' (default): the k in `kRange` with the best silhouette. */
  k?: number | 'auto';
  kRange?: [number, number];
  /** k is chosen on a uniform sample of this many points (default 10 000)… */
  sampleSize?: number;
  /** …scored on a silhouette over this many of them (default 1 000: m² distances per k). */
  silhouetteSample?: number;
  /** Restarts per k on the sample (default 1: k-means++ seeds are good; more keep the lowest inertia). */
  restarts?: number;
  /** Lloyd iterations of the final fit on all points (default 5: it starts from the sample's centroids, so it is nearly there). */
  finalIterations?: number;
}

export interface ClusterChoice {
  k: number;
  /** Silhouette of each k tried (empty when k was given). */
  scores: { k: number; silhouette: number }[];
  fit: KMeansResult;
}

/**
 * K-Means with automatic k, fast on millions of points: every k of the range is fitted (k-means++,
 * a few restarts) on a uniform sample and scored by a sampled silhouette; the best k's centroids then
 * seed a short Lloyd run over all points.
 *
 * @example const { k, fit } = chooseClusters(points, { rng: new SeededRandom(7) });
 */
export function chooseClusters(points: Points, options: ClusterOptions): ClusterChoice {
  const { rng } = options;
  if (points.n < 2) throw AppError.invalid(`clustering needs at least 2 profiles, got ${points.n}`, { field: 'profiles' });
  const sample = subsample(points, options.sampleSize ?? 10_000, rng.fork('sample'));
  const fixed = options.k !== undefined && options.k !== 'auto' ? options.k : undefined;
  const [low, high] = options.kRange ?? [2, 8];
  const candidates = fixed !== undefined ? [fixed] : range(Math.max(2, low), Math.min(high, sample.points.n - 1));
  if (candidates.length === 0) throw AppError.invalid(`no k to try in ${low}…${high} for ${points.n} profiles`, { field: 'k' });
  const scoreIdx = Int32Array.from(rng.fork('silhouette').sampleWithoutReplacement(Array.from({ length: sample.points.n }, (_, i) => i), options.silhouetteSample ?? 1000));
  let best: { k: number; score: number; fit: KMeansResult } | undefined;
  const scores: { k: number; silhouette: number }[] = [];
  for (const k of candidates) {
    let fit: KMeansResult | undefined;
    for (let r = 0; r < (options.restarts ?? 1); r++) {
      const run = kmeans(sample.points, k, { rng: rng.fork(`k${k}.${r}`), maxIterations: 20, tolerance: 1e-3 });
      if (!fit || run.inertia < fit.inertia) fit = run;
    }
    const score = fixed !== undefined ? 0 : silhouette(sample.points, fit!.labels, k, scoreIdx);
    if (fixed === undefined) scores.push({ k, silhouette: Math.round(score * 1000) / 1000 });
    if (!best || score > best.score) best = { k, score, fit: fit! };
  }
  const fit = sample.points === points ? best!.fit : kmeans(points, best!.k, { rng: rng.fork('final'), init: best!.fit.centroids, maxIterations: options.finalIterations ?? 5, tolerance: 1e-3 });
  return { k: best!.k, scores, fit };
}

export interface ProfileCluster {
  index: number;
  size: number;
  share: number;
  description: string;
  distinctive: DistinctiveFeature[];
  /** The cluster's mean of each feature, in the feature's own units. */
  means: Record<string, number>;
}

export interface ProfileClustering {
  k: number;
  profiles: number;
  scores: { k: number; silhouette: number }[];
  features: FeatureSpec[];
  clusters: ProfileCluster[];
  /** Profile ids and their cluster, row by row. */
  ids: string[];
  labels: Int32Array;
  seconds: { features: number; clustering: number };
}

/**
 * Clusters a workspace's profiles by their features (profile-features.ts), standardised, and describes
 * each cluster in words by its most distinctive features. Clusters come largest first.
 *
 * @example const result = clusterProfiles(processor, 'shop', { rng: new SeededRandom(42), now: Date.now() }); result.clusters[0].description
 */
export function clusterProfiles(source: ProfileSource, workspaceId: string, options: ClusterOptions & { now: number; topCategories?: number; includeAnonymous?: boolean }): ProfileClustering {
  const started = performance.now();
  const matrix = profileFeatures(source, workspaceId, options);
  const featuresDone = performance.now();
  const { mean, std } = standardize(matrix.points);
  const { k, scores, fit } = chooseClusters(matrix.points, options);
  const d = matrix.points.d;
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => fit.sizes[b]! - fit.sizes[a]!);
  const relabel = new Int32Array(k);
  order.forEach((c, i) => (relabel[c] = i));
  const clusters = order.map((c, i) => {
    const centroid = fit.centroids.subarray(c * d, (c + 1) * d);
    const { text, top } = describeCentroid(centroid, matrix.features);
    const means = Object.fromEntries(matrix.features.map((f, j) => [f.name, Math.round((centroid[j]! * std[j]! + mean[j]!) * 1000) / 1000]));
    return { index: i, size: fit.sizes[c]!, share: Math.round((fit.sizes[c]! / matrix.points.n) * 1000) / 1000, description: text, distinctive: top, means };
  });
  return {
    k, profiles: matrix.points.n, scores, features: matrix.features, clusters, ids: matrix.ids, labels: fit.labels.map((l) => relabel[l]!),
    seconds: { features: (featuresDone - started) / 1000, clustering: (performance.now() - featuresDone) / 1000 },
  };
}

function subsample(points: Points, size: number, rng: SeededRandom): { points: Points } {
  if (points.n <= size) return { points };
  const picked = rng.sampleWithoutReplacement(Array.from({ length: points.n }, (_, i) => i), size).sort((a, b) => a - b);
  const data = new Float32Array(picked.length * points.d);
  picked.forEach((row, i) => data.set(points.data.subarray(row * points.d, (row + 1) * points.d), i * points.d));
  return { points: { data, n: picked.length, d: points.d } };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);
}
