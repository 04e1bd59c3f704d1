import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { SeededRandom } from './random.js';
import { sharedFloat64, sharedInt32 } from './shared-arrays.js';
import { EXIT, FAILING, MISSING, SUM_SQUARES, WHO_RAN } from './worker-pool.fixtures.js';
import { splitRanges, WorkerPool } from './worker-pool.js';

describe('splitRanges', () => {
  it('cuts 0..n into balanced contiguous ranges of at least grain indices', () => {
    expect(splitRanges(10, 3, 1)).toEqual([[0, 3], [3, 6], [6, 10]]);
    expect(splitRanges(10, 8, 4)).toEqual([[0, 5], [5, 10]]);
    expect(splitRanges(3, 8, 1)).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(splitRanges(2, 4, 16)).toEqual([[0, 2]]);
    expect(splitRanges(0, 4, 1)).toEqual([]);
  });
});

describe('WorkerPool', () => {
  // Two workers even on larger machines keeps the test quick; the default size is checked separately.
  let pool: WorkerPool;
  const inline = new WorkerPool({ size: 1 });

  beforeAll(async () => {
    pool = new WorkerPool({ size: 2 });
    await pool.warmup(SUM_SQUARES);
  });
  afterAll(() => pool.close());

  it('defaults to one thread per available core', () => {
    const fresh = new WorkerPool();
    expect(fresh.size).toBe(availableParallelism());
    expect(fresh.inline).toBe(availableParallelism() === 1);
    expect(inline.inline).toBe(true);
  });

  it('a sum of squares over shared memory equals the inline run exactly', async () => {
    const rng = new SeededRandom('sum-squares');
    const data = sharedFloat64(100_003);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const run = async (p: WorkerPool) => {
      const partials = sharedFloat64(8);
      await p.parallelFor(data.length, SUM_SQUARES, { data, partials }, { chunks: 8 });
      return partials.reduce((s, v) => s + v, 0);
    };
    const parallel = await run(pool);
    expect(parallel).toBe(await run(inline));
    expect(parallel).toBeCloseTo(data.reduce((s, v) => s + v * v, 0), 6);
  });

  it('spreads ranges over more than one worker', async () => {
    const out = sharedInt32(8);
    await pool.parallelFor(8, WHO_RAN, { out, spinMs: 30 }, { chunks: 8 });
    expect(new Set(out).size).toBe(2);
    expect(out.includes(0)).toBe(false); // never the main thread
  });

  it('rejects with the task’s message and kind, and stays usable', async () => {
    const out = sharedInt32(64);
    const error = await pool.parallelFor(64, FAILING, { out, failAt: 40 }, { chunks: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('invalid');
    expect((error as AppError).message).toBe('value 40 is not acceptable');
    expect((error as AppError).detail).toEqual({ field: 'data', index: 40 });
    await expect(pool.parallelFor(64, FAILING, { out, failAt: 3, plain: true })).rejects.toThrow('plain failure at 3');
    await expect(inline.parallelFor(64, FAILING, { out, failAt: 3, plain: true })).rejects.toThrow('plain failure at 3');
    await expect(pool.parallelFor(4, MISSING, { out })).rejects.toThrow(/task noSuchExport is not a function exported by/);
    const partials = sharedFloat64(2);
    await pool.parallelFor(4, SUM_SQUARES, { data: sharedFloat64(4).fill(1), partials }, { chunks: 2 });
    expect(Array.from(partials)).toEqual([2, 2]);
  });

  it('a worker that dies fails its loop as unavailable, and a new worker takes its place', async () => {
    const error = await pool.parallelFor(1, EXIT, {}).catch((e: unknown) => e);
    expect((error as AppError).kind).toBe('unavailable');
    expect((error as AppError).message).toMatch(/a worker of the pool stopped \(exit code 3\) while running task exitTask/);
    const partials = sharedFloat64(4);
    await pool.parallelFor(8, SUM_SQUARES, { data: sharedFloat64(8).fill(3), partials }, { chunks: 4 });
    expect(Array.from(partials)).toEqual([18, 18, 18, 18]);
  });

  it('refuses typed arrays outside shared memory (their writes would be lost)', async () => {
    await expect(pool.parallelFor(4, SUM_SQUARES, { data: new Float64Array(4), partials: sharedFloat64(4) })).rejects.toThrow(/argument "data" .* plain ArrayBuffer/);
    await expect(inline.parallelFor(4, SUM_SQUARES, { data: new Float64Array(4), partials: sharedFloat64(4) })).rejects.toThrow(/plain ArrayBuffer/);
  });

  it('n = 0 resolves at once; close() terminates and later calls reject', async () => {
    const local = new WorkerPool({ size: 2 });
    await local.parallelFor(0, SUM_SQUARES, { data: sharedFloat64(0), partials: sharedFloat64(1) });
    await local.parallelFor(4, SUM_SQUARES, { data: sharedFloat64(4), partials: sharedFloat64(4) });
    await local.close();
    await expect(local.parallelFor(4, SUM_SQUARES, { data: sharedFloat64(4), partials: sharedFloat64(4) })).rejects.toThrow(/closed/);
    await local.close(); // twice is fine
  });

  it('an idle pool does not keep the process alive', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const script = `
      import { register } from 'tsx/esm/api';
      register();
      const { WorkerPool } = await import(${JSON.stringify(new URL('./worker-pool.ts', import.meta.url).href)});
      const { SUM_SQUARES } = await import(${JSON.stringify(new URL('./worker-pool.fixtures.ts', import.meta.url).href)});
      const { sharedFloat64 } = await import(${JSON.stringify(new URL('./shared-arrays.ts', import.meta.url).href)});
      const pool = new WorkerPool({ size: 2 });
      const partials = sharedFloat64(2);
      await pool.parallelFor(10, SUM_SQUARES, { data: sharedFloat64(10).fill(2), partials }, { chunks: 2 });
      console.log('sum', partials[0] + partials[1]); // no close(): the process must still exit
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 15_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('sum 40');
    expect(result.status).toBe(0);
  });
});
