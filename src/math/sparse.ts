import { AppError } from '../core/errors.js';
import { allocFloat, type FloatArray, type FloatKind } from './dense.js';

function checkCompressed(kind: string, outer: number, inner: number, indptr: Int32Array, indices: Int32Array, values: FloatArray): void {
  if (!(Number.isInteger(outer) && outer >= 0 && Number.isInteger(inner) && inner >= 0)) {
    throw AppError.invalid(`${kind}: dimensions must be integers ≥ 0`, { field: 'shape' });
  }
  if (indptr.length !== outer + 1) throw AppError.invalid(`${kind}: indptr needs ${outer + 1} entries, has ${indptr.length}`, { field: 'indptr' });
  const nnz = indptr[outer]!;
  if (indptr[0] !== 0 || indices.length < nnz || values.length < nnz) {
    throw AppError.invalid(`${kind}: indptr must start at 0 and end at most at the length of indices and values`, { field: 'indptr' });
  }
}

/**
 * Compressed sparse rows: row i holds `indices[indptr[i]..indptr[i+1])` (column ids, ascending) with
 * their `values`. Built by {@link csrFromCoo}; the transpose and {@link CscMatrix} share the layout.
 *
 * @example
 * const x = csrFromCoo(3, 4, [0, 0, 2], [1, 3, 0]);   // 3 users × 4 items, values 1
 * x.rowIndices(0);                                     // Int32Array [1, 3]
 * x.mulVec(new Float64Array([1, 2, 3, 4]));            // Float64Array [6, 0, 1]
 */
export class CsrMatrix<V extends FloatArray = FloatArray> {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly values: V,
  ) {
    checkCompressed('CSR', rows, cols, indptr, indices, values);
  }

  /** Stored entries. */
  get nnz(): number {
    return this.indptr[this.rows]!;
  }

  rowNnz(i: number): number {
    return this.indptr[i + 1]! - this.indptr[i]!;
  }

  /** Column ids of row i (a view). */
  rowIndices(i: number): Int32Array {
    return this.indices.subarray(this.indptr[i]!, this.indptr[i + 1]!);
  }

  /** Values of row i (a view). */
  rowValues(i: number): V {
    return this.values.subarray(this.indptr[i]!, this.indptr[i + 1]!) as V;
  }

  /** The value at (i, j), 0 when not stored (binary search in the row). */
  get(i: number, j: number): number {
    let lo = this.indptr[i]!;
    let hi = this.indptr[i + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.indices[mid]!;
      if (c === j) return this.values[mid]!;
      if (c < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** y = A·x (x has `cols` values). */
  mulVec(x: ArrayLike<number>, y: FloatArray = new Float64Array(this.rows)): FloatArray {
    if (x.length < this.cols || y.length < this.rows) throw AppError.invalid(`mulVec: x needs ${this.cols} values and y ${this.rows}`, { field: 'x' });
    const { indptr, indices, values } = this;
    for (let i = 0; i < this.rows; i++) {
      let s = 0;
      for (let p = indptr[i]!, end = indptr[i + 1]!; p < end; p++) s += values[p]! * x[indices[p]!]!;
      y[i] = s;
    }
    return y;
  }

  /** y = Aᵀ·x (x has `rows` values), by scattering each row. */
  mulTransVec(x: ArrayLike<number>, y: FloatArray = new Float64Array(this.cols)): FloatArray {
    if (x.length < this.rows || y.length < this.cols) throw AppError.invalid(`mulTransVec: x needs ${this.rows} values and y ${this.cols}`, { field: 'x' });
    y.fill(0, 0, this.cols);
    const { indptr, indices, values } = this;
    for (let i = 0; i < this.rows; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      for (let p = indptr[i]!, end = indptr[i + 1]!; p < end; p++) y[indices[p]!] = y[indices[p]!]! + xi * values[p]!;
    }
    return y;
  }

  /** Aᵀ as a new CSR matrix (a counting sort by column: O(nnz + cols), rows stay ascending). */
  transpose(): CsrMatrix<V> {
    const [indptr, indices, values] = transposeCompressed(this.rows, this.cols, this.indptr, this.indices, this.values);
    return new CsrMatrix(this.cols, this.rows, indptr, indices, values);
  }

  /** The same matrix stored by columns. */
  toCsc(): CscMatrix<V> {
    const [indptr, indices, values] = transposeCompressed(this.rows, this.cols, this.indptr, this.indices, this.values);
    return new CscMatrix(this.rows, this.cols, indptr, indices, values);
  }

  /** L2 norm of every row. */
  rowNorms(): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) {
      let s = 0;
      for (let p = this.indptr[i]!, end = this.indptr[i + 1]!; p < end; p++) s += this.values[p]! * this.values[p]!;
      out[i] = Math.sqrt(s);
    }
    return out;
  }

  /** L2 norm of every column. */
  columnNorms(): Float64Array {
    const out = new Float64Array(this.cols);
    for (let p = 0; p < this.nnz; p++) out[this.indices[p]!] = out[this.indices[p]!]! + this.values[p]! * this.values[p]!;
    for (let j = 0; j < this.cols; j++) out[j] = Math.sqrt(out[j]!);
    return out;
  }

  /**
   * Rows scaled to unit norm (L2 by default, or L1 as a sum of absolute values); empty and all-zero rows
   * stay zero. The result shares `indptr` and `indices` with this matrix and has new values.
   */
  normalizeRows(kind: 'l2' | 'l1' = 'l2'): CsrMatrix<V> {
    const values = this.values.slice() as V;
    for (let i = 0; i < this.rows; i++) {
      const start = this.indptr[i]!;
      const end = this.indptr[i + 1]!;
      let s = 0;
      for (let p = start; p < end; p++) s += kind === 'l2' ? values[p]! * values[p]! : Math.abs(values[p]!);
      const norm = kind === 'l2' ? Math.sqrt(s) : s;
      if (norm === 0) continue;
      for (let p = start; p < end; p++) values[p] = values[p]! / norm;
    }
    return new CsrMatrix(this.rows, this.cols, this.indptr, this.indices, values);
  }

  /** A dense row-major copy, for tests and small matrices. */
  toDense(): Float64Array {
    const out = new Float64Array(this.rows * this.cols);
    for (let i = 0; i < this.rows; i++) {
      for (let p = this.indptr[i]!, end = this.indptr[i + 1]!; p < end; p++) out[i * this.cols + this.indices[p]!] = this.values[p]!;
    }
    return out;
  }
}

