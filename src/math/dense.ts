import { AppError } from '../core/errors.js';

/** The two element types every kernel in math/ accepts. */
export type FloatArray = Float32Array | Float64Array;

/** Names the element type of a new matrix or vector. */
export type FloatKind = 'float32' | 'float64';

/**
 * A zero-filled typed array of `kind`.
 *
 * @example
 * const v = allocFloat('float32', 8); // Float32Array(8)
 */
export function allocFloat(kind: 'float32', length: number): Float32Array;
export function allocFloat(kind: 'float64', length: number): Float64Array;
export function allocFloat(kind: FloatKind, length: number): FloatArray;
export function allocFloat(kind: FloatKind, length: number): FloatArray {
  if (!(Number.isInteger(length) && length >= 0)) throw AppError.invalid(`a length must be an integer ≥ 0, got ${length}`, { field: 'length' });
  return kind === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/**
 * The kind of an existing typed array.
 *
 * @example
 * allocFloat(kindOf(weights), n); // a buffer of the same element type as `weights`
 */
export function kindOf(data: FloatArray): FloatKind {
  return data instanceof Float32Array ? 'float32' : 'float64';
}

/**
 * A row-major matrix over a typed array. It is a thin wrapper: the kernels (matmul, cholesky, …) take
 * the raw `data` with its dimensions, so code that already holds arrays never needs to wrap them.
 *
 * @example
 * const m = DenseMatrix.fromRows([[1, 2], [3, 4]]);
 * m.get(1, 0);            // 3
 * m.row(1);               // Float64Array [3, 4] (a view, not a copy)
 * m.transpose().get(0, 1); // 3
 */
export class DenseMatrix<A extends FloatArray = Float64Array> {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: A,
  ) {
    if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(cols) && cols >= 0)) {
      throw AppError.invalid(`matrix dimensions must be integers ≥ 0, got ${rows}×${cols}`, { field: 'shape' });
    }
    if (data.length !== rows * cols) {
      throw AppError.invalid(`a ${rows}×${cols} matrix needs ${rows * cols} values, got ${data.length}`, { field: 'data' });
    }
  }

  /** A zero matrix (Float64 unless `kind` says float32). */
  static zeros(rows: number, cols: number): DenseMatrix<Float64Array>;
  static zeros(rows: number, cols: number, kind: 'float64'): DenseMatrix<Float64Array>;
  static zeros(rows: number, cols: number, kind: 'float32'): DenseMatrix<Float32Array>;
  static zeros(rows: number, cols: number, kind: FloatKind = 'float64'): DenseMatrix<FloatArray> {
    return new DenseMatrix(rows, cols, allocFloat(kind, rows * cols));
  }

  /** The n×n identity. */
  static identity(n: number, kind: FloatKind = 'float64'): DenseMatrix<FloatArray> {
    const m = new DenseMatrix(n, n, allocFloat(kind, n * n));
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** A matrix from nested arrays; every row must have the same length. */
  static fromRows(values: readonly (readonly number[])[]): DenseMatrix<Float64Array>;
  static fromRows(values: readonly (readonly number[])[], kind: 'float64'): DenseMatrix<Float64Array>;
  static fromRows(values: readonly (readonly number[])[], kind: 'float32'): DenseMatrix<Float32Array>;
  static fromRows(values: readonly (readonly number[])[], kind: FloatKind = 'float64'): DenseMatrix<FloatArray> {
    const rows = values.length;
    const cols = rows === 0 ? 0 : values[0]!.length;
    const data = allocFloat(kind, rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = values[i]!;
      if (row.length !== cols) throw AppError.invalid(`row ${i} has ${row.length} values, row 0 has ${cols}`, { field: 'rows', index: i });
      data.set(row, i * cols);
    }
    return new DenseMatrix(rows, cols, data);
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** Row `i` as a view (subarray) sharing the matrix's storage. */
  row(i: number): A {
    if (!(i >= 0 && i < this.rows)) throw AppError.invalid(`row ${i} is outside 0..${this.rows - 1}`, { field: 'row', index: i });
    return this.data.subarray(i * this.cols, (i + 1) * this.cols) as A;
  }

  /** A new matrix holding the transpose (blocked copy, so both sides stay cache-friendly). */
  transpose(): DenseMatrix<A> {
    const { rows, cols, data } = this;
    const out = new (data.constructor as new (n: number) => A)(rows * cols);
    transposeInto(data, out, rows, cols);
    return new DenseMatrix(cols, rows, out);
  }

  /** A deep copy. */
  copy(): DenseMatrix<A> {
    return new DenseMatrix(this.rows, this.cols, this.data.slice() as A);
  }

  /** Nested arrays, for tests and debugging. */
  toRows(): number[][] {
    return Array.from({ length: this.rows }, (_, i) => Array.from(this.row(i)));
  }
}

/**
 * Writes the transpose of the rows×cols row-major `src` into `dst` (cols×rows), in 32×32 tiles.
 *
 * @example
 * transposeInto(new Float64Array([1, 2, 3, 4, 5, 6]), out, 2, 3); // out = [1, 4, 2, 5, 3, 6]
 */
export function transposeInto(src: FloatArray, dst: FloatArray, rows: number, cols: number): void {
  if (src.length < rows * cols || dst.length < rows * cols) throw AppError.invalid(`transposeInto needs ${rows * cols} values in both arrays`, { field: 'data' });
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(rows, i0 + T);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(cols, j0 + T);
      for (let i = i0; i < i1; i++) {
        const base = i * cols;
        for (let j = j0; j < j1; j++) dst[j * rows + i] = src[base + j]!;
      }
    }
  }
}
