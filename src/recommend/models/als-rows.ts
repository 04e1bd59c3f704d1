// The per-row least-squares solves of ALS (als.ts): one half-epoch solves every row of one side with
// the other side's factors fixed. Rows are independent, so the same function runs inline or as a
// worker-pool task over row ranges (this module is what the workers import), with identical results.
import { cholesky, solveCholesky } from '../../math/linalg.js';
import { defineTask } from '../../math/worker-pool.js';

/** How a row is solved: explicit ratings (Cholesky), or implicit confidence-weighted by Cholesky or CG. */
export const ALS_SOLVE = { explicit: 0, implicitCholesky: 1, implicitCg: 2 } as const;

/**
 * Arguments of {@link alsRows}: the rows being solved as CSR (row r's entries are the other side's
 * indices with their ratings or preference weights), both factor matrices (row-major, `k` wide) and the
 * mode's constants. With a pool every typed array must live in shared memory.
 */
export interface AlsRowsArgs {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  /** Fixed factors of the other side (other rows × k). */
  other: Float32Array;
  /** Factors being solved (rows × k); the implicit CG reads them as its warm start. */
  own: Float32Array;
  k: number;
  solver: number;
  /** λ; explicit rows use λ·(entries of the row) (ALS-WR), implicit rows λ as part of `gram`. */
  reg: number;
  /** Explicit only: solve a bias per row beside the factors, against ratings − mean − other bias. */
  biases: boolean;
  ownBias: Float32Array;
  otherBias: Float32Array;
  mean: number;
  /** Implicit only: YᵀY + λI of the other side (k×k, both triangles). */
  gram: Float64Array;
  /** Implicit only: confidence c = 1 + alpha·value. */
  alpha: number;
  cgSteps: number;
}

// Scratch per thread (each worker has its own module instance; inline calls never interleave).
let g: Float64Array = new Float64Array(0);
let system: Float64Array = new Float64Array(0);
let rhs: Float64Array = new Float64Array(0);
let targets: Float64Array = new Float64Array(0);
const edge = new Float64Array(16);
const vec: Record<'x' | 'r' | 'p' | 'ap', Float64Array> = { x: new Float64Array(0), r: new Float64Array(0), p: new Float64Array(0), ap: new Float64Array(0) };

function ensure(a: Float64Array, n: number): Float64Array {
  return a.length >= n ? a : new Float64Array(Math.max(n, a.length * 2));
}

/**
 * Pool task: solves rows start..end-1 of one side (see {@link AlsRowsArgs}), writing their factors
 * (and biases) into `own` / `ownBias`. A row without entries gets zero factors (and bias).
 *
 * @example
 * alsRows(0, users, { indptr, indices, values, other: itemFactors, own: userFactors, k, solver: ALS_SOLVE.explicit, … });
 */
export function alsRows(start: number, end: number, args: AlsRowsArgs): void {
  const { k, solver } = args;
  const d = solver === ALS_SOLVE.explicit && args.biases ? k + 1 : k;
  const dp = (d + 3) & ~3;
  system = ensure(system, d * d);
  rhs = ensure(rhs, d);
  if (solver === ALS_SOLVE.implicitCg) for (const key of ['x', 'r', 'p', 'ap'] as const) vec[key] = ensure(vec[key], k);
  for (let row = start; row < end; row++) {
    const p0 = args.indptr[row]!;
    const n = args.indptr[row + 1]! - p0;
    if (n === 0) {
      args.own.fill(0, row * k, row * k + k);
      if (d > k) args.ownBias[row] = 0;
      continue;
    }
    if (solver === ALS_SOLVE.implicitCg) solveCg(args, row, p0, n);
    else solveCholeskyRow(args, row, p0, n, d, dp);
  }
}

/** The ALS task, for `pool.parallelFor` and `pool.warmup`. */
export const ALS_ROWS = defineTask<AlsRowsArgs>(import.meta.url, 'alsRows');

/**
 * One row by Cholesky. The other side's rows of this row's entries are gathered into `g` (n × dp,
 * scaled by √(c−1) in implicit mode, a column of ones for the bias), whose Gram matrix gᵀg is the
 * system's data term: explicit A = gᵀg + λnI, implicit A = YᵀY + λI + Yᵀ(C−I)Y.
 */
