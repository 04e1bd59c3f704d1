import { AppError } from '../../core/errors.js';
import { cpuExecutor, type Executor, type ExecutorFactory } from '../executor.js';
import { OnnxExecutor } from '../onnx/onnx-executor.js';

/** The backends a model of this folder can run on. */
export type BackendName = 'onnx' | 'cpu';

export interface ModelBackendOptions {
  /** onnxruntime intra-op threads of the training session (default 1). */
  trainThreads?: number;
  /** onnxruntime intra-op threads of the inference session (default 1: batch-1 graphs are too small to split). */
  inferThreads?: number;
}

/** Executors for a model's training and inference graphs, created on first run, and a way to free the training one. */
export interface ModelBackend {
  executor: ExecutorFactory;
  inferenceExecutor: ExecutorFactory;
  /** Frees the native training sessions (after a fit); a later training run builds them again. */
  releaseTraining(): Promise<void>;
}

/**
 * The executors of a model on `name`, each built at its graph's first run rather than when the model is
 * constructed: a model restored from a file for serving never compiles its training graph, and a model
 * built only to be trained never builds its inference session until it scores.
 *
 * @example
 * const backend = modelBackend('onnx');
 * const model = new Sasrec(config, rng, { ...backend, lr: 1e-3 });
 * … train …
 * await backend.releaseTraining();
 */
export function modelBackend(name: BackendName, options: ModelBackendOptions = {}): ModelBackend {
  if (name !== 'onnx' && name !== 'cpu') throw AppError.invalid(`unknown backend "${String(name)}"; the backends are onnx, cpu`, { field: 'backend' });
  const at = (threads: number): ExecutorFactory =>
    name === 'cpu' ? cpuExecutor : (graph, outputs) => OnnxExecutor.create(graph, outputs, { intraOpNumThreads: threads });
  const training: LazyExecutor[] = [];
  return {
    executor: (graph, outputs) => {
      const lazy = new LazyExecutor(() => at(options.trainThreads ?? 1)(graph, outputs));
      training.push(lazy);
      return lazy;
    },
    inferenceExecutor: (graph, outputs) => new LazyExecutor(() => at(options.inferThreads ?? 1)(graph, outputs)),
    releaseTraining: async () => {
      await Promise.all(training.map((lazy) => lazy.release()));
    },
  };
}

/** An executor that builds the real one at its first run (and again after `release`). */
class LazyExecutor implements Executor {
  private made: Promise<Executor> | undefined;

  constructor(private readonly make: () => Executor | Promise<Executor>) {}

  async run(inputs: Parameters<Executor['run']>[0], params: Parameters<Executor['run']>[1]): Promise<Float32Array[]> {
    this.made ??= Promise.resolve().then(this.make);
    return (await this.made).run(inputs, params);
  }

  async release(): Promise<void> {
    const made = this.made;
    this.made = undefined;
    if (!made) return;
    const executor = await made.catch(() => undefined);
    if (executor && 'release' in executor && typeof executor.release === 'function') await (executor as OnnxExecutor).release();
  }
}
