import { AppError } from '../core/errors.js';
import type { FloatArray } from './dense.js';
import { matmul } from './matmul.js';

// Matrices here are n×n row-major with row stride n. Only the lower triangle of an SPD input is read.
// Above BLOCK_MIN the factorization and the inverse run in NB-wide blocks whose O(n³) part is matmul
// (≈ 4 GFLOP/s here) rather than dot products; the unblocked loops serve ALS-sized systems (k ≤ 128).
const NB = 64;
const BLOCK_MIN = 160;

function checkSquare(name: string, a: FloatArray, n: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw AppError.invalid(`${name}: n must be an integer ≥ 0, got ${n}`, { field: 'n' });
  if (a.length < n * n) throw AppError.invalid(`${name}: an ${n}×${n} matrix needs ${n * n} values, got ${a.length}`, { field: 'matrix' });
}

function checkRhs(name: string, b: FloatArray, n: number, nrhs: number): void {
  if (!(Number.isInteger(nrhs) && nrhs >= 1)) throw AppError.invalid(`${name}: nrhs must be an integer ≥ 1, got ${nrhs}`, { field: 'nrhs' });
  if (b.length < n * nrhs) throw AppError.invalid(`${name}: right-hand sides need ${n}×${nrhs} = ${n * nrhs} values, got ${b.length}`, { field: 'b' });
}

function notPositiveDefinite(pivot: number, value: number): AppError {
  return AppError.invalid(
    `matrix is not positive definite: pivot ${pivot} (row and column ${pivot}) is ${value} after elimination; add a ridge (λ·I) or check the input`,
    { field: 'matrix', index: pivot, pivot: value },
  );
}

/**
 * Unblocked Cholesky–Banachiewicz on the m×m block at `off` (stride lda), two rows × four columns at a
 * time: the shared prefix dots load each L[j..j+3][p] once for both rows (k = 64: 2.9 GFLOP/s here,
 * against 1.7 for one dot at a time), then the small triangle left over is finished one entry at a time.
 */
function choleskyBlock(a: FloatArray, off: number, lda: number, m: number, pivotBase: number): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const ri = off + i * lda;
    const rk = ri + lda;
    let j = 0;
    for (; j + 3 < i; j += 4) {
      const r0 = off + j * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
      let s0 = a[ri + j]!, s1 = a[ri + j + 1]!, s2 = a[ri + j + 2]!, s3 = a[ri + j + 3]!;
      let t0 = a[rk + j]!, t1 = a[rk + j + 1]!, t2 = a[rk + j + 2]!, t3 = a[rk + j + 3]!;
      for (let p = 0; p < j; p++) {
        const x = a[ri + p]!, y = a[rk + p]!;
        const b0 = a[r0 + p]!, b1 = a[r1 + p]!, b2 = a[r2 + p]!, b3 = a[r3 + p]!;
        s0 -= x * b0; s1 -= x * b1; s2 -= x * b2; s3 -= x * b3;
        t0 -= y * b0; t1 -= y * b1; t2 -= y * b2; t3 -= y * b3;
      }
      const d0 = a[r0 + j]!, d1 = a[r1 + j + 1]!, d2 = a[r2 + j + 2]!, d3 = a[r3 + j + 3]!;
      const e10 = a[r1 + j]!, e20 = a[r2 + j]!, e21 = a[r2 + j + 1]!;
      const e30 = a[r3 + j]!, e31 = a[r3 + j + 1]!, e32 = a[r3 + j + 2]!;
      const l0 = s0 / d0;
      const l1 = (s1 - l0 * e10) / d1;
      const l2 = (s2 - l0 * e20 - l1 * e21) / d2;
      a[ri + j] = l0; a[ri + j + 1] = l1; a[ri + j + 2] = l2; a[ri + j + 3] = (s3 - l0 * e30 - l1 * e31 - l2 * e32) / d3;
      const k0 = t0 / d0;
      const k1 = (t1 - k0 * e10) / d1;
      const k2 = (t2 - k0 * e20 - k1 * e21) / d2;
      a[rk + j] = k0; a[rk + j + 1] = k1; a[rk + j + 2] = k2; a[rk + j + 3] = (t3 - k0 * e30 - k1 * e31 - k2 * e32) / d3;
    }
    finishRow(a, off, lda, i, j, pivotBase);
    finishRow(a, off, lda, i + 1, j, pivotBase);
  }
  if (i < m) finishRow(a, off, lda, i, 0, pivotBase);
}

/** Entries j0..r of row r of L, one dot each; the last one is the pivot. */
function finishRow(a: FloatArray, off: number, lda: number, r: number, j0: number, pivotBase: number): void {
  const rr = off + r * lda;
  for (let j = j0; j <= r; j++) {
    const rj = off + j * lda;
    let s = a[rr + j]!;
    for (let p = 0; p < j; p++) s -= a[rr + p]! * a[rj + p]!;
    if (j < r) {
      a[rr + j] = s / a[rj + j]!;
    } else {
      if (!(s > 0) || !Number.isFinite(s)) throw notPositiveDefinite(pivotBase + r, s);
      a[rr + r] = Math.sqrt(s);
    }
  }
}

