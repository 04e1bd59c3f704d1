import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../math/random.js';
import { averageLinkage } from './average-linkage.js';

/** The naive O(n³) average linkage: merge the closest pair of clusters, mean member distance. */
function naive(d: Float64Array, n: number): number[] {
  let clusters = Array.from({ length: n }, (_, i) => [i]);
  const heights: number[] = [];
  while (clusters.length > 1) {
    let best = Infinity;
    let pair: [number, number] = [0, 1];
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        let s = 0;
        for (const i of clusters[a]!) for (const j of clusters[b]!) s += d[i * n + j]!;
        const mean = s / (clusters[a]!.length * clusters[b]!.length);
        if (mean < best) {
          best = mean;
          pair = [a, b];
        }
      }
    }
    heights.push(best);
    const merged = [...clusters[pair[0]]!, ...clusters[pair[1]]!];
    clusters = clusters.filter((_, k) => k !== pair[0] && k !== pair[1]).concat([merged]);
  }
  return heights;
}

describe('averageLinkage', () => {
  it('merges the closest pair first and averages distances (UPGMA)', () => {
    const d = new Float64Array([0, 0.1, 0.9, 0.1, 0, 0.8, 0.9, 0.8, 0]);
    const tree = averageLinkage(d.slice(), 3);
    expect(Array.from(tree.left)).toEqual([0, 2]);
    expect(Array.from(tree.right)).toEqual([1, 3]);
    expect(tree.height[0]).toBeCloseTo(0.1, 12);
    expect(tree.height[1]).toBeCloseTo(0.85, 12);
    expect(Array.from(tree.size)).toEqual([2, 3]);
  });

  it('gives the same merge heights as the naive algorithm on random points', () => {
    const rng = new SeededRandom(3);
    const n = 40;
    const points = Array.from({ length: n }, () => [rng.next(), rng.next()]);
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.hypot(points[i]![0]! - points[j]![0]!, points[i]![1]! - points[j]![1]!);
    const expected = naive(d, n);
    const tree = averageLinkage(d.slice(), n);
    expect(tree.height.length).toBe(n - 1);
    Array.from(tree.height).forEach((h, m) => expect(h).toBeCloseTo(expected[m]!, 10));
    for (let m = 1; m < n - 1; m++) expect(tree.height[m]!).toBeGreaterThanOrEqual(tree.height[m - 1]!);
    expect(tree.size[n - 2]).toBe(n);
  });

  it('handles zero and one leaf', () => {
    expect(averageLinkage(new Float64Array(0), 0).height.length).toBe(0);
    expect(averageLinkage(new Float64Array(1), 1).height.length).toBe(0);
    expect(() => averageLinkage(new Float64Array(3), 2)).toThrow(/n×n/);
  });
});
