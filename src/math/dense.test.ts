import { describe, expect, it } from 'vitest';
import { allocFloat, DenseMatrix, kindOf, transposeInto } from './dense.js';

describe('DenseMatrix', () => {
  it('builds from rows, reads and writes entries, and gives row views', () => {
    const m = DenseMatrix.fromRows([[1, 2, 3], [4, 5, 6]]);
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(m.data).toBeInstanceOf(Float64Array);
    expect(m.get(1, 2)).toBe(6);
    m.set(0, 1, 9);
    expect(Array.from(m.row(0))).toEqual([1, 9, 3]);
    m.row(1)[0] = 7; // a view: writes go to the matrix
    expect(m.get(1, 0)).toBe(7);
    expect(() => m.row(2)).toThrow(/row 2 is outside 0..1/);
    expect(() => DenseMatrix.fromRows([[1, 2], [3]])).toThrow(/row 1 has 1 values/);
    expect(() => new DenseMatrix(2, 2, new Float32Array(3))).toThrow(/needs 4 values/);
  });

  it('zeros, identity, copy and transpose keep the element type', () => {
    const z = DenseMatrix.zeros(2, 3, 'float32');
    expect(z.data).toBeInstanceOf(Float32Array);
    expect(Array.from(DenseMatrix.identity(2).data)).toEqual([1, 0, 0, 1]);
    const m = DenseMatrix.fromRows([[1, 2, 3], [4, 5, 6]], 'float32');
    const c = m.copy();
    c.set(0, 0, 100);
    expect(m.get(0, 0)).toBe(1);
    const t = m.transpose();
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.toRows()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('transposes across tile boundaries', () => {
    const rows = 37;
    const cols = 70;
    const src = Float64Array.from({ length: rows * cols }, (_, i) => i);
    const dst = new Float64Array(rows * cols);
    transposeInto(src, dst, rows, cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expect(dst[j * rows + i]).toBe(src[i * cols + j]);
  });

  it('allocFloat and kindOf', () => {
    expect(kindOf(allocFloat('float32', 3))).toBe('float32');
    expect(kindOf(allocFloat('float64', 0))).toBe('float64');
    expect(() => allocFloat('float64', -1)).toThrow(/integer ≥ 0/);
  });
});