function solveCholeskyRow(args: AlsRowsArgs, row: number, p0: number, n: number, d: number, dp: number): void {
  const { k, other, indices, values, alpha } = args;
  const explicit = args.solver === ALS_SOLVE.explicit;
  g = ensure(g, dp * n);
  targets = ensure(targets, n);
  rhs.fill(0, 0, d);
  for (let e = 0, go = 0; e < n; e++, go += dp) {
    const yo = indices[p0 + e]! * k;
    const v = values[p0 + e]!;
    if (explicit) {
      // The target is the rating, less the mean and the other side's bias when there are biases.
      const t = args.biases ? v - args.mean - args.otherBias[indices[p0 + e]!]! : v;
      targets[e] = t;
      for (let a = 0; a < k; a++) {
        const y = other[yo + a]!;
        g[go + a] = y;
        rhs[a] = rhs[a]! + t * y;
      }
      if (d > k) rhs[k] = rhs[k]! + t;
    } else {
      // The Gram term weighs y by √(c − 1); the right-hand side is Σ c·y.
      const cm1 = alpha * Math.max(0, v);
      const w = Math.sqrt(cm1);
      const c = 1 + cm1;
      for (let a = 0; a < k; a++) {
        const y = other[yo + a]!;
        g[go + a] = w * y;
        rhs[a] = rhs[a]! + c * y;
      }
    }
    for (let a = k; a < dp; a++) g[go + a] = a < d ? 1 : 0;
  }
  if (explicit && n < d) return solveDual(args, row, n, d, dp);
  gramLower(g, dp, n, system, d);
  if (explicit) {
    const ridge = args.reg * n;
    for (let a = 0; a < d; a++) system[a * d + a] = system[a * d + a]! + ridge;
  } else {
    const gram = args.gram;
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) system[a * d + b] = system[a * d + b]! + gram[a * k + b]!;
  }
  cholesky(system, d);
  solveCholesky(system, d, rhs);
  const o = row * k;
  for (let a = 0; a < k; a++) args.own[o + a] = rhs[a]!;
  if (d > k) args.ownBias[row] = rhs[k]!;
}

/**
 * An explicit row with fewer ratings than unknowns, in its dual form: (gᵀg + μI)⁻¹gᵀt = gᵀ(ggᵀ + μI)⁻¹t,
 * an n×n system instead of d×d (a user with 10 ratings at 64 factors: ~3k multiply-adds instead of
 * ~65k). The padding columns of g are zero, so dots over dp are dots over d.
 */
function solveDual(args: AlsRowsArgs, row: number, n: number, d: number, dp: number): void {
  for (let e = 0; e < n; e++) {
    for (let f = 0; f <= e; f++) system[e * n + f] = dot64(g, e * dp, g, f * dp, dp);
    system[e * n + e] = system[e * n + e]! + args.reg * n;
  }
  cholesky(system, n);
  solveCholesky(system, n, targets);
  const { k } = args;
  const o = row * k;
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let e = 0; e < n; e++) s += targets[e]! * g[e * dp + a]!;
    if (a < k) args.own[o + a] = s;
    else args.ownBias[row] = s;
  }
}

/**
 * Lower triangle of gᵀg (g n×dp row-major, dp a multiple of 4) into the d×d `out` (stride d), in 4×4
 * blocks of 16 register sums (8 loads per 16 multiply-adds, both from one row of g); diagonal blocks
 * are written whole (the upper part is never read), entries past d are dropped.
 */
function gramLower(g: Float64Array, dp: number, n: number, out: Float64Array, d: number): void {
  const end = n * dp;
  for (let r0 = 0; r0 < dp; r0 += 4) {
    for (let c0 = 0; c0 <= r0; c0 += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let o = 0; o < end; o += dp) {
        const x0 = g[o + r0]!, x1 = g[o + r0 + 1]!, x2 = g[o + r0 + 2]!, x3 = g[o + r0 + 3]!;
        const y0 = g[o + c0]!, y1 = g[o + c0 + 1]!, y2 = g[o + c0 + 2]!, y3 = g[o + c0 + 3]!;
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
      }
      if (r0 + 3 < d) {
        let o = r0 * d + c0;
        out[o] = s00; out[o + 1] = s01; out[o + 2] = s02; out[o + 3] = s03; o += d;
        out[o] = s10; out[o + 1] = s11; out[o + 2] = s12; out[o + 3] = s13; o += d;
        out[o] = s20; out[o + 1] = s21; out[o + 2] = s22; out[o + 3] = s23; o += d;
        out[o] = s30; out[o + 1] = s31; out[o + 2] = s32; out[o + 3] = s33;
      } else {
        // The last block row sticks out past d (a bias column): keep the entries inside d×d only.
        edge[0] = s00; edge[1] = s01; edge[2] = s02; edge[3] = s03; edge[4] = s10; edge[5] = s11; edge[6] = s12; edge[7] = s13;
        edge[8] = s20; edge[9] = s21; edge[10] = s22; edge[11] = s23; edge[12] = s30; edge[13] = s31; edge[14] = s32; edge[15] = s33;
        for (let i = 0; i < 4 && r0 + i < d; i++) for (let j = 0; j < 4 && c0 + j < d; j++) out[(r0 + i) * d + c0 + j] = edge[i * 4 + j]!;
      }
    }
  }
}

