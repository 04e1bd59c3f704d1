import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';
import { CscMatrix, CsrMatrix, cscFromCoo, csrFromCoo } from './sparse.js';

//     c0 c1 c2 c3
// r0 [ 0  2  0  1 ]
// r1 [ 0  0  0  0 ]
// r2 [ 3  0  4  0 ]
const X = () => csrFromCoo(3, 4, [2, 0, 2, 0, 0], [2, 3, 0, 1, 3], [4, 0.5, 3, 2, 0.5]);

describe('CSR and CSC matrices', () => {
  it('builds from COO with duplicates summed and columns ascending', () => {
    const x = X();
    expect(Array.from(x.indptr)).toEqual([0, 2, 2, 4]);
    expect(Array.from(x.indices)).toEqual([1, 3, 0, 2]);
    expect(Array.from(x.values)).toEqual([2, 1, 3, 4]);
    expect(x.nnz).toBe(4);
    expect(x.rowNnz(1)).toBe(0);
    expect(Array.from(x.rowIndices(2))).toEqual([0, 2]);
    expect(Array.from(x.rowValues(0))).toEqual([2, 1]);
    expect([x.get(0, 3), x.get(2, 2), x.get(1, 1), x.get(0, 0)]).toEqual([1, 4, 0, 0]);
    expect(Array.from(x.toDense())).toEqual([0, 2, 0, 1, 0, 0, 0, 0, 3, 0, 4, 0]);
  });

  it('counts 1 per triplet without values, and can store Float32', () => {
    const x = csrFromCoo(2, 2, [0, 0, 1], [1, 1, 0], undefined, 'float32');
    expect(x.values).toBeInstanceOf(Float32Array);
    expect(Array.from(x.toDense())).toEqual([0, 2, 1, 0]);
  });

  it('rejects ids outside the shape and mismatched lengths, naming the entry', () => {
    expect(() => csrFromCoo(2, 2, [0, 2], [0, 0])).toThrow(/row id 2 of entry 1/);
    expect(() => csrFromCoo(2, 2, [0], [0, 1])).toThrow(/must match/);
    expect(() => new CsrMatrix(2, 2, new Int32Array([0, 1]), new Int32Array(1), new Float64Array(1))).toThrow(/indptr needs 3/);
  });

  it('transposes CSR ↔ CSR and CSR ↔ CSC', () => {
    const x = X();
    const t = x.transpose();
    expect([t.rows, t.cols]).toEqual([4, 3]);
    expect(Array.from(t.toDense())).toEqual([0, 0, 3, 2, 0, 0, 0, 0, 4, 1, 0, 0]);
    const c = x.toCsc();
    expect(c).toBeInstanceOf(CscMatrix);
    expect(Array.from(c.colIndices(3))).toEqual([0]);
    expect(Array.from(c.colValues(0))).toEqual([3]);
    expect(c.colNnz(1)).toBe(1);
    expect(Array.from(c.toCsr().toDense())).toEqual(Array.from(x.toDense()));
    const direct = cscFromCoo(3, 4, [2, 0, 2, 0, 0], [2, 3, 0, 1, 3], [4, 0.5, 3, 2, 0.5]);
    expect(Array.from(direct.indptr)).toEqual(Array.from(c.indptr));
    expect(Array.from(direct.indices)).toEqual(Array.from(c.indices));
  });

  it('multiplies by dense vectors from either layout', () => {
    const x = X();
    const v = new Float64Array([1, 2, 3, 4]);
    expect(Array.from(x.mulVec(v))).toEqual([8, 0, 15]);
    expect(Array.from(x.toCsc().mulVec(v))).toEqual([8, 0, 15]);
    expect(Array.from(x.mulTransVec(new Float64Array([1, 5, 2])))).toEqual([6, 2, 8, 1]);
  });

  it('computes row and column norms and normalises rows', () => {
    const x = X();
    expect(Array.from(x.rowNorms())).toEqual([Math.sqrt(5), 0, 5]);
    expect(Array.from(x.columnNorms())).toEqual([3, 2, 4, 1]);
    expect(Array.from(x.toCsc().columnNorms())).toEqual([3, 2, 4, 1]);
    const l2 = x.normalizeRows();
    expect(l2.indices).toBe(x.indices); // structure shared, values new
    expect(Array.from(l2.rowValues(2))).toEqual([0.6, 0.8]);
    expect(Array.from(x.rowValues(2))).toEqual([3, 4]);
    expect(Array.from(x.normalizeRows('l1').rowValues(0))).toEqual([2 / 3, 1 / 3]);
  });

  it('round-trips random triplets against a dense reference', () => {
    const rng = new SeededRandom('coo');
    const rows = 17;
    const cols = 11;
    const n = 120;
    const r = Array.from({ length: n }, () => rng.int(rows));
    const c = Array.from({ length: n }, () => rng.int(cols));
    const v = Array.from({ length: n }, () => rng.int(5) + 1);
    const dense = new Float64Array(rows * cols);
    for (let e = 0; e < n; e++) dense[r[e]! * cols + c[e]!]! += v[e]!;
    const x = csrFromCoo(rows, cols, r, c, v);
    expect(Array.from(x.toDense())).toEqual(Array.from(dense));
    expect(Array.from(x.transpose().transpose().toDense())).toEqual(Array.from(dense));
    for (let i = 0; i < rows; i++) {
      const idx = Array.from(x.rowIndices(i));
      expect(idx).toEqual([...idx].sort((p, q) => p - q));
    }
  });
});
