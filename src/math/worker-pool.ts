import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorKind } from '../core/errors.js';
import { isShared } from './shared-arrays.js';

/**
 * A loop body that a pool runs over index ranges: `(start, end, args, chunk)` covers indices
 * start..end-1 and is chunk number `chunk` of the loop. It must be an export of a module that workers
 * can import (see {@link defineTask}); it may return a promise.
 */
export type RangeTask<A> = (start: number, end: number, args: A, chunk: number) => void | Promise<void>;

/** Names a task by module URL and export name, so every worker can import it once. */
export interface TaskRef<A> {
  readonly module: string;
  readonly name: string;
  /** Carries the argument type only (never set). */
  readonly argsType?: (args: A) => void;
}

/**
 * Names the export `name` of the module at `module` (usually `import.meta.url` of the module that
 * defines the task) as a pool task taking `A`.
 *
 * @example
 * // in sum-squares.ts
 * export function sumSquares(start: number, end: number, args: { data: Float64Array; out: Float64Array }, chunk: number) { … }
 * export const SUM_SQUARES = defineTask<{ data: Float64Array; out: Float64Array }>(import.meta.url, 'sumSquares');
 */
export function defineTask<A>(module: string | URL, name: string): TaskRef<A> {
  return { module: String(module), name };
}

/** Options of {@link WorkerPool.parallelFor}. */
export interface ParallelForOptions {
  /** How many ranges to cut the loop into (default 4 per thread). Fix it to make reductions identical across pool sizes. */
  chunks?: number;
  /** Smallest range worth a message (default 1). */
  grain?: number;
}

/** A message from the pool to a worker (worker-pool-thread.ts): run one range, or import modules ahead. */
export type PoolRequest =
  | { type: 'run'; job: number; chunk: number; start: number; end: number; module: string; name: string; args: unknown }
  | { type: 'warm'; job: number; modules: string[] };
/** A task's error as it crosses threads. */
export interface RemoteError { message: string; name: string; kind?: ErrorKind; detail?: Record<string, unknown> }
/** A worker's answer to a request: done, or the error that stopped it. */
export type PoolReply = { type: 'done'; job: number; chunk: number; error?: RemoteError };

const THREAD_ENTRY = new URL('./worker-pool-thread.mjs', import.meta.url);

interface Job {
  id: number;
  module: string;
  name: string;
  args: unknown;
  ranges: [number, number][];
  next: number;
  inFlight: number;
  failure?: Error;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The loop whose range this worker is running. */
  job?: Job;
  /** Warm-up requests awaiting their reply, by request id. */
  warming: Map<number, { resolve: () => void; reject: (error: Error) => void }>;
  /** Requests in flight; the worker is ref'd only while this is above 0. */
  pending: number;
}

/**
 * Rebuilds a task's error on the pool's side: the same message, and the same kind and detail for an
 * AppError (used by the pool; exported for the worker protocol's tests and tools).
 *
 * @example
 * reviveError({ message: 'value 3 is bad', name: 'AppError', kind: 'invalid' }); // AppError kind invalid
 */
export function reviveError(remote: RemoteError): Error {
  if (remote.kind) return new AppError(remote.kind, remote.message, remote.detail ?? {});
  const error = new Error(remote.message);
  error.name = remote.name;
  return error;
}

/**
 * Data-parallel loops on worker threads over shared memory. `parallelFor(n, task, args)` cuts 0..n
 * into ranges and runs the task on them in the workers; typed arrays in `args` must live in shared
 * memory (see shared-arrays.ts) so that every worker reads and writes the caller's data. A pool of size
 * 1 runs the same ranges inline on the calling thread, so a result can be compared with the parallel one.
 *
 * Workers start on first use (or `warmup()`), import each task module once, and are unref'd while idle,
 * so an idle pool never keeps the process alive. A task that throws rejects the loop with the task's
 * message (an AppError keeps its kind) once its ranges in flight have finished; `close()` terminates the
 * workers.
 *
 * @example
 * const pool = new WorkerPool();                 // os.availableParallelism() threads
 * await pool.parallelFor(m, MATMUL_ROWS, { a, b, c, m, k, n });
 * await pool.close();
 */