/**
 * One implicit row by conjugate gradient (as the `implicit` library does): `cgSteps` steps on
 * (YᵀY + λI + Yᵀ(C−I)Y)·x = YᵀC·1 from the row's current factors, never forming the k×k system:
 * A·v = gram·v + Σ (c−1)(y·v)·y over the row's entries. The entries' factor rows are copied once into
 * a Float64 block `g` so every loop below reads one array type (mixed Float32 / Float64 operands made
 * the shared dot product polymorphic and ran this at a third of the speed).
 */
function solveCg(args: AlsRowsArgs, row: number, p0: number, n: number): void {
  const { k, other, indices, values, alpha, gram } = args;
  const { x, r, p, ap } = vec;
  g = ensure(g, n * k);
  targets = ensure(targets, n);
  rhs = ensure(rhs, n);
  const y = g;
  const cm1 = targets;
  const f = rhs;
  for (let e = 0, go = 0; e < n; e++, go += k) {
    const yo = indices[p0 + e]! * k;
    for (let a = 0; a < k; a++) y[go + a] = other[yo + a]!;
    cm1[e] = alpha * Math.max(0, values[p0 + e]!);
  }
  const o = row * k;
  for (let a = 0; a < k; a++) x[a] = args.own[o + a]!;
  // r = YᵀC·1 − A·x = −gram·x + Σ (c − (c−1)·(y·x))·y
  rowsTimes(gram, k, k, x, r);
  for (let a = 0; a < k; a++) r[a] = -r[a]!;
  rowsTimes(y, n, k, x, f);
  for (let e = 0; e < n; e++) f[e] = 1 + cm1[e]! * (1 - f[e]!);
  addRowsTransposed(y, n, k, f, r);
  for (let a = 0; a < k; a++) p[a] = r[a]!;
  let rs = dot64(r, 0, r, 0, k);
  for (let step = 0; step < args.cgSteps && rs > 1e-20; step++) {
    rowsTimes(gram, k, k, p, ap);
    rowsTimes(y, n, k, p, f);
    for (let e = 0; e < n; e++) f[e] = cm1[e]! * f[e]!;
    addRowsTransposed(y, n, k, f, ap);
    const stepSize = rs / dot64(p, 0, ap, 0, k);
    for (let a = 0; a < k; a++) {
      x[a] = x[a]! + stepSize * p[a]!;
      r[a] = r[a]! - stepSize * ap[a]!;
    }
    const next = dot64(r, 0, r, 0, k);
    const beta = next / rs;
    for (let a = 0; a < k; a++) p[a] = r[a]! + beta * p[a]!;
    rs = next;
  }
  for (let a = 0; a < k; a++) args.own[o + a] = x[a]!;
}

/** out[e] = m_e·v for the n rows of the row-major n×k `m`, four rows at a time (each v[a] loaded once per four). */
function rowsTimes(m: Float64Array, n: number, k: number, v: Float64Array, out: Float64Array): void {
  let e = 0;
  for (; e + 3 < n; e += 4) {
    const o0 = e * k, o1 = o0 + k, o2 = o1 + k, o3 = o2 + k;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let a = 0; a < k; a++) {
      const va = v[a]!;
      s0 += m[o0 + a]! * va;
      s1 += m[o1 + a]! * va;
      s2 += m[o2 + a]! * va;
      s3 += m[o3 + a]! * va;
    }
    out[e] = s0; out[e + 1] = s1; out[e + 2] = s2; out[e + 3] = s3;
  }
  for (; e < n; e++) out[e] = dot64(m, e * k, v, 0, k);
}

/** acc += Σ_e f[e]·m_e over the n rows of the row-major n×k `m`, four rows per pass over acc. */
function addRowsTransposed(m: Float64Array, n: number, k: number, f: Float64Array, acc: Float64Array): void {
  let e = 0;
  for (; e + 3 < n; e += 4) {
    const o0 = e * k, o1 = o0 + k, o2 = o1 + k, o3 = o2 + k;
    const f0 = f[e]!, f1 = f[e + 1]!, f2 = f[e + 2]!, f3 = f[e + 3]!;
    for (let a = 0; a < k; a++) acc[a] = acc[a]! + f0 * m[o0 + a]! + f1 * m[o1 + a]! + f2 * m[o2 + a]! + f3 * m[o3 + a]!;
  }
  for (; e < n; e++) {
    const o0 = e * k;
    const f0 = f[e]!;
    for (let a = 0; a < k; a++) acc[a] = acc[a]! + f0 * m[o0 + a]!;
  }
}

/** Σ a[ao + i]·b[bo + i] for i < k, on Float64 arrays only (four sums, so the additions pipeline). */
function dot64(a: Float64Array, ao: number, b: Float64Array, bo: number, k: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < k; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < k; i++) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1 + s2 + s3;
}
