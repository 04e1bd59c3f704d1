import { AppError } from '../core/errors.js';

/** Typed arrays that can back data-parallel work: workers see the same memory, not a copy. */
export type SharedView = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Int16Array | Uint16Array;

/**
 * A zero-filled Float64Array over a SharedArrayBuffer.
 *
 * @example
 * const c = sharedFloat64(m * n); // the output of a parallel matmul
 */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(checkLength(length) * 8));
}

/**
 * A zero-filled Float32Array over a SharedArrayBuffer.
 *
 * @example
 * const weights = sharedFloat32(rows * cols);
 */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(checkLength(length) * 4));
}

/**
 * A zero-filled Int32Array over a SharedArrayBuffer.
 *
 * @example
 * const counts = sharedInt32(items);
 */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(checkLength(length) * 4));
}

/**
 * A copy of `source` over a SharedArrayBuffer (the same type, the same values).
 *
 * @example
 * const a = toShared(Float32Array.from(rows)); // then pass `a` to pool.parallelFor
 */
export function toShared<T extends SharedView>(source: T): T {
  const Ctor = source.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(source.byteLength));
  out.set(source as never);
  return out;
}

/**
 * Whether a typed array lives in shared memory.
 *
 * @example
 * isShared(sharedFloat64(4)); // true
 */
export function isShared(view: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && view.buffer instanceof SharedArrayBuffer;
}

function checkLength(length: number): number {
  if (!(Number.isInteger(length) && length >= 0)) throw AppError.invalid(`a shared array length must be an integer ≥ 0, got ${length}`, { field: 'length' });
  return length;
}
