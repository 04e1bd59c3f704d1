import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';
import { csrMulTransposed } from './sparse-product.js';
import { csrFromCoo } from './sparse.js';

// 4 users × 3 items: u0 {i0, i1}, u1 {i0, i1, i2}, u2 {i1}, u3 {i2}
const userItem = () => csrFromCoo(4, 3, [0, 0, 1, 1, 1, 2, 3], [0, 1, 0, 1, 2, 1, 2]);

describe('csrMulTransposed', () => {
  it('gives item–item co-occurrence counts from a user×item matrix', () => {
    const itemUser = userItem().transpose();
    const co = csrMulTransposed(itemUser);
    // i0·i0 = 2, i0·i1 = 2 (u0, u1), i0·i2 = 1 (u1); i1·i1 = 3, i1·i2 = 1; i2·i2 = 2
    expect(Array.from(co.toDense())).toEqual([2, 2, 1, 2, 3, 1, 1, 1, 2]);
    const noSelf = csrMulTransposed(itemUser, itemUser, { excludeDiagonal: true });
    expect(Array.from(noSelf.toDense())).toEqual([0, 2, 1, 2, 0, 1, 1, 1, 0]);
    expect(noSelf.nnz).toBe(6);
  });

  it('accepts B already stored by columns (a user×item CSR is item×user by columns)', () => {
    const x = userItem();
    const itemUser = x.transpose();
    const viaCsc = csrMulTransposed(itemUser, x.transpose().toCsc());
    expect(Array.from(viaCsc.toDense())).toEqual(Array.from(csrMulTransposed(itemUser).toDense()));
  });

  it('keeps the top k per row in column order, ties to the lower column', () => {
    const itemUser = userItem().transpose();
    const top1 = csrMulTransposed(itemUser, itemUser, { k: 1, excludeDiagonal: true });
    // i0: i1 (2) beats i2 (1); i1: i0 (2) beats i2 (1); i2: i0 and i1 tie at 1, the lower column wins.
    expect(Array.from(top1.indptr)).toEqual([0, 1, 2, 3]);
    expect(Array.from(top1.indices)).toEqual([1, 0, 0]);
    expect(Array.from(top1.values)).toEqual([2, 2, 1]);
    const top2 = csrMulTransposed(itemUser, itemUser, { k: 2 });
    expect(Array.from(top2.rowIndices(1))).toEqual([0, 1]); // 3 (self) and 2, in column order
  });

  it('gives cosine similarities on L2-normalised rows and computes a row range', () => {
    const itemUser = userItem().transpose().normalizeRows();
    const cos = csrMulTransposed(itemUser, itemUser, { rowStart: 1, rowEnd: 2 });
    expect(cos.rows).toBe(1);
    const row = Array.from(cos.toDense());
    expect(row[0]).toBeCloseTo(2 / Math.sqrt(2 * 3), 12);
    expect(row[1]).toBeCloseTo(1, 12);
    expect(row[2]).toBeCloseTo(1 / Math.sqrt(3 * 2), 12);
  });

  it('matches a dense product on a random matrix, with and without top-k', () => {
    const rng = new SeededRandom('spgemm');
    const rows = 30;
    const cols = 25;
    const n = 200;
    const a = csrFromCoo(rows, cols, Array.from({ length: n }, () => rng.int(rows)), Array.from({ length: n }, () => rng.int(cols)), Array.from({ length: n }, () => rng.range(0, 1)));
    const b = csrFromCoo(12, cols, Array.from({ length: 60 }, () => rng.int(12)), Array.from({ length: 60 }, () => rng.int(cols)), Array.from({ length: 60 }, () => rng.range(0, 1)));
    const da = a.toDense();
    const db = b.toDense();
    const got = csrMulTransposed(a, b).toDense();
    const top3 = csrMulTransposed(a, b, { k: 3 });
    for (let i = 0; i < rows; i++) {
      const want = Array.from({ length: 12 }, (_, j) => {
        let s = 0;
        for (let u = 0; u < cols; u++) s += da[i * cols + u]! * db[j * cols + u]!;
        return s;
      });
      want.forEach((w, j) => expect(got[i * 12 + j]).toBeCloseTo(w, 12));
      const best = want.map((s, j) => ({ s, j })).filter(({ s }) => s > 0).sort((p, q) => q.s - p.s || p.j - q.j).slice(0, 3).map(({ j }) => j).sort((p, q) => p - q);
      expect(Array.from(top3.rowIndices(i))).toEqual(best);
    }
    expect(() => csrMulTransposed(a, csrFromCoo(2, 3, [], []))).toThrow(/A has 25 columns, B has 3/);
  });

  it('breaks the many ties of co-occurrence counts by the lower column', () => {
    const rng = new SeededRandom('co-ties');
    const users = 60;
    const items = 40;
    const x = csrFromCoo(users, items, Array.from({ length: 300 }, () => rng.int(users)), Array.from({ length: 300 }, () => rng.int(items)));
    const binary = x.transpose();
    binary.values.fill(1);
    const co = csrMulTransposed(binary).toDense();
    for (const k of [1, 3, 7]) {
      const top = csrMulTransposed(binary, binary, { k, excludeDiagonal: true });
      for (let i = 0; i < items; i++) {
        const want = Array.from({ length: items }, (_, j) => ({ j, s: co[i * items + j]! }))
          .filter(({ j, s }) => j !== i && s > 0)
          .sort((p, q) => q.s - p.s || p.j - q.j)
          .slice(0, k)
          .map(({ j }) => j)
          .sort((p, q) => p - q);
        expect(Array.from(top.rowIndices(i))).toEqual(want);
      }
    }
  });
});
