import { AppError } from '../core/errors.js';
import type { FloatArray } from './dense.js';
import { matmul, type MatmulOptions } from './matmul.js';
import { defineTask, type WorkerPool } from './worker-pool.js';

/** Arguments of the {@link MATMUL_ROWS} task (arrays in shared memory). */
export interface MatmulRowsArgs {
  a: FloatArray;
  b: FloatArray;
  c: FloatArray;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
  alpha: number;
}

/**
 * Pool task: rows start..end-1 of `C ← alpha·op(A)·op(B) [+ C]` (rows of C are independent, so ranges
 * write disjoint memory and the result is bit-identical to one matmul call).
 *
 * @example
 * await pool.parallelFor(m, MATMUL_ROWS, { a, b, c, m, k, n, transA: false, transB: true, accumulate: false, alpha: 1 });
 */
export function matmulRows(start: number, end: number, args: MatmulRowsArgs): void {
  const { a, b, c, m, k, n, transA } = args;
  matmul(a, b, c, end - start, k, n, {
    transA, transB: args.transB, accumulate: args.accumulate, alpha: args.alpha,
    aOffset: transA ? start : start * k, lda: transA ? m : k, cOffset: start * n, ldc: n,
  });
}

/** The {@link matmulRows} task, for `pool.parallelFor` and `pool.warmup`. */
export const MATMUL_ROWS = defineTask<MatmulRowsArgs>(import.meta.url, 'matmulRows');

/**
 * {@link matmul} with the rows of C spread over a worker pool; `a`, `b` and `c` must be in shared
 * memory (sharedFloat32 / sharedFloat64 / toShared). With a pool of size 1 it runs inline.
 *
 * @example
 * const pool = new WorkerPool();
 * await parallelMatmul(pool, a, b, c, 1024, 1024, 1024, { transB: true });
 */
export function parallelMatmul(
  pool: WorkerPool, a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number,
  options: Pick<MatmulOptions, 'transA' | 'transB' | 'accumulate' | 'alpha'> = {},
): Promise<void> {
  if (c.length < m * n) return Promise.reject(AppError.invalid(`parallelMatmul: c needs ${m * n} values, has ${c.length}`, { field: 'c' }));
  const args: MatmulRowsArgs = {
    a, b, c, m, k, n,
    transA: options.transA ?? false, transB: options.transB ?? false, accumulate: options.accumulate ?? false, alpha: options.alpha ?? 1,
  };
  // Ranges of at least 16 rows: each range packs all of B once, so tiny ranges would mostly pack.
  return pool.parallelFor(m, MATMUL_ROWS, args, { grain: 16 });
}
