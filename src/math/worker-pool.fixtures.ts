// Tasks for worker-pool.test.ts (a module workers can import; not part of the library).
import { threadId } from 'node:worker_threads';
import { AppError } from '../core/errors.js';
import { defineTask } from './worker-pool.js';

export interface SumSquaresArgs {
  data: Float64Array;
  /** One partial sum per chunk. */
  partials: Float64Array;
}

/** partials[chunk] = Σ data[i]² over the range. */
export function sumSquares(start: number, end: number, args: SumSquaresArgs, chunk: number): void {
  let s = 0;
  for (let i = start; i < end; i++) s += args.data[i]! * args.data[i]!;
  args.partials[chunk] = s;
}

/** Writes i into out[i], then fails on `failAt` with an AppError (or a plain Error when `plain`). */
export async function failingTask(start: number, end: number, args: { out: Int32Array; failAt: number; plain?: boolean }): Promise<void> {
  for (let i = start; i < end; i++) {
    if (i === args.failAt) {
      if (args.plain) throw new Error(`plain failure at ${i}`);
      throw AppError.invalid(`value ${i} is not acceptable`, { field: 'data', index: i });
    }
    Atomics.store(args.out, i, i);
  }
}

/** Records which thread ran each index (its threadId; 0 is the main thread). */
export function whoRan(start: number, end: number, args: { out: Int32Array; spinMs: number }): void {
  const until = Date.now() + args.spinMs;
  while (Date.now() < until) {
    // Busy work so the ranges spread over every worker.
  }
  for (let i = start; i < end; i++) args.out[i] = threadId;
}

/** Ends its worker thread (process.exit in a worker stops only that thread). */
export function exitTask(_start: number, _end: number, args: { code?: number }): void {
  process.exit(args.code ?? 3);
}

export const EXIT = defineTask<{ code?: number }>(import.meta.url, 'exitTask');
export const SUM_SQUARES = defineTask<SumSquaresArgs>(import.meta.url, 'sumSquares');
export const FAILING = defineTask<{ out: Int32Array; failAt: number; plain?: boolean }>(import.meta.url, 'failingTask');
export const WHO_RAN = defineTask<{ out: Int32Array; spinMs: number }>(import.meta.url, 'whoRan');
export const MISSING = defineTask<{ out: Int32Array }>(import.meta.url, 'noSuchExport');
