import { Worker } from 'node:worker_threads';
import { AppError, type ErrorKind } from '../../core/errors.js';
import type { BackendName } from '../../nn/models/model-backend.js';
import type { LabelledImage } from './image-cnn.js';
import type { TrainImageCnnOptions, TrainImageCnnReport } from './train-image-cnn.js';

const WORKER_ENTRY = new URL('./train-worker-thread.mjs', import.meta.url);
/** How long a cancelled worker gets to stop at a batch boundary before it is terminated. */
const CANCEL_GRACE_MS = 10_000;

/** What the worker receives: the examples packed into typed arrays (transferred), and the options. */
export interface WorkerRequest {
  pixels: Float32Array;
  categories: Int32Array;
  colours: Int32Array;
  seed: string;
  backend: BackendName;
  /** Set to 1 by `cancel()`: the worker stops at its next training batch and exits by itself. */
  stop: Int32Array;
  options: Omit<TrainImageCnnOptions, 'executor' | 'inferenceExecutor' | 'onEpoch' | 'cancelled'>;
}

export interface WorkerDone {
  type: 'done';
  /** `ImageCnn.save()` of the trained model. */
  model: Uint8Array;
  report: TrainImageCnnReport;
}

type WorkerMessage = WorkerDone | { type: 'error'; message: string; kind?: ErrorKind };

/** A training in a worker thread: its result, and a way to stop it. */
export interface WorkerTraining {
  result: Promise<{ model: Uint8Array; report: TrainImageCnnReport }>;
  /** Stops the worker (at its next batch); `result` then rejects with AppError unavailable. */
  cancel(): Promise<void>;
}

/**
 * Runs `trainImageCnn` in a worker thread on `backend`, so the thread that serves requests is never
 * blocked by a training step; the model comes back as `ImageCnn.save()` bytes for `ImageCnn.load`.
 *
 * @example const { result } = trainInWorker(examples, 'photo:demo', 'onnx', { config, classes: 123, colours: 10 });
 * const { model, report } = await result; cnn.load(model);
 */
export function trainInWorker(examples: readonly LabelledImage[], seed: string, backend: BackendName, options: WorkerRequest['options']): WorkerTraining {
  const size = options.config.size ?? Math.round(Math.sqrt(examples[0]!.pixels.length / 3));
  const stride = size * size * 3;
  const pixels = new Float32Array(examples.length * stride);
  examples.forEach((e, i) => pixels.set(e.pixels, i * stride));
  const request: WorkerRequest = {
    pixels, categories: Int32Array.from(examples, (e) => e.category), colours: Int32Array.from(examples, (e) => e.colour),
    seed, backend, options: { ...options, config: { ...options.config, size } }, stop: new Int32Array(new SharedArrayBuffer(4)),
  };
  const worker = new Worker(WORKER_ENTRY, {
    workerData: request, transferList: [pixels.buffer, request.categories.buffer, request.colours.buffer] as ArrayBuffer[], execArgv: workerExecArgv(),
  });
  let cancelled = false;
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => {
    exited = true;
    resolve();
  }));
  const result = new Promise<{ model: Uint8Array; report: TrainImageCnnReport }>((resolve, reject) => {
    let done: WorkerDone | undefined;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') done = message;
      else reject(message.kind ? new AppError(message.kind, message.message) : new Error(message.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (done && !cancelled) resolve({ model: done.model, report: done.report });
      else reject(AppError.unavailable(cancelled ? 'image CNN training was cancelled' : `the photo-search training worker stopped (exit code ${code}) before it finished`));
    });
  });
  result.catch(() => undefined); // the caller awaits it; a cancel must not surface as unhandled
  return {
    result,
    async cancel() {
      cancelled = true;
      // Asked, not killed: terminating a thread inside an onnxruntime call can abort the whole process
      // (a native exception during the thread's teardown). A stuck worker is terminated after a while.
      if (exited) return;
      Atomics.store(request.stop, 0, 1);
      const timer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** The parent's node flags minus --input-type (a worker given a file URL refuses it). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--input-type') i++;
    else if (!argv[i]!.startsWith('--input-type=')) out.push(argv[i]!);
  }
  return out;
}
