import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { describeCentroid } from './cluster-description.js';
import { kmeans, type Points } from './kmeans.js';
import { chooseClusters } from './profile-clusters.js';
import { silhouette } from './silhouette.js';

/** n points around `k` planted centres (spread `sd`, centres at least 8 apart) in d dimensions; returns the planted label of each. */
function blobs(rng: SeededRandom, n: number, k: number, d: number, sd: number): { points: Points; planted: Int32Array } {
  const centres: number[][] = [];
  while (centres.length < k) {
    const c = Array.from({ length: d }, () => rng.range(-10, 10));
    if (centres.every((o) => Math.hypot(...o.map((x, j) => x - c[j]!)) >= 8)) centres.push(c);
  }
  const data = new Float32Array(n * d);
  const planted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    planted[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c]![j]! + rng.normal(0, sd);
  }
  return { points: { data, n, d }, planted };
}

/** Share of points whose cluster's majority planted label is their own (1 = the planted partition). */
function purity(labels: Int32Array, planted: Int32Array, k: number): number {
  const counts = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) counts.set(`${labels[i]}:${planted[i]}`, (counts.get(`${labels[i]}:${planted[i]}`) ?? 0) + 1);
  let hit = 0;
  for (let c = 0; c < k; c++) hit += Math.max(0, ...[...counts].filter(([key]) => key.startsWith(`${c}:`)).map(([, v]) => v));
  return hit / labels.length;
}

/** Lloyd without shortcuts, as kmeans runs it: assign, then `iterations` × (re-seed empties at the farthest point, move, assign). */
function bruteForceLloyd(points: Points, init: Float32Array, iterations: number): { labels: Int32Array; centroids: Float32Array; inertia: number } {
  const { data, n, d } = points;
  const k = init.length / d;
  const centroids = Float32Array.from(init);
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const assign = () => {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (data[i * d + j]! - centroids[c * d + j]!) ** 2;
        if (s < bestD) [best, bestD] = [c, s];
      }
      labels[i] = best;
      dist[i] = Math.sqrt(bestD);
    }
  };
  assign();
  for (let it = 0; it < iterations; it++) {
    for (let c = 0; c < k; c++) {
      if (labels.includes(c)) continue;
      let far = 0;
      for (let i = 1; i < n; i++) if (dist[i]! > dist[far]!) far = i;
      labels[far] = c;
      dist[far] = 0;
    }
    for (let c = 0; c < k; c++) {
      const sum = new Float64Array(d);
      let size = 0;
      for (let i = 0; i < n; i++) if (labels[i] === c) {
        size++;
        for (let j = 0; j < d; j++) sum[j]! += data[i * d + j]!;
      }
      for (let j = 0; j < d; j++) centroids[c * d + j] = sum[j]! / size;
    }
    assign();
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist[i]! ** 2;
  return { labels, centroids, inertia };
}

describe('kmeans', () => {
  it('recovers planted clusters, and the same seed gives the same fit', () => {
    const { points, planted } = blobs(new SeededRandom(1), 3000, 5, 4, 0.6);
    const a = kmeans(points, 5, { rng: new SeededRandom('k').fork('a') });
    const b = kmeans(points, 5, { rng: new SeededRandom('k').fork('a') });
    expect(purity(a.labels, planted, 5)).toBeGreaterThan(0.99);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect([...a.sizes].reduce((x, y) => x + y, 0)).toBe(3000);
    expect(() => kmeans(points, 0, { rng: new SeededRandom(1) })).toThrow(/k must be/);
  });

  it("gives exactly plain Lloyd's labels and centroids (the bounds only skip work), also with an emptied cluster", () => {
    const rng = new SeededRandom('lloyd');
    const n = 2000;
    const d = 3;
    const data = Float32Array.from({ length: n * d }, () => rng.normal(0, 1)); // one blob: many points near the boundaries
    const points = { data, n, d };
    // The last seed lies far from every point, so its cluster empties at once and is re-seeded.
    const init = Float32Array.from([0, 0, 0, 1, 1, 0, -1, 0.5, 0, 50, 50, 50]);
    const fit = kmeans(points, 4, { rng, init, maxIterations: 30, tolerance: 0 });
    expect(fit.iterations).toBeGreaterThan(3);
    expect(Math.min(...fit.sizes)).toBeGreaterThan(0);
    // The reference: every point against every centroid, the same stops and the same re-seed.
    const reference = bruteForceLloyd(points, init, fit.iterations);
    expect(Array.from(fit.labels)).toEqual(Array.from(reference.labels));
    expect(Array.from(fit.centroids)).toEqual(Array.from(reference.centroids));
    expect(fit.inertia).toBeCloseTo(reference.inertia, 6);
  });

  it('silhouette is near 1 for separated blobs and near 0 for one blob cut in two', () => {
    const { points, planted } = blobs(new SeededRandom(2), 600, 3, 3, 0.3);
    expect(silhouette(points, planted, 3)).toBeGreaterThan(0.85);
    const one = blobs(new SeededRandom(3), 600, 1, 3, 1);
    const halves = kmeans(one.points, 2, { rng: new SeededRandom(3) });
    expect(silhouette(one.points, halves.labels, 2)).toBeLessThan(0.45);
  });
});

describe('automatic k', () => {
  it.each([3, 4, 6])('finds the planted k = %i by silhouette', (k) => {
    const { points, planted } = blobs(new SeededRandom(`auto-${k}`), 4000, k, 5, 0.8);
    const choice = chooseClusters(points, { rng: new SeededRandom(9) });
    expect(choice.k).toBe(k);
    expect(choice.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(purity(choice.fit.labels, planted, k)).toBeGreaterThan(0.99);
  });

  it('on more points than the sample: k is chosen on the sample and the final fit covers every point', () => {
    const { points, planted } = blobs(new SeededRandom('big'), 30_000, 4, 6, 1);
    const choice = chooseClusters(points, { rng: new SeededRandom(5), sampleSize: 3000, silhouetteSample: 800 });
    expect(choice.k).toBe(4);
    expect(choice.fit.labels).toHaveLength(30_000);
    expect(purity(choice.fit.labels, planted, 4)).toBeGreaterThan(0.99);
  });
});

describe('describeCentroid', () => {
  it('names the strongest features by z-score, one phrase per kind of share', () => {
    const features = [
      { name: 'orders', high: 'buys often', low: 'rarely buys' }, { name: 'price quantile', high: 'high price band', low: 'low price band' },
      { name: 'app share', high: 'mostly app', low: 'rarely app' }, { name: 'web share', high: 'mostly web', low: 'rarely web' },
      { name: 'interest in 数码', high: 'interested in 数码', low: 'not into 数码' }, { name: 'events', high: 'very active', low: 'few visits' },
    ];
    expect(describeCentroid([1.8, 1.1, 2.2, -2.0, 0.9, 0.1], features).text).toBe('mostly app, buys often, high price band, interested in 数码');
    expect(describeCentroid([0.1, -0.2, 0, 0, 0, 0.3], features).text).toBe('close to the average profile');
  });
});
