import { describe, expect, it } from 'vitest';
import { axpy, cosine, cosineRows, dot, dotAt, norm, rowNormsDense, scale } from './vector.js';

const f64 = (...v: number[]) => new Float64Array(v);

describe('vector kernels', () => {
  it('dot and dotAt, including lengths that are not a multiple of four', () => {
    expect(dot(f64(1, 2), f64(3, 4))).toBe(11);
    expect(dot(f64(1, 2, 3, 4, 5), f64(1, 1, 1, 1, 2))).toBe(20);
    expect(dot(f64(), f64())).toBe(0);
    expect(dotAt(f64(9, 1, 2, 3), 1, new Float32Array([0, 0, 4, 5, 6]), 2, 3)).toBe(4 + 10 + 18);
    expect(() => dot(f64(1), f64(1, 2))).toThrow(/different lengths/);
  });

  it('axpy, scale and norm work in place', () => {
    const y = f64(1, 1, 1);
    expect(Array.from(axpy(2, f64(1, 2, 3), y))).toEqual([3, 5, 7]);
    expect(Array.from(scale(y, 0.5))).toEqual([1.5, 2.5, 3.5]);
    expect(norm(f64(3, 4))).toBe(5);
  });

  it('cosine is 0 for zero vectors and ±1 for (anti)parallel ones', () => {
    expect(cosine(f64(0, 0), f64(1, 2))).toBe(0);
    expect(cosine(f64(0, 0), f64(0, 0))).toBe(0);
    expect(cosine(f64(1, 2), f64(2, 4))).toBeCloseTo(1, 12);
    expect(cosine(f64(1, 2), f64(-1, -2))).toBeCloseTo(-1, 12);
    expect(cosine(f64(1, 0), f64(1, 1))).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('cosineRows scores a query against every row, with or without precomputed norms', () => {
    const data = f64(1, 0, 0, 1, 1, 1, 0, 0); // rows: e1, e2, (1,1), zero
    const q = f64(1, 0);
    const want = [1, 0, Math.SQRT1_2, 0];
    const got = cosineRows(q, data, 4, 2);
    want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12));
    const norms = rowNormsDense(data, 4, 2);
    expect(Array.from(norms)).toEqual([1, 1, Math.SQRT2, 0]);
    const again = cosineRows(q, data, 4, 2, new Float32Array(4), norms);
    want.forEach((w, i) => expect(again[i]).toBeCloseTo(w, 6));
    expect(Array.from(cosineRows(f64(0, 0), data, 4, 2))).toEqual([0, 0, 0, 0]);
    expect(() => cosineRows(f64(1, 2, 3), data, 4, 2)).toThrow(/query has 3 values/);
  });
});
