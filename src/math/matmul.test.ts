import { describe, expect, it } from 'vitest';
import type { FloatArray } from './dense.js';
import { gemv, matmul } from './matmul.js';
import { SeededRandom } from './random.js';

function randomArray<T extends FloatArray>(Type: new (n: number) => T, n: number, rng: SeededRandom): T {
  const out = new Type(n);
  for (let i = 0; i < n; i++) out[i] = rng.range(-1, 1);
  return out;
}

/** The reference: a plain triple loop in double precision. */
function naive(a: FloatArray, b: FloatArray, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

const SIZES: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [17, 33, 9], [4, 4, 4], [130, 260, 5], [5, 300, 131], [2, 3, 2051]];

describe('matmul', () => {
  for (const Type of [Float64Array, Float32Array] as (new (n: number) => FloatArray)[]) {
    const tol = Type === Float64Array ? 1e-12 : 1e-5;
    const typeName = Type === Float64Array ? 'Float64Array' : 'Float32Array';
    for (const [m, k, n] of SIZES) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          it(`${typeName} ${m}×${k}×${n} transA=${transA} transB=${transB} matches the triple loop`, () => {
            const rng = new SeededRandom(`${m}-${k}-${n}-${transA}-${transB}`);
            const a = randomArray(Type, m * k, rng);
            const b = randomArray(Type, k * n, rng);
            const want = naive(a, b, m, k, n, transA, transB);
            const c = new Type(m * n).fill(Number.NaN); // overwritten, NaN included
            matmul(a, b, c, m, k, n, { transA, transB });
            expect(maxDiff(c, want)).toBeLessThan(tol * Math.max(1, k / 10));
            // accumulate with alpha: C ← C − 2·A·B gives −want
            matmul(a, b, c, m, k, n, { transA, transB, accumulate: true, alpha: -2 });
            expect(maxDiff(c, want.map((v) => -v))).toBeLessThan(3 * tol * Math.max(1, k / 10));
          });
        }
      }
    }
  }

  it('works on blocks of larger matrices through strides and offsets', () => {
    const rng = new SeededRandom('strides');
    // A is the 3×4 block at (1, 2) of a 6×9 matrix, B the 4×5 block at (2, 1) of 7×8, C the 3×5 block at (2, 3) of 5×10.
    const big = { a: randomArray(Float64Array, 6 * 9, rng), b: randomArray(Float64Array, 7 * 8, rng), c: new Float64Array(5 * 10).fill(7) };
    matmul(big.a, big.b, big.c, 3, 4, 5, { lda: 9, aOffset: 1 * 9 + 2, ldb: 8, bOffset: 2 * 8 + 1, ldc: 10, cOffset: 2 * 10 + 3 });
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 10; j++) {
        const inside = i >= 2 && j >= 3 && j < 8;
        if (!inside) {
          expect(big.c[i * 10 + j]).toBe(7);
          continue;
        }
        let s = 0;
        for (let p = 0; p < 4; p++) s += big.a[(1 + i - 2) * 9 + 2 + p]! * big.b[(2 + p) * 8 + 1 + j - 3]!;
        expect(big.c[i * 10 + j]).toBeCloseTo(s, 12);
      }
    }
  });

  it('k = 0 gives zeros, and a too-short array is named', () => {
    const c = new Float32Array(6).fill(3);
    matmul(new Float32Array(0), new Float32Array(0), c, 2, 0, 3);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => matmul(new Float64Array(5), new Float64Array(6), new Float64Array(4), 2, 3, 2)).toThrow(/matmul: a holds 5 values/);
  });
});

describe('gemv', () => {
  it('computes A·x and Aᵀ·x with accumulate and alpha', () => {
    const rng = new SeededRandom('gemv');
    for (const [m, n] of [[1, 1], [7, 5], [9, 13]] as const) {
      const a = randomArray(Float64Array, m * n, rng);
      const x = randomArray(Float64Array, n, rng);
      const r = randomArray(Float64Array, m, rng);
      const y = gemv(a, x, new Float64Array(m), m, n);
      expect(maxDiff(y, naive(a, x, m, n, 1, false, false))).toBeLessThan(1e-12);
      const g = gemv(a, r, new Float32Array(n).fill(1), m, n, { trans: true, accumulate: true, alpha: 2 });
      const want = naive(a, r, n, m, 1, true, false).map((v) => 1 + 2 * v);
      expect(maxDiff(g, want)).toBeLessThan(1e-5);
    }
  });
});
