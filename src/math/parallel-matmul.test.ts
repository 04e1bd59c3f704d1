import { afterAll, describe, expect, it } from 'vitest';
import { matmul } from './matmul.js';
import { matmulRows, parallelMatmul } from './parallel-matmul.js';
import { SeededRandom } from './random.js';
import { sharedFloat32, sharedFloat64, toShared } from './shared-arrays.js';
import { WorkerPool } from './worker-pool.js';

describe('parallelMatmul', () => {
  const pool = new WorkerPool({ size: 2 });
  const inline = new WorkerPool({ size: 1 });
  afterAll(() => pool.close());

  it('matmulRows computes any block of rows, transposes included', () => {
    const rng = new SeededRandom('rows');
    const [m, k, n] = [9, 4, 5];
    const a = Float64Array.from({ length: m * k }, () => rng.normal());
    const b = Float64Array.from({ length: k * n }, () => rng.normal());
    for (const transA of [false, true]) {
      const want = matmul(a, b, new Float64Array(m * n), m, k, n, { transA });
      const c = new Float64Array(m * n);
      for (const [start, end] of [[0, 2], [2, 7], [7, 9]] as const) {
        matmulRows(start, end, { a, b, c, m, k, n, transA, transB: false, accumulate: false, alpha: 1 });
      }
      expect(Array.from(c)).toEqual(Array.from(want));
    }
  });

  it('a parallel matmul (Float32, transB) equals the single-thread matmul bit for bit', async () => {
    const rng = new SeededRandom('parallel-matmul');
    const [m, k, n] = [70, 33, 45];
    const a = toShared(Float32Array.from({ length: m * k }, () => rng.range(-1, 1)));
    const b = toShared(Float32Array.from({ length: n * k }, () => rng.range(-1, 1)));
    const c = sharedFloat32(m * n);
    await parallelMatmul(pool, a, b, c, m, k, n, { transB: true });
    const want = matmul(a, b, new Float32Array(m * n), m, k, n, { transB: true });
    expect(Array.from(c)).toEqual(Array.from(want));
    const cInline = sharedFloat32(m * n);
    await parallelMatmul(inline, a, b, cInline, m, k, n, { transB: true });
    expect(Array.from(cInline)).toEqual(Array.from(want));
  });

  it('a parallel Aᵀ·B (Float64, accumulate) matches too', async () => {
    const rng = new SeededRandom('parallel-matmul-ta');
    const [m, k, n] = [37, 20, 9];
    const a = toShared(Float64Array.from({ length: k * m }, () => rng.normal()));
    const b = toShared(Float64Array.from({ length: k * n }, () => rng.normal()));
    const c = sharedFloat64(m * n).fill(1);
    await parallelMatmul(pool, a, b, c, m, k, n, { transA: true, accumulate: true, alpha: 0.5 });
    const want = matmul(a, b, new Float64Array(m * n).fill(1), m, k, n, { transA: true, accumulate: true, alpha: 0.5 });
    expect(Array.from(c)).toEqual(Array.from(want));
  });

  it('rejects an output that is too short', async () => {
    await expect(parallelMatmul(pool, sharedFloat64(4), sharedFloat64(4), sharedFloat64(3), 2, 2, 2)).rejects.toThrow(/c needs 4 values/);
  });
});