/**
 * Cholesky factorization in place: the lower triangle of the n×n row-major SPD matrix `a` becomes L
 * with A = L·Lᵀ. Only the lower triangle is read; the strict upper triangle is scratch afterwards
 * (unchanged below 160×160). Throws `AppError` kind invalid naming the first pivot that is not
 * positive. Returns `a`.
 *
 * @example
 * const a = new Float64Array([4, 2, 2, 3]);
 * cholesky(a, 2); // lower triangle now [2, ·, 1, 1.414…]
 */
export function cholesky<T extends FloatArray>(a: T, n: number): T {
  checkSquare('cholesky', a, n);
  if (n < BLOCK_MIN) {
    choleskyBlock(a, 0, n, n, 0);
    return a;
  }
  // Right-looking blocked: factor the diagonal block, solve the panel below it, update the trailing
  // lower triangle block row by block row with matmul (A22 ← A22 − L21·L21ᵀ).
  for (let j0 = 0; j0 < n; j0 += NB) {
    const jb = Math.min(NB, n - j0);
    const j1 = j0 + jb;
    choleskyBlock(a, j0 * n + j0, n, jb, j0);
    for (let i = j1; i < n; i++) {
      const ri = i * n + j0;
      for (let c = 0; c < jb; c++) {
        const rc = (j0 + c) * n + j0;
        let s = a[ri + c]!;
        for (let p = 0; p < c; p++) s -= a[ri + p]! * a[rc + p]!;
        a[ri + c] = s / a[rc + c]!;
      }
    }
    for (let i0 = j1; i0 < n; i0 += NB) {
      const i1 = Math.min(n, i0 + NB);
      matmul(a, a, a, i1 - i0, jb, i1 - j1, {
        transB: true, accumulate: true, alpha: -1,
        aOffset: i0 * n + j0, lda: n, bOffset: j1 * n + j0, ldb: n, cOffset: i0 * n + j1, ldc: n,
      });
    }
  }
  return a;
}

/**
 * Solves L·X = B in place for the lower-triangular `l` (a {@link cholesky} result); B is n×nrhs
 * row-major (one right-hand side per column). Returns `b`.
 *
 * @example
 * solveLower(l, n, b); // b ← L⁻¹·b
 */
export function solveLower<B extends FloatArray>(l: FloatArray, n: number, b: B, nrhs = 1): B {
  checkSquare('solveLower', l, n);
  checkRhs('solveLower', b, n, nrhs);
  forwardRows(l, n, b, nrhs, 0, n);
  return b;
}

/**
 * Solves Lᵀ·X = B in place for the lower-triangular `l` (so the back substitution of a Cholesky solve
 * needs no transposed copy). Returns `b`.
 *
 * @example
 * solveLowerTransposed(l, n, b); // b ← L⁻ᵀ·b
 */
export function solveLowerTransposed<B extends FloatArray>(l: FloatArray, n: number, b: B, nrhs = 1): B {
  checkSquare('solveLowerTransposed', l, n);
  checkRhs('solveLowerTransposed', b, n, nrhs);
  backwardRows(l, n, b, nrhs, 0, n);
  return b;
}

/** Rows r0..r1 of L·X = B, given X rows before r0 already folded into B (blocked use) or r0 = 0. */
function forwardRows(l: FloatArray, n: number, b: FloatArray, w: number, r0: number, r1: number, ldb = w): void {
  if (w === 1 && ldb === 1) {
    for (let i = r0; i < r1; i++) {
      const ri = i * n;
      let s = b[i]!;
      for (let p = r0; p < i; p++) s -= l[ri + p]! * b[p]!;
      b[i] = s / l[ri + i]!;
    }
    return;
  }
  for (let i = r0; i < r1; i++) {
    const ri = i * n;
    const bi = i * ldb;
    for (let p = r0; p < i; p++) {
      const f = l[ri + p]!;
      if (f === 0) continue;
      const bp = p * ldb;
      for (let c = 0; c < w; c++) b[bi + c] = b[bi + c]! - f * b[bp + c]!;
    }
    const d = 1 / l[ri + i]!;
    for (let c = 0; c < w; c++) b[bi + c] = b[bi + c]! * d;
  }
}

