import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';
import { kthLargest, TopKHeap, topK, topKScored } from './topk.js';

/** The reference: sort every (index, score) pair. */
function bySort(scores: ArrayLike<number>, k: number, exclude: ReadonlySet<number> = new Set()): number[] {
  return Array.from(scores, (s, i) => ({ s, i }))
    .filter(({ s, i }) => !Number.isNaN(s) && !exclude.has(i))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, k)
    .map(({ i }) => i);
}

describe('topK', () => {
  it('returns indices best first with ties broken by lower index', () => {
    expect(Array.from(topK(new Float64Array([0.5, 0.9, 0.5, 0.1, 0.9]), 3))).toEqual([1, 4, 0]);
    expect(Array.from(topK([3, 3, 3, 3], 2))).toEqual([0, 1]);
  });

  it('k larger than n returns every index; k = 0 returns none', () => {
    expect(Array.from(topK([2, 1, 3], 10))).toEqual([2, 0, 1]);
    expect(topK([2, 1, 3], 0)).toHaveLength(0);
    expect(topK([], 5)).toHaveLength(0);
    expect(() => topK([1], -1)).toThrow(/integer k/);
  });

  it('skips excluded indices given as a set or a list', () => {
    const scores = new Float32Array([0.1, 0.9, 0.5, 0.7]);
    expect(Array.from(topK(scores, 2, [1]))).toEqual([3, 2]);
    expect(Array.from(topK(scores, 2, new Set([1, 3])))).toEqual([2, 0]);
    expect(Array.from(topK(scores, 10, [0, 1, 2, 3]))).toEqual([]);
  });

  it('NaN never ranks, while ±Infinity does', () => {
    const scores = [Number.NaN, 1, Number.NaN, -Infinity, Infinity, Number.NaN];
    expect(Array.from(topK(scores, 10))).toEqual([4, 1, 3]);
    expect(Array.from(topK([Number.NaN, Number.NaN], 1))).toEqual([]);
  });

  it('agrees with a full sort on random scores with many ties', () => {
    const rng = new SeededRandom('topk');
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + rng.int(500);
      const scores = Float64Array.from({ length: n }, () => (rng.bernoulli(0.05) ? Number.NaN : rng.int(20)));
      const exclude = new Set(Array.from({ length: rng.int(10) }, () => rng.int(n)));
      const k = rng.int(60);
      expect(Array.from(topK(scores, k, exclude))).toEqual(bySort(scores, k, exclude));
    }
  });

  it('topKScored returns the scores beside the ids', () => {
    const { ids, scores } = topKScored([0.2, 0.8, 0.4], 2);
    expect(Array.from(ids)).toEqual([1, 2]);
    expect(Array.from(scores)).toEqual([0.8, 0.4]);
  });
});

describe('TopKHeap', () => {
  it('is independent of push order and reusable after drain', () => {
    const pairs: [number, number][] = [[5, 1], [2, 3], [9, 3], [1, 2], [7, 0.5], [3, 3]];
    const heap = new TopKHeap(3);
    for (const [id, s] of pairs) heap.push(id, s);
    const first = heap.drain();
    expect(heap.size).toBe(0);
    for (const [id, s] of [...pairs].reverse()) heap.push(id, s);
    const second = heap.drain();
    expect(Array.from(first.ids)).toEqual([2, 3, 9]);
    expect(Array.from(second.ids)).toEqual([2, 3, 9]);
    expect(Array.from(first.scores)).toEqual([3, 3, 3]);
  });

  it('reports the bar to beat and stores Float32 scores when asked', () => {
    const heap = new TopKHeap<Float32Array>(2, 'float32');
    expect(heap.threshold).toBe(-Infinity);
    heap.push(0, 0.1);
    heap.push(1, 0.3);
    expect(heap.threshold).toBe(Math.fround(0.1));
    expect(heap.push(2, 0.05)).toBe(false);
    expect(heap.push(3, Number.NaN)).toBe(false);
    expect(heap.push(4, 0.2)).toBe(true);
    const { ids, scores } = heap.drain();
    expect(scores).toBeInstanceOf(Float32Array);
    expect(Array.from(ids)).toEqual([1, 4]);
  });
});

describe('kthLargest', () => {
  it('agrees with a sort, duplicates included', () => {
    const rng = new SeededRandom('kth');
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + rng.int(300);
      const values = Float64Array.from({ length: n }, () => rng.int(trial % 2 ? 5 : 1000));
      const sorted = Array.from(values).sort((a, b) => b - a);
      const k = 1 + rng.int(n);
      expect(kthLargest(values.slice(), n, k)).toBe(sorted[k - 1]);
    }
    expect(kthLargest(new Float64Array([5, 1, 4, 2]), 4, 2)).toBe(4);
    expect(kthLargest(new Float64Array([3, 3, 3]), 3, 3)).toBe(3);
    expect(() => kthLargest(new Float64Array(2), 2, 3)).toThrow(/1 ≤ k ≤ n/);
  });
});
