import { describe, expect, it } from 'vitest';
import { AliasTable, SeededRandom } from './random.js';

const N = 100_000;

function mean(draw: () => number, n = N): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += draw();
  return s / n;
}

function variance(draw: () => number, n = N): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  return s2 / n - (s / n) ** 2;
}

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed, numeric or string', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom('42');
    const seqA = Array.from({ length: 50 }, () => a.nextUint32());
    expect(Array.from({ length: 50 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 50 }, () => c.nextUint32())).toEqual(seqA);
  });

  it('gives different sequences for different seeds', () => {
    const seqs = [1, 2, 3, 'shop', 'shoq'].map((seed) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: 8 }, () => rng.nextUint32()).join(',');
    });
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('forks streams that depend only on seed and label, not on draws made before', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    for (let i = 0; i < 100; i++) b.next();
    const fa = a.fork('users');
    const fb = b.fork('users');
    expect(Array.from({ length: 10 }, () => fa.next())).toEqual(Array.from({ length: 10 }, () => fb.next()));
    const other = a.fork('items');
    const parent = new SeededRandom(7);
    const forked = a.fork('users');
    const x = Array.from({ length: 10 }, () => other.next());
    expect(x).not.toEqual(Array.from({ length: 10 }, () => forked.next()));
    expect(x).not.toEqual(Array.from({ length: 10 }, () => parent.next()));
  });

  it('draws uniform floats in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new SeededRandom(1);
    let min = 1;
    let max = 0;
    for (let i = 0; i < N; i++) {
      const x = rng.next();
      const y = rng.nextDouble();
      min = Math.min(min, x, y);
      max = Math.max(max, x, y);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(mean(() => rng.next())).toBeCloseTo(0.5, 2);
    expect(variance(() => rng.next())).toBeCloseTo(1 / 12, 2);
    expect(mean(() => rng.range(10, 20))).toBeCloseTo(15, 1);
  });

  it('draws integers evenly over [0, n)', () => {
    const rng = new SeededRandom(2);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => rng.int(0)).toThrow(/int\(n\)/);
  });

  it('matches the moments of normal, lognormal, exponential, bernoulli', () => {
    const rng = new SeededRandom(3);
    expect(mean(() => rng.normal(5, 2))).toBeCloseTo(5, 1);
    expect(Math.sqrt(variance(() => rng.normal(5, 2)))).toBeCloseTo(2, 1);
    expect(mean(() => rng.lognormal(0, 0.5))).toBeCloseTo(Math.exp(0.125), 1);
    expect(mean(() => rng.exponential(4))).toBeCloseTo(0.25, 2);
    expect(mean(() => (rng.bernoulli(0.3) ? 1 : 0))).toBeCloseTo(0.3, 2);
  });

  it('matches the mean and variance of poisson for small and large lambda', () => {
    const rng = new SeededRandom(4);
    for (const lambda of [0.3, 3, 9.5, 12, 80, 2000]) {
      const m = mean(() => rng.poisson(lambda), 50_000);
      const v = variance(() => rng.poisson(lambda), 50_000);
      expect(Math.abs(m - lambda) / lambda).toBeLessThan(0.03);
      expect(Math.abs(v - lambda) / lambda).toBeLessThan(0.08);
    }
    expect(rng.poisson(0)).toBe(0);
  });

  it('matches the mean of gamma and beta and gives dirichlet points on the simplex', () => {
    const rng = new SeededRandom(5);
    for (const shape of [0.2, 1, 2.5, 9]) {
      expect(Math.abs(mean(() => rng.gamma(shape, 2), 50_000) - 2 * shape) / (2 * shape)).toBeLessThan(0.04);
    }
    expect(mean(() => rng.beta(2, 6))).toBeCloseTo(0.25, 2);
    const alphas = [0.5, 1, 2.5];
    const sums = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      const p = rng.dirichlet(alphas);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      for (let j = 0; j < 3; j++) sums[j]! += p[j]!;
    }
    sums.forEach((s, j) => expect(s / 20_000).toBeCloseTo(alphas[j]! / 4, 2));
    const sparse = rng.dirichlet(new Array(50).fill(0.001));
    expect(sparse.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('draws categories in proportion to their weights, by scan and by alias table', () => {
    const rng = new SeededRandom(6);
    const weights = [1, 0, 3, 6];
    const table = new AliasTable(weights);
    const byScan = [0, 0, 0, 0];
    const byAlias = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) {
      byScan[rng.categorical(weights)]!++;
      byAlias[table.sample(rng)]!++;
    }
    for (const counts of [byScan, byAlias]) {
      expect(counts[1]).toBe(0);
      counts.forEach((c, i) => expect(c / N).toBeCloseTo(weights[i]! / 10, 2));
    }
    expect(() => new AliasTable([0, 0])).toThrow(/positive sum/);
    expect(() => rng.categorical([])).toThrow(/positive finite sum/);
  });

  it('picks, shuffles and samples without replacement', () => {
    const rng = new SeededRandom(8);
    const items = Array.from({ length: 100 }, (_, i) => i);
    expect(items).toContain(rng.pick(items));
    expect(() => rng.pick([])).toThrow(/empty/);
    const shuffled = rng.shuffle(items.slice());
    expect(shuffled).not.toEqual(items);
    expect(shuffled.slice().sort((a, b) => a - b)).toEqual(items);
    for (const k of [0, 3, 60, 100, 150]) {
      const sample = rng.sampleWithoutReplacement(items, k);
      expect(sample).toHaveLength(Math.min(k, 100));
      expect(new Set(sample).size).toBe(sample.length);
    }
    // every element is equally likely to be chosen
    const hits = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) for (const x of rng.sampleWithoutReplacement(items.slice(0, 10), 2)) hits[x]++;
    for (const h of hits) expect(Math.abs(h - 4000)).toBeLessThan(300);
    const weighted = rng.weightedSampleWithoutReplacement([0, 5, 1, 0, 2], 10);
    expect(weighted.slice().sort()).toEqual([1, 2, 4]);
    let firstIsHeavy = 0;
    for (let i = 0; i < 10_000; i++) if (rng.weightedSampleWithoutReplacement([1, 8, 1], 1)[0] === 1) firstIsHeavy++;
    expect(firstIsHeavy / 10_000).toBeCloseTo(0.8, 1);
  });
});
