import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorKind, isAppError } from '../core/errors.js';
import { loadInteractionsFromStore } from '../recommend/data/from-store.js';
import { createModel } from '../recommend/registry.js';
import { TrainedModel } from '../recommend/trained-model.js';
import type { Storage } from '../storage/storage.js';
import type { ServedModels } from './served-models.js';
import { type JobProgress, type TrainingMessage, type TrainingRequest, toWire } from './training-protocol.js';

const WORKER_ENTRY = new URL('./training-worker-thread.mjs', import.meta.url);

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A training job as the API shows it. */
export interface TrainingJob {
  id: string;
  workspaceId: string;
  /** The slot the version is saved and served under. */
  name: string;
  model: string;
  /** Parameters as given; the saved version records the resolved ones. */
  params: Record<string, unknown>;
  status: JobStatus;
  progress: JobProgress;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: { kind: ErrorKind | 'internal'; message: string } | null;
  /** The version saved, once succeeded. */
  version: number | null;
  /** Fit report, holdout figure and data size, once succeeded. */
  metrics: Record<string, unknown> | null;
}

export interface StartTraining {
  workspaceId: string;
  model: string;
  params?: Record<string, unknown>;
  name?: string;
  /** Event weights over the defaults (see recommend/data/feedback.ts). */
  weights?: Record<string, number>;
  /** Also fit on a leave-last-out split and record its hit rate (default: the service's option). */
  holdout?: boolean;
}

export interface TrainingJobsOptions {
  /** Seed of every fit (the same data and seed give the same model). */
  seed?: number | string;
  holdout?: boolean;
  /** Jobs that fit at once, over all workspaces; the rest wait queued (default 1: the fits use every core). */
  concurrency?: number;
  /** Versions kept per (workspace, name); older ones are pruned after a save. */
  keepVersions?: number;
  /** Finished jobs remembered per workspace (jobs live in memory; versions live in the store). */
  keepJobs?: number;
}

interface Entry {
  job: TrainingJob;
  request: Required<Pick<StartTraining, 'holdout'>> & StartTraining;
  worker?: Worker;
  cancelled: boolean;
  listeners: Set<(job: TrainingJob) => void>;
  finished: Promise<TrainingJob>;
  finish: (job: TrainingJob) => void;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Training jobs: `start` validates the request and queues a job; the job loads the workspace's
 * interactions from the event log (on this thread), then fits in a worker thread that receives the
 * typed arrays by transfer, so serving goes on while it trains. The result is saved as the next
 * version of (workspace, name) in `storage.models` and served at once. One job per (workspace, name)
 * at a time; `cancel` terminates the worker. Jobs live in memory; the versions they saved survive a
 * restart and are served from the store.
 *
 * @example
 * const jobs = new TrainingJobs(storage, served);
 * const job = jobs.start({ workspaceId: 'shop-a', model: 'ease', params: { lambda: 200 } });
 * const done = await jobs.wait(job.id); // done.status === 'succeeded', done.version === 1
 */
export class TrainingJobs {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private running = 0;
  private readonly options: Required<TrainingJobsOptions>;

  constructor(private readonly storage: Pick<Storage, 'events' | 'items' | 'models'>, private readonly served: ServedModels, options: TrainingJobsOptions = {}) {
    this.options = { seed: 1, holdout: true, concurrency: 1, keepVersions: 5, keepJobs: 50, ...options };
  }