/**
 * Compressed sparse columns: column j holds row ids `indices[indptr[j]..indptr[j+1])` (ascending)
 * with their `values`. Column access is what item-side loops (ALS item step, co-occurrence) need.
 *
 * @example
 * const byItem = userItem.toCsc();
 * byItem.colIndices(item); // the users who touched the item
 */
export class CscMatrix<V extends FloatArray = FloatArray> {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly values: V,
  ) {
    checkCompressed('CSC', cols, rows, indptr, indices, values);
  }

  get nnz(): number {
    return this.indptr[this.cols]!;
  }

  colNnz(j: number): number {
    return this.indptr[j + 1]! - this.indptr[j]!;
  }

  /** Row ids of column j (a view). */
  colIndices(j: number): Int32Array {
    return this.indices.subarray(this.indptr[j]!, this.indptr[j + 1]!);
  }

  /** Values of column j (a view). */
  colValues(j: number): V {
    return this.values.subarray(this.indptr[j]!, this.indptr[j + 1]!) as V;
  }

  /** y = A·x, by scattering each column. */
  mulVec(x: ArrayLike<number>, y: FloatArray = new Float64Array(this.rows)): FloatArray {
    // Stored by columns, A is (Aᵀ in CSR); A·x is that matrix's transposed product.
    return new CsrMatrix(this.cols, this.rows, this.indptr, this.indices, this.values).mulTransVec(x, y);
  }

  /** The same matrix stored by rows. */
  toCsr(): CsrMatrix<V> {
    const [indptr, indices, values] = transposeCompressed(this.cols, this.rows, this.indptr, this.indices, this.values);
    return new CsrMatrix(this.rows, this.cols, indptr, indices, values);
  }

  /** L2 norm of every column. */
  columnNorms(): Float64Array {
    return new CsrMatrix(this.cols, this.rows, this.indptr, this.indices, this.values).rowNorms();
  }
}