export class WorkerPool {
  /** Threads that run ranges (1: inline on the calling thread). */
  readonly size: number;
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Job[] = [];
  private nextJob = 1;
  private closed = false;
  private readonly inlineModules = new Map<string, Promise<Record<string, unknown>>>();

  constructor(options: { size?: number } = {}) {
    const size = options.size ?? availableParallelism();
    if (!(Number.isInteger(size) && size >= 1)) throw AppError.invalid(`a worker pool needs an integer size ≥ 1, got ${size}`, { field: 'size' });
    this.size = size;
    this.slots = size === 1 ? [] : new Array<Slot | undefined>(size).fill(undefined);
  }

  /** Whether ranges run on the calling thread (size 1). */
  get inline(): boolean {
    return this.size === 1;
  }

  /** Runs `task` over 0..n-1 in ranges; resolves when every range is done. */
  parallelFor<A extends object>(n: number, task: TaskRef<A>, args: A, options: ParallelForOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(AppError.unavailable('the worker pool is closed'));
    if (!(Number.isInteger(n) && n >= 0)) return Promise.reject(AppError.invalid(`parallelFor needs an integer n ≥ 0, got ${n}`, { field: 'n' }));
    for (const [key, value] of Object.entries(args)) {
      if (ArrayBuffer.isView(value) && !isShared(value)) {
        return Promise.reject(AppError.invalid(
          `argument "${key}" of task ${task.name} is a typed array over a plain ArrayBuffer: workers would get a copy and its writes would be lost; allocate it with sharedFloat64() or toShared()`,
          { field: key },
        ));
      }
    }
    const ranges = splitRanges(n, options.chunks ?? this.size * 4, options.grain ?? 1);
    if (ranges.length === 0) return Promise.resolve();
    if (this.inline) return this.runInline(task, args, ranges);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ id: this.nextJob++, module: task.module, name: task.name, args, ranges, next: 0, inFlight: 0, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts every worker and has it import the given tasks' modules; resolves when all are ready. */
  async warmup(...tasks: TaskRef<never>[]): Promise<void> {
    if (this.closed) throw AppError.unavailable('the worker pool is closed');
    const modules = [...new Set(tasks.map((t) => t.module))];
    if (this.inline) {
      await Promise.all(modules.map((m) => this.importInline(m)));
      return;
    }
    await Promise.all(this.slots.map((_, index) => new Promise<void>((resolve, reject) => {
      const slot = this.slotAt(index);
      const job = this.nextJob++;
      slot.warming.set(job, { resolve, reject });
      hold(slot);
      slot.worker.postMessage({ type: 'warm', job, modules } satisfies PoolRequest);
    })));
  }

  /** Terminates the workers; loops still queued or running reject, later calls reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = AppError.unavailable('the worker pool is closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    const slots = this.slots.filter((s): s is Slot => s !== undefined);
    this.slots.fill(undefined);
    for (const slot of slots) for (const warm of slot.warming.values()) warm.reject(error);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private async runInline<A>(task: TaskRef<A>, args: A, ranges: [number, number][]): Promise<void> {
    const fn = await this.resolveInline(task);
    for (let chunk = 0; chunk < ranges.length; chunk++) await fn(ranges[chunk]![0], ranges[chunk]![1], args, chunk);
  }

  private importInline(module: string): Promise<Record<string, unknown>> {
    let loaded = this.inlineModules.get(module);
    if (!loaded) {
      loaded = import(module) as Promise<Record<string, unknown>>;
      this.inlineModules.set(module, loaded);
    }
    return loaded;
  }

  private async resolveInline<A>(task: TaskRef<A>): Promise<RangeTask<A>> {
    const fn = (await this.importInline(task.module))[task.name];
    if (typeof fn !== 'function') throw AppError.invalid(`task ${task.name} is not a function exported by ${task.module}`, { field: 'task' });
    return fn as RangeTask<A>;
  }

  private slotAt(index: number): Slot {
    const existing = this.slots[index];
    if (existing) return existing;
    const worker = new Worker(THREAD_ENTRY, { execArgv: workerExecArgv() });
    worker.unref();
    const slot: Slot = { worker, warming: new Map(), pending: 0 };
    worker.on('message', (reply: PoolReply) => {
      const warm = slot.warming.get(reply.job);
      if (warm) {
        slot.warming.delete(reply.job);
        release(slot);
        if (reply.error) warm.reject(reviveError(reply.error));
        else warm.resolve();
      } else if (slot.job?.id === reply.job) {
        release(slot);
        this.finishChunk(slot, reply.error);
      }
    });
    const lost = (reason: string) => {
      if (this.slots[index] !== slot) return;
      this.slots[index] = undefined;
      for (const warm of slot.warming.values()) warm.reject(AppError.unavailable(`a worker of the pool stopped (${reason}) while warming up`));
      slot.warming.clear();
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        job.failure ??= AppError.unavailable(`a worker of the pool stopped (${reason}) while running task ${job.name}`);
        job.inFlight--;
        this.settleIfDone(job);
      }
      this.dispatch();
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.slots[index] = slot;
    return slot;
  }

  private finishChunk(slot: Slot, error: RemoteError | undefined): void {
    const job = slot.job!;
    slot.job = undefined;
    job.inFlight--;
    if (error && !job.failure) job.failure = reviveError(error);
    this.settleIfDone(job);
    this.dispatch();
  }

  private settleIfDone(job: Job): void {
    const exhausted = job.failure !== undefined || job.next >= job.ranges.length;
    if (!exhausted || job.inFlight > 0) return;
    const at = this.queue.indexOf(job);
    if (at >= 0) this.queue.splice(at, 1);
    if (job.failure) job.reject(job.failure);
    else job.resolve();
  }

  /** Hands the next range of the oldest unfinished loop to every idle worker. */
  private dispatch(): void {
    if (this.closed) return;
    for (let index = 0; index < this.slots.length; index++) {
      const current = this.slots[index];
      if (current?.job) continue;
      const job = this.queue.find((j) => j.failure === undefined && j.next < j.ranges.length);
      if (!job) return;
      const slot = current ?? this.slotAt(index);
      const chunk = job.next++;
      const [start, end] = job.ranges[chunk]!;
      job.inFlight++;
      slot.job = job;
      hold(slot);
      slot.worker.postMessage({ type: 'run', job: job.id, chunk, start, end, module: job.module, name: job.name, args: job.args } satisfies PoolRequest);
    }
  }
}

/** The parent's Node flags minus those a worker rejects (`node --input-type=module -e …` starts workers too). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--input-type') i++;
    else if (!argv[i]!.startsWith('--input-type=')) out.push(argv[i]!);
  }
  return out;
}

/** Keeps the process alive while a worker has a request in flight… */
function hold(slot: Slot): void {
  if (slot.pending++ === 0) slot.worker.ref();
}

/** …and lets it exit once the worker is idle again. */
function release(slot: Slot): void {
  if (--slot.pending === 0) slot.worker.unref();
}

/**
 * Cuts 0..n into at most `chunks` contiguous ranges of at least `grain` indices (balanced: sizes
 * differ by at most one).
 *
 * @example
 * splitRanges(10, 3, 1); // [[0, 3], [3, 6], [6, 10]]
 */
export function splitRanges(n: number, chunks: number, grain: number): [number, number][] {
  if (!(Number.isInteger(chunks) && chunks >= 1)) throw AppError.invalid(`chunks must be an integer ≥ 1, got ${chunks}`, { field: 'chunks' });
  if (!(grain >= 1)) throw AppError.invalid(`grain must be ≥ 1, got ${grain}`, { field: 'grain' });
  const count = Math.max(1, Math.min(chunks, Math.floor(n / grain) || 1));
  if (n === 0) return [];
  const ranges: [number, number][] = [];
  for (let c = 0; c < count; c++) ranges.push([Math.floor((c * n) / count), Math.floor(((c + 1) * n) / count)]);
  return ranges;
}