  /** Queues a training job; `AppError('invalid')` for an unknown model or bad params, `'conflict'` while the slot trains. */
  start(request: StartTraining): TrainingJob {
    const name = request.name ?? 'default';
    if (!NAME_PATTERN.test(name)) throw AppError.invalid(`a model name has 1–64 letters, digits, '_', '.' or '-'; got ${JSON.stringify(name)}`, { field: 'name' });
    createModel(request.model, request.params ?? {}); // checks the model name and params now, so a bad request fails at once
    const busy = [...this.entries.values()].find((e) => e.job.workspaceId === request.workspaceId && e.job.name === name && !isFinished(e.job.status));
    if (busy) throw AppError.conflict(`model "${name}" of workspace ${request.workspaceId} is already training (job ${busy.job.id}); wait for it or cancel it`, { field: 'name', jobId: busy.job.id });
    const job: TrainingJob = {
      id: randomUUID(), workspaceId: request.workspaceId, name, model: request.model, params: { ...request.params },
      status: 'queued', progress: { phase: 'queued', step: 0, steps: 0, unit: '' },
      createdAt: Date.now(), startedAt: null, finishedAt: null, error: null, version: null, metrics: null,
    };
    let finish!: (job: TrainingJob) => void;
    const finished = new Promise<TrainingJob>((resolve) => (finish = resolve));
    const entry: Entry = { job, request: { ...request, name, holdout: request.holdout ?? this.options.holdout }, cancelled: false, listeners: new Set(), finished, finish };
    this.entries.set(job.id, entry);
    this.queue.push(entry);
    this.forget(request.workspaceId);
    // Started after the caller has the job, so what `start` returns is the queued job.
    queueMicrotask(() => this.pump());
    return snapshot(job);
  }

  /** The job `id`; `AppError('not_found')` when there is none (in `workspaceId`, when given). */
  get(id: string, workspaceId?: string): TrainingJob {
    return snapshot(this.entry(id, workspaceId).job);
  }

  /** The jobs of a workspace, newest first. */
  list(workspaceId: string): TrainingJob[] {
    return [...this.entries.values()].filter((e) => e.job.workspaceId === workspaceId).map((e) => snapshot(e.job)).reverse();
  }

  /** Stops a queued or running job (its worker is terminated); `AppError('conflict')` once it has finished or is saving. */
  async cancel(id: string, workspaceId?: string): Promise<TrainingJob> {
    const entry = this.entry(id, workspaceId);
    const { job } = entry;
    if (isFinished(job.status)) throw AppError.conflict(`job ${id} has already ${job.status}`, { field: 'id', status: job.status });
    if (job.progress.phase === 'saving') throw AppError.conflict(`job ${id} is saving its version; it can no longer be cancelled`, { field: 'id' });
    entry.cancelled = true;
    const queued = this.queue.indexOf(entry);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(entry, 'cancelled');
    } else if (entry.worker) {
      await entry.worker.terminate();
    }
    return snapshot((await entry.finished));
  }

  /** Resolves with the job once it has succeeded, failed or been cancelled. */
  wait(id: string): Promise<TrainingJob> {
    return this.entry(id).finished.then(snapshot);
  }

