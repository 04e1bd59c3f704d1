import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { csrMulTransposed } from '../../math/sparse-product.js';
import { CsrMatrix, csrFromCoo } from '../../math/sparse.js';
import { knnSimilarity, NeighbourVote, RowSimilarity, type SimilarityKind } from './knn-similarity.js';

// 3 rows × 4 columns; a blank is not stored.
//        c0 c1 c2 c3
// row 0:  5  3  .  1
// row 1:  4  .  .  1
// row 2:  4  2  5  1
const X = csrFromCoo(3, 4, [0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 1, 3, 0, 3, 0, 1, 2, 3], [5, 3, 1, 4, 1, 4, 2, 5, 1]);

function dense(m: CsrMatrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.get(i, j)));
}

describe('knnSimilarity on a hand-computed 3 × 4 matrix', () => {
  it('cosine over the full rows, shrunk by n / (n + s)', () => {
    const s = dense(knnSimilarity(X, { kind: 'cosine', shrinkage: 1, k: 0 }));
    // ‖r0‖² = 35, ‖r1‖² = 17, ‖r2‖² = 46; co-rated: (0,1) 2 columns, (0,2) 3, (1,2) 2.
    expect(s[0]![1]).toBeCloseTo((21 / Math.sqrt(35 * 17)) * (2 / 3), 6);
    expect(s[0]![2]).toBeCloseTo((27 / Math.sqrt(35 * 46)) * (3 / 4), 6);
    expect(s[1]![2]).toBeCloseTo((17 / Math.sqrt(17 * 46)) * (2 / 3), 6);
    expect(s[2]![1]).toBeCloseTo(s[1]![2]!, 7);
    expect([s[0]![0], s[1]![1], s[2]![2]]).toEqual([0, 0, 0]);
  });

  it('pearson over the co-rated columns, each side centred on its own co-rated mean', () => {
    const s = dense(knnSimilarity(X, { kind: 'pearson', shrinkage: 2, k: 0 }));
    // (0,1) on c0, c3: (5,1) vs (4,1) — two points rising together: r = 1.
    expect(s[0]![1]).toBeCloseTo(1 * (2 / 4), 6);
    // (0,2) on c0, c1, c3: (5,3,1) − 3 = (2,0,−2) vs (4,2,1) − 7/3 = (5/3,−1/3,−4/3): cov 6, var 8 and 42/9.
    expect(s[0]![2]).toBeCloseTo((6 / Math.sqrt(8 * (42 / 9))) * (3 / 5), 6);
    // (1,2) on c0, c3: (4,1) vs (4,1): r = 1.
    expect(s[1]![2]).toBeCloseTo(1 * (2 / 4), 6);
  });

  it('jaccard of the stored patterns (values ignored)', () => {
    const s = dense(knnSimilarity(X, { kind: 'jaccard', shrinkage: 3, k: 0 }));
    // {0,1,3} vs {0,3}: 2/3; {0,1,3} vs all four: 3/4; {0,3} vs all four: 2/4.
    expect(s[0]![1]).toBeCloseTo((2 / 3) * (2 / 5), 6);
    expect(s[0]![2]).toBeCloseTo((3 / 4) * (3 / 6), 6);
    expect(s[1]![2]).toBeCloseTo((2 / 4) * (2 / 5), 6);
  });

  it('drops non-positive similarities: an anti-correlated pair is no neighbour', () => {
    const y = csrFromCoo(2, 3, [0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2], [1, 2, 3, 3, 2, 1]);
    expect(knnSimilarity(y, { kind: 'pearson', k: 0 }).nnz).toBe(0);
    expect(knnSimilarity(y, { kind: 'cosine', k: 0 }).nnz).toBe(2);
  });
});

function naive(x: CsrMatrix, kind: SimilarityKind, shrinkage: number): number[][] {
  const d = dense(x);
  const has = x.toDense().map((_, p) => (x.get(Math.floor(p / x.cols), p % x.cols) !== 0 ? 1 : 0));
  const stored = (i: number, c: number) => has[i * x.cols + c] === 1;
  return d.map((a, i) =>
    d.map((b, j) => {
      if (i === j) return 0;
      const co = a.map((_, c) => c).filter((c) => stored(i, c) && stored(j, c));
      const n = co.length;
      let s = 0;
      if (kind === 'cosine') {
        const na = Math.hypot(...a);
        const nb = Math.hypot(...b);
        s = na * nb > 0 ? co.reduce((t, c) => t + a[c]! * b[c]!, 0) / (na * nb) : 0;
      } else if (kind === 'jaccard') {
        const union = a.map((_, c) => c).filter((c) => stored(i, c) || stored(j, c)).length;
        s = union > 0 ? n / union : 0;
      } else if (n > 0) {
        const ma = co.reduce((t, c) => t + a[c]!, 0) / n;
        const mb = co.reduce((t, c) => t + b[c]!, 0) / n;
        const cov = co.reduce((t, c) => t + (a[c]! - ma) * (b[c]! - mb), 0);
        const va = co.reduce((t, c) => t + (a[c]! - ma) ** 2, 0);
        const vb = co.reduce((t, c) => t + (b[c]! - mb) ** 2, 0);
        s = va * vb > 1e-12 ? cov / Math.sqrt(va * vb) : 0;
      }
      s *= n / (n + shrinkage);
      return s > 1e-9 ? s : 0;
    }),
  );
}

