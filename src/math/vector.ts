import { AppError } from '../core/errors.js';
import type { FloatArray } from './dense.js';

function sameLength(a: FloatArray, b: FloatArray, what: string): void {
  if (a.length !== b.length) throw AppError.invalid(`${what}: vectors have different lengths (${a.length} and ${b.length})`, { field: 'length' });
}

/**
 * Dot product of `n` values of `a` from `aOff` and of `b` from `bOff` (no subarray needed in hot loops),
 * four independent sums so the additions pipeline.
 *
 * @example
 * dotAt(users, u * k, items, i * k, k); // score of user u for item i, factors of size k
 */
export function dotAt(a: FloatArray, aOff: number, b: FloatArray, bOff: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[aOff + i]! * b[bOff + i]!;
    s1 += a[aOff + i + 1]! * b[bOff + i + 1]!;
    s2 += a[aOff + i + 2]! * b[bOff + i + 2]!;
    s3 += a[aOff + i + 3]! * b[bOff + i + 3]!;
  }
  for (; i < n; i++) s0 += a[aOff + i]! * b[bOff + i]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Dot product of two vectors of the same length.
 *
 * @example
 * dot(new Float64Array([1, 2]), new Float64Array([3, 4])); // 11
 */
export function dot(a: FloatArray, b: FloatArray): number {
  sameLength(a, b, 'dot');
  return dotAt(a, 0, b, 0, a.length);
}

/**
 * `y ← y + alpha·x` in place; returns `y`.
 *
 * @example
 * axpy(-0.01, gradient, weights); // one gradient step
 */
export function axpy<Y extends FloatArray>(alpha: number, x: FloatArray, y: Y): Y {
  sameLength(x, y, 'axpy');
  for (let i = 0; i < x.length; i++) y[i] = y[i]! + alpha * x[i]!;
  return y;
}

/**
 * `x ← alpha·x` in place; returns `x`.
 *
 * @example
 * scale(v, 1 / norm(v)); // unit length
 */
export function scale<X extends FloatArray>(x: X, alpha: number): X {
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * alpha;
  return x;
}

/**
 * Euclidean (L2) norm.
 *
 * @example
 * norm(new Float64Array([3, 4])); // 5
 */
export function norm(x: FloatArray): number {
  return Math.sqrt(dotAt(x, 0, x, 0, x.length));
}

/**
 * Cosine similarity in [-1, 1]; 0 when either vector is all zeros (no direction, no similarity).
 *
 * @example
 * cosine(new Float64Array([1, 0]), new Float64Array([1, 1])); // 0.7071…
 */
export function cosine(a: FloatArray, b: FloatArray): number {
  sameLength(a, b, 'cosine');
  const n = a.length;
  const na = dotAt(a, 0, a, 0, n);
  const nb = dotAt(b, 0, b, 0, n);
  if (na === 0 || nb === 0) return 0;
  return dotAt(a, 0, b, 0, n) / Math.sqrt(na * nb);
}

/**
 * L2 norm of every row of a row-major rows×cols matrix.
 *
 * @example
 * const norms = rowNormsDense(itemFactors, items, k); // reuse across many cosineRows calls
 */
export function rowNormsDense(data: FloatArray, rows: number, cols: number, out = new Float64Array(rows)): Float64Array {
  if (data.length < rows * cols) throw AppError.invalid(`rowNormsDense: data needs ${rows * cols} values, has ${data.length}`, { field: 'data' });
  for (let r = 0; r < rows; r++) out[r] = Math.sqrt(dotAt(data, r * cols, data, r * cols, cols));
  return out;
}

/**
 * Cosine of `query` against every row of a row-major rows×cols matrix, into `out` (zero rows and a zero
 * query give 0). Pass precomputed `rowNorms` (from {@link rowNormsDense}) when scoring many queries.
 *
 * @example
 * const sims = cosineRows(itemFactors.subarray(i * k, (i + 1) * k), itemFactors, items, k);
 * topK(sims, 10, [i]); // the ten most similar items, the item itself excluded
 */
export function cosineRows(
  query: FloatArray, data: FloatArray, rows: number, cols: number,
  out: FloatArray = new Float64Array(rows), rowNorms?: FloatArray,
): FloatArray {
  if (query.length !== cols) throw AppError.invalid(`cosineRows: the query has ${query.length} values, rows have ${cols}`, { field: 'query' });
  if (data.length < rows * cols) throw AppError.invalid(`cosineRows: data needs ${rows * cols} values, has ${data.length}`, { field: 'data' });
  if (out.length < rows) throw AppError.invalid(`cosineRows: out needs ${rows} values, has ${out.length}`, { field: 'out' });
  if (rowNorms && rowNorms.length < rows) throw AppError.invalid(`cosineRows: rowNorms needs ${rows} values, has ${rowNorms.length}`, { field: 'rowNorms' });
  const qn = Math.sqrt(dotAt(query, 0, query, 0, cols));
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    const rn = rowNorms ? rowNorms[r]! : Math.sqrt(dotAt(data, off, data, off, cols));
    out[r] = qn === 0 || rn === 0 ? 0 : dotAt(query, 0, data, off, cols) / (qn * rn);
  }
  return out;
}
