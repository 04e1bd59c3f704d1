import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import type { FloatArray } from './dense.js';
import { cholesky, invertSpd, solveCholesky, solveLower, solveLowerTransposed, solveSpd } from './linalg.js';
import { matmul } from './matmul.js';
import { SeededRandom } from './random.js';

/** XᵀX + λI for a random (n + 3)×n X: symmetric positive definite, condition kept moderate by λ. */
function randomSpd(n: number, seed: string, lambda = 0.5): Float64Array {
  const rng = new SeededRandom(seed);
  const rows = n + 3;
  const x = Float64Array.from({ length: rows * n }, () => rng.normal());
  const a = matmul(x, x, new Float64Array(n * n), n, rows, n, { transA: true });
  for (let i = 0; i < n; i++) a[i * n + i]! += lambda * rows;
  return a;
}

function residual(a: FloatArray, x: FloatArray, b: FloatArray, n: number, nrhs: number): number {
  const ax = matmul(a, x, new Float64Array(n * nrhs), n, n, nrhs);
  let worst = 0;
  for (let i = 0; i < n * nrhs; i++) worst = Math.max(worst, Math.abs(ax[i]! - b[i]!));
  return worst;
}

describe('cholesky', () => {
  it('factors a small SPD matrix by hand', () => {
    const a = new Float64Array([4, 0, 2, 3]);
    cholesky(a, 2);
    expect(a[0]).toBe(2);
    expect(a[2]).toBe(1);
    expect(a[3]).toBeCloseTo(Math.SQRT2, 14);
  });

  for (const n of [1, 7, 64, 200]) {
    it(`L·Lᵀ reproduces A (n = ${n}${n >= 160 ? ', blocked' : ''})`, () => {
      const a = randomSpd(n, `chol-${n}`);
      const l = cholesky(a.slice(), n);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
      const llt = matmul(l, l, new Float64Array(n * n), n, n, n, { transB: true });
      let worst = 0;
      for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(llt[i]! - a[i]!) / (1 + Math.abs(a[i]!)));
      expect(worst).toBeLessThan(1e-12);
    });
  }

  it('names the pivot that is not positive', () => {
    // Leading 2×2 block is SPD; the third pivot is 1 − 1 − 1 = −1.
    const a = new Float64Array([1, 0, 1, 0, 1, 1, 1, 1, 1]);
    let caught: unknown;
    try {
      cholesky(a, 3);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).kind).toBe('invalid');
    expect((caught as AppError).message).toMatch(/not positive definite: pivot 2 .* is -1/);
    expect((caught as AppError).detail.index).toBe(2);
    expect(() => cholesky(new Float64Array([Number.NaN]), 1)).toThrow(/pivot 0/);
  });

  it('names the pivot in the blocked path too', () => {
    const n = 180;
    const a = randomSpd(n, 'chol-bad');
    a[170 * n + 170] = -1e6;
    expect(() => cholesky(a, n)).toThrow(/pivot 170 /);
  });
});

describe('triangular solves and solveSpd', () => {
  for (const [n, nrhs] of [[1, 1], [5, 1], [64, 1], [64, 8], [33, 3]] as const) {
    it(`solves A·X = B with a small residual (n = ${n}, ${nrhs} right-hand side${nrhs > 1 ? 's' : ''})`, () => {
      const a = randomSpd(n, `solve-${n}-${nrhs}`);
      const rng = new SeededRandom(`rhs-${n}-${nrhs}`);
      const b = Float64Array.from({ length: n * nrhs }, () => rng.normal());
      const aBefore = a.slice();
      const x = solveSpd(a, b, n, nrhs);
      expect(a).toEqual(aBefore); // inputs untouched by default
      expect(residual(a, x, b, n, nrhs)).toBeLessThan(1e-10);
      // Overwrite mode leaves the factor in `a2` and the solution in `b2`.
      const a2 = a.slice();
      const b2 = b.slice();
      expect(solveSpd(a2, b2, n, nrhs, { overwrite: true })).toBe(b2);
      expect(residual(a, b2, b, n, nrhs)).toBeLessThan(1e-10);
      // The same through the pieces, on Float32 data.
      const l32 = cholesky(Float32Array.from(a), n);
      const x32 = solveCholesky(l32, n, Float32Array.from(b), nrhs);
      expect(residual(a, x32, b, n, nrhs) / Math.max(1, Math.max(...Array.from(b, Math.abs)))).toBeLessThan(1e-3);
    });
  }

  it('solveLower and solveLowerTransposed invert L and Lᵀ', () => {
    // L = [[2, 0], [1, 4]]
    const l = new Float64Array([2, 99, 1, 4]); // the 99 above the diagonal is never read
    expect(Array.from(solveLower(l, 2, new Float64Array([2, 9])))).toEqual([1, 2]);
    expect(Array.from(solveLowerTransposed(l, 2, new Float64Array([4, 8])))).toEqual([1, 2]);
  });

  it('rejects right-hand sides of the wrong size', () => {
    expect(() => solveSpd(new Float64Array(4), new Float64Array(3), 2, 2)).toThrow(/need 2×2 = 4 values/);
  });
});

describe('invertSpd', () => {
  for (const n of [1, 9, 100, 230]) {
    it(`A⁻¹·A ≈ I (n = ${n}${n >= 160 ? ', blocked' : ''}) and the inverse is symmetric`, () => {
      const a = randomSpd(n, `inv-${n}`);
      const inv = invertSpd(a, n);
      const prod = matmul(inv, a, new Float64Array(n * n), n, n, n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          worst = Math.max(worst, Math.abs(prod[i * n + j]! - (i === j ? 1 : 0)));
          expect(inv[i * n + j]).toBe(inv[j * n + i]);
        }
      }
      expect(worst).toBeLessThan(1e-10);
    });
  }

  it('keeps the element type', () => {
    const inv = invertSpd(new Float32Array([4, 0, 0, 2]), 2);
    expect(inv).toBeInstanceOf(Float32Array);
    expect(Array.from(inv)).toEqual([0.25, 0, 0, 0.5]);
  });
});