function randomMatrix(rows: number, cols: number, seed: number): CsrMatrix {
  const rng = new SeededRandom(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (rng.next() < 0.4) (r.push(i), c.push(j), v.push(1 + rng.int(5)));
  return csrFromCoo(rows, cols, r, c, v);
}

describe('knnSimilarity against a direct computation', () => {
  const x = randomMatrix(30, 20, 3);

  for (const kind of ['cosine', 'pearson', 'jaccard'] as const) {
    it(`${kind}: every pair, and the k best per row with ties to the lower id`, () => {
      const expected = naive(x, kind, 5);
      const all = knnSimilarity(x, { kind, shrinkage: 5, k: 0 });
      const got = dense(all);
      for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.rows; j++) expect(got[i]![j]).toBeCloseTo(expected[i]![j]!, 5);
      const top = knnSimilarity(x, { kind, shrinkage: 5, k: 4 });
      for (let i = 0; i < x.rows; i++) {
        const ranked = Array.from(all.rowIndices(i)).sort((a, b) => all.get(i, b) - all.get(i, a) || a - b);
        expect(Array.from(top.rowIndices(i))).toEqual(ranked.slice(0, 4).sort((a, b) => a - b));
        expect(Array.from(top.rowValues(i))).toEqual(Array.from(top.rowIndices(i), (j) => all.get(i, j)));
      }
    });
  }

  it('cosine without shrinkage is the normalised sparse product csrMulTransposed gives', () => {
    const n = x.normalizeRows();
    const product = csrMulTransposed(n, n, { k: 6, excludeDiagonal: true });
    const ours = knnSimilarity(x, { kind: 'cosine', k: 6 });
    expect(Array.from(ours.indptr)).toEqual(Array.from(product.indptr));
    expect(Array.from(ours.indices)).toEqual(Array.from(product.indices));
    for (let p = 0; p < ours.nnz; p++) expect(ours.values[p]).toBeCloseTo(product.values[p]!, 6);
  });

  it('a query vector gets the similarities its own row would', () => {
    const sim = new RowSimilarity(x, { kind: 'pearson', shrinkage: 5, k: 0 });
    const all = knnSimilarity(x, { kind: 'pearson', shrinkage: 5, k: 0 });
    const { ids, sims } = sim.query(x.rowIndices(7), x.rowValues(7), 7);
    expect(Array.from(ids)).toEqual(Array.from(all.rowIndices(7)));
    Array.from(sims).forEach((s, t) => expect(s).toBeCloseTo(all.rowValues(7)[t]!, 6));
  });

  it('refuses an unknown similarity, a negative shrinkage and a fractional k', () => {
    for (const options of [{ kind: 'euclid' as SimilarityKind, k: 5 }, { kind: 'cosine' as const, k: 5, shrinkage: -1 }, { kind: 'cosine' as const, k: 1.5 }]) {
      let error: unknown;
      try {
        knnSimilarity(x, options);
      } catch (e) {
        error = e;
      }
      expect(isAppError(error) && error.kind === 'invalid').toBe(true);
    }
  });

  it('stops when cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => knnSimilarity(x, { kind: 'cosine', k: 5, signal: controller.signal })).toThrow(/cancelled/);
  });
});

describe('NeighbourVote', () => {
  it('sums the k most similar candidates, ties going to the one offered first', () => {
    const vote = new NeighbourVote(8);
    vote.reset();
    for (const [sim, value] of [[0.2, 1], [0.5, 2], [0.2, 3], [0.9, 4], [0.2, 5]] as const) vote.offer(sim, value);
    vote.finish(3);
    expect(vote.voters).toBe(3);
    expect(vote.num).toBeCloseTo(0.9 * 4 + 0.5 * 2 + 0.2 * 1, 12);
    expect(vote.den).toBeCloseTo(1.6, 12);
    vote.finish(10);
    expect(vote.voters).toBe(5);
  });
});