/** Rows r0..r1 of Lᵀ·X = B (row i of L scatters into the rows above it: unit stride). */
function backwardRows(l: FloatArray, n: number, b: FloatArray, w: number, r0: number, r1: number, ldb = w): void {
  if (w === 1 && ldb === 1) {
    for (let i = r1 - 1; i >= r0; i--) {
      const ri = i * n;
      const xi = b[i]! / l[ri + i]!;
      b[i] = xi;
      for (let p = r0; p < i; p++) b[p] = b[p]! - l[ri + p]! * xi;
    }
    return;
  }
  for (let i = r1 - 1; i >= r0; i--) {
    const ri = i * n;
    const bi = i * ldb;
    const d = 1 / l[ri + i]!;
    for (let c = 0; c < w; c++) b[bi + c] = b[bi + c]! * d;
    for (let p = r0; p < i; p++) {
      const f = l[ri + p]!;
      if (f === 0) continue;
      const bp = p * ldb;
      for (let c = 0; c < w; c++) b[bp + c] = b[bp + c]! - f * b[bi + c]!;
    }
  }
}

/**
 * Solves A·X = B with a factor from {@link cholesky} (forward then back substitution), in place on
 * `b` (n×nrhs row-major). Returns `b`.
 *
 * @example
 * cholesky(gram, k);
 * for (const rhs of userRhs) solveCholesky(gram, k, rhs); // one factorization, many solves
 */
export function solveCholesky<B extends FloatArray>(l: FloatArray, n: number, b: B, nrhs = 1): B {
  solveLower(l, n, b, nrhs);
  return solveLowerTransposed(l, n, b, nrhs);
}

/**
 * Solves the SPD system A·X = B (B n×nrhs row-major) by Cholesky. By default neither input changes
 * and X is a new array; with `overwrite: true` (no allocation, for ALS inner loops) `a` receives its
 * factor and `b` the solution, which is returned.
 *
 * @example
 * // ALS: (YᵀY + λI)·x = Yᵀr for one user, k = 64
 * const x = solveSpd(gram, rhs, 64);
 * solveSpd(gramScratch, rhsScratch, 64, 1, { overwrite: true }); // the same without allocating
 */
export function solveSpd<B extends FloatArray>(a: FloatArray, b: B, n: number, nrhs = 1, options: { overwrite?: boolean } = {}): B {
  checkSquare('solveSpd', a, n);
  checkRhs('solveSpd', b, n, nrhs);
  const factor = options.overwrite ? a : a.slice(0, n * n);
  const x = options.overwrite ? b : (b.slice(0, n * nrhs) as B);
  cholesky(factor, n);
  return solveCholesky(factor, n, x, nrhs);
}

/**
 * The inverse of an SPD matrix (e.g. EASE's regularised Gram matrix), as a new symmetric array of the
 * same type; `a` is not changed. Cholesky, then L⁻¹ and L⁻ᵀ·L⁻¹ by blocked substitutions whose bulk
 * is matmul, exploiting that L⁻¹ is lower triangular and the result symmetric (≈ n³ flops in all, nearly all
 * in matmul).
 *
 * @example
 * const p = invertSpd(gram, items); // gram = XᵀX + λI, items × items
 */
export function invertSpd<T extends FloatArray>(a: T, n: number): T {
  checkSquare('invertSpd', a, n);
  const l = a.slice(0, n * n) as T;
  cholesky(l, n);
  const x = new (a.constructor as new (len: number) => T)(n * n);
  const nb = n < BLOCK_MIN ? n : NB;
  // Y = L⁻¹ (lower triangular), block row by block row: Y[I, :I1] = L_II⁻¹ (E_I − L[I, :I0]·Y[:I0, :I1]).
  for (let i0 = 0; i0 < n; i0 += nb) {
    const i1 = Math.min(n, i0 + nb);
    for (let i = i0; i < i1; i++) x[i * n + i] = 1;
    // Column block [c0, c1) of Y has zeros above row c0, so only L[I, c0:I0]·Y[c0:I0, c0:c1] counts.
    for (let c0 = 0; c0 < i0; c0 += nb) {
      const c1 = Math.min(i0, c0 + nb);
      matmul(l, x, x, i1 - i0, i0 - c0, c1 - c0, {
        accumulate: true, alpha: -1, aOffset: i0 * n + c0, lda: n, bOffset: c0 * n + c0, ldb: n, cOffset: i0 * n + c0, ldc: n,
      });
    }
    forwardRows(l, n, x, i1, i0, i1, n);
  }
  // X = L⁻ᵀ·Y, bottom block row up, lower triangle only: X[I, :I1] = L_II⁻ᵀ (Y[I, :I1] − L[I1:, I]ᵀ·X[I1:, :I1]).
  const lastStart = Math.floor((n - 1) / nb) * nb;
  for (let i0 = lastStart; i0 >= 0; i0 -= nb) {
    const i1 = Math.min(n, i0 + nb);
    if (i1 < n) {
      matmul(l, x, x, i1 - i0, n - i1, i1, {
        transA: true, accumulate: true, alpha: -1, aOffset: i1 * n + i0, lda: n, bOffset: i1 * n, ldb: n, cOffset: i0 * n, ldc: n,
      });
    }
    backwardRows(l, n, x, i1, i0, i1, n);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) x[j * n + i] = x[i * n + j]!;
  }
  return x;
}