  /** Calls `listener` on every change of the job (progress, status) until it finishes; returns the unsubscribe. */
  subscribe(id: string, listener: (job: TrainingJob) => void): () => void {
    const entry = this.entry(id);
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /** Cancels every unfinished job (server shutdown). */
  async close(): Promise<void> {
    const open = [...this.entries.values()].filter((e) => !isFinished(e.job.status));
    await Promise.all(open.map((e) => this.cancel(e.job.id).catch(() => e.finished)));
  }

  private entry(id: string, workspaceId?: string): Entry {
    const entry = this.entries.get(id);
    if (!entry || (workspaceId !== undefined && entry.job.workspaceId !== workspaceId)) throw AppError.notFound(`no training job ${id} in this workspace`, { field: 'id' });
    return entry;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      this.running++;
      void this.run(entry).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(entry: Entry): Promise<void> {
    const { job, request } = entry;
    try {
      job.status = 'running';
      job.startedAt = Date.now();
      this.update(entry, { phase: 'loading', step: 0, steps: 0, unit: 'events' });
      const t0 = performance.now();
      const interactions = await loadInteractionsFromStore(this.storage, job.workspaceId, {
        ...(request.weights ? { weights: request.weights } : {}),
        onProgress: (p) => this.update(entry, { phase: 'loading', step: p.read, steps: 0, unit: p.phase }),
      });
      if (entry.cancelled) return this.settle(entry, 'cancelled');
      if (interactions.user.length === 0) throw AppError.invalid(`workspace ${job.workspaceId} has no events that name products yet; send some (POST /v1/events) before training`, { field: 'events' });
      const { wire, transfer } = toWire(interactions);
      const trainingRequest: TrainingRequest = { model: job.model, params: job.params, seed: this.options.seed, holdout: request.holdout, interactions: wire };
      const t1 = performance.now();
      const done = await this.fitInWorker(entry, trainingRequest, transfer);
      if (!done) return this.settle(entry, 'cancelled');
      this.update(entry, { phase: 'saving', step: 0, steps: 1, unit: 'version' });
      const t2 = performance.now();
      const trained = TrainedModel.load(done.blob);
      const seconds = (from: number, to: number) => Math.round(to - from) / 1000;
      // What the job spent where: reading the events, the worker (holdout + fit + packing), loading the blob to serve.
      const timings = { load: seconds(t0, t1), worker: seconds(t1, t2), serve: seconds(t2, performance.now()) };
      const metrics = { fit: done.report, data: done.data, ...(done.holdout ? { holdout: done.holdout } : {}), timings };
      const info = await this.storage.models.save(job.workspaceId, { name: job.name, model: job.model, params: done.params, metrics, createdAt: Date.now(), data: done.blob });
      this.served.install(job.workspaceId, job.name, trained, info);
      await this.storage.models.prune(job.workspaceId, job.name, this.options.keepVersions);
      job.version = info.version;
      job.metrics = metrics;
      this.update(entry, { phase: 'done', step: 1, steps: 1, unit: 'version' });
      this.settle(entry, 'succeeded');
    } catch (error) {
      if (entry.cancelled) return this.settle(entry, 'cancelled');
      job.error = isAppError(error) ? { kind: error.kind, message: error.message } : { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
      this.settle(entry, 'failed');
    }
  }

  /** Runs the fit in a worker; undefined when the worker was terminated (cancelled). */
  private fitInWorker(entry: Entry, request: TrainingRequest, transfer: ArrayBuffer[]): Promise<Extract<TrainingMessage, { type: 'done' }> | undefined> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_ENTRY, { workerData: request, transferList: transfer, execArgv: workerExecArgv() });
      entry.worker = worker;
      let result: Extract<TrainingMessage, { type: 'done' }> | undefined;
      worker.on('message', (message: TrainingMessage) => {
        if (message.type === 'progress') this.update(entry, message.progress);
        else if (message.type === 'done') result = message;
        else reject(message.error.kind ? new AppError(message.error.kind, message.error.message) : new Error(message.error.message));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        entry.worker = undefined;
        if (result || entry.cancelled) resolve(result && !entry.cancelled ? result : undefined);
        else reject(AppError.unavailable(`the training worker stopped (exit code ${code}) before it finished`));
      });
    });
  }

  private update(entry: Entry, progress: JobProgress): void {
    entry.job.progress = progress;
    this.notify(entry);
  }

  private settle(entry: Entry, status: JobStatus): void {
    entry.job.status = status;
    entry.job.finishedAt = Date.now();
    this.notify(entry);
    entry.finish(snapshot(entry.job));
    entry.listeners.clear();
  }

  private notify(entry: Entry): void {
    if (entry.listeners.size === 0) return;
    const copy = snapshot(entry.job);
    for (const listener of entry.listeners) listener(copy);
  }

  /** Drops the oldest finished jobs of a workspace beyond `keepJobs`. */
  private forget(workspaceId: string): void {
    const finished = [...this.entries.values()].filter((e) => e.job.workspaceId === workspaceId && isFinished(e.job.status));
    for (const e of finished.slice(0, Math.max(0, finished.length - this.options.keepJobs))) this.entries.delete(e.job.id);
  }
}

function isFinished(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

function snapshot(job: TrainingJob): TrainingJob {
  return structuredClone(job);
}

/** The parent's Node flags minus those a worker rejects (as in math/worker-pool.ts). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--input-type') i++;
    else if (!argv[i]!.startsWith('--input-type=')) out.push(argv[i]!);
  }
  return out;
}