/** Swaps outer and inner dimension of a compressed layout (CSR ↔ CSC, or CSR → CSR of the transpose). */
function transposeCompressed<V extends FloatArray>(outer: number, inner: number, indptr: Int32Array, indices: Int32Array, values: V): [Int32Array, Int32Array, V] {
  const nnz = indptr[outer]!;
  const outPtr = new Int32Array(inner + 1);
  for (let p = 0; p < nnz; p++) outPtr[indices[p]! + 1]!++;
  for (let j = 0; j < inner; j++) outPtr[j + 1]! += outPtr[j]!;
  const next = outPtr.slice(0, inner);
  const outIdx = new Int32Array(nnz);
  const outVal = new (values.constructor as new (n: number) => V)(nnz);
  for (let i = 0; i < outer; i++) {
    for (let p = indptr[i]!, end = indptr[i + 1]!; p < end; p++) {
      const q = next[indices[p]!]!++;
      outIdx[q] = i;
      outVal[q] = values[p]!;
    }
  }
  return [outPtr, outIdx, outVal];
}

/**
 * A CSR matrix from coordinate triplets: duplicates are summed (repeated views add up), columns come
 * out ascending in every row. Without `values` every triplet counts 1. O(nnz + rows + cols).
 *
 * @example
 * const x = csrFromCoo(2, 3, [0, 1, 0], [2, 0, 2], [1, 5, 2]); // (0,2) = 3, (1,0) = 5
 */
export function csrFromCoo(
  rows: number, cols: number, rowIdx: ArrayLike<number>, colIdx: ArrayLike<number>,
  values?: ArrayLike<number>, kind: FloatKind = 'float64',
): CsrMatrix {
  const n = rowIdx.length;
  if (colIdx.length !== n || (values && values.length !== n)) {
    throw AppError.invalid(`csrFromCoo: ${n} row ids, ${colIdx.length} column ids${values ? ` and ${values.length} values` : ''} must match`, { field: 'colIdx' });
  }
  for (let e = 0; e < n; e++) {
    const r = rowIdx[e]!;
    const c = colIdx[e]!;
    if (!(Number.isInteger(r) && r >= 0 && r < rows)) throw AppError.invalid(`csrFromCoo: row id ${r} of entry ${e} is outside 0..${rows - 1}`, { field: 'rowIdx', index: e });
    if (!(Number.isInteger(c) && c >= 0 && c < cols)) throw AppError.invalid(`csrFromCoo: column id ${c} of entry ${e} is outside 0..${cols - 1}`, { field: 'colIdx', index: e });
  }
  // Counting sort by column, then a stable counting sort by row: entries ordered by (row, column).
  const byCol = countingOrder(colIdx, cols, undefined);
  const order = countingOrder(rowIdx, rows, byCol);
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(n);
  const sums = new Float64Array(n);
  let out = -1;
  let lastRow = -1;
  let lastCol = -1;
  for (let q = 0; q < n; q++) {
    const e = order[q]!;
    const r = rowIdx[e]!;
    const c = colIdx[e]!;
    const v = values ? values[e]! : 1;
    if (r === lastRow && c === lastCol) {
      sums[out] = sums[out]! + v;
      continue;
    }
    out++;
    indices[out] = c;
    sums[out] = v;
    indptr[r + 1]!++;
    lastRow = r;
    lastCol = c;
  }
  for (let i = 0; i < rows; i++) indptr[i + 1]! += indptr[i]!;
  const nnz = out + 1;
  const vals = allocFloat(kind, nnz);
  vals.set(sums.subarray(0, nnz));
  return new CsrMatrix(rows, cols, indptr, indices.slice(0, nnz), vals);
}

/**
 * A CSC matrix from coordinate triplets (duplicates summed, rows ascending in every column).
 *
 * @example
 * const byItem = cscFromCoo(users, items, userIds, itemIds);
 */
export function cscFromCoo(
  rows: number, cols: number, rowIdx: ArrayLike<number>, colIdx: ArrayLike<number>,
  values?: ArrayLike<number>, kind: FloatKind = 'float64',
): CscMatrix {
  const t = csrFromCoo(cols, rows, colIdx, rowIdx, values, kind);
  return new CscMatrix(rows, cols, t.indptr, t.indices, t.values);
}

/** Positions 0..n-1 ordered by key (stable), visiting them in `within` order when given. */
function countingOrder(keys: ArrayLike<number>, buckets: number, within: Int32Array | undefined): Int32Array {
  const n = keys.length;
  const start = new Int32Array(buckets + 1);
  for (let e = 0; e < n; e++) start[keys[e]! + 1]!++;
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const order = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    const e = within ? within[q]! : q;
    order[start[keys[e]!]!++] = e;
  }
  return order;
}
