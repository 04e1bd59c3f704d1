import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import type { ExecutorFactory } from '../../nn/executor.js';
import { BiGruClassifier, type BiGruClassifierConfig } from '../../nn/models/bigru-classifier.js';
import { OnnxExecutor } from '../../nn/onnx/onnx-executor.js';
import { BucketedTextCnn, type BucketedTextCnnConfig } from '../../nn/models/bucketed-text-cnn.js';

/**
 * The two classifier networks.
 *
 * @example const a: Architecture = 'bigru-att';
 */
export type Architecture = 'cnn' | 'bigru-att';
/** Both architectures, in the order `auto` trains them (the faster CNN first). @example ARCHITECTURES.includes('cnn') // true */
export const ARCHITECTURES: readonly Architecture[] = ['cnn', 'bigru-att'];

/** What both architectures offer (BucketedTextCnn and BiGruClassifier have the same methods). */
export type ClassifierModel = BucketedTextCnn | BiGruClassifier;

/** The config of either architecture, tagged. */
export type ModelConfig = { architecture: 'cnn'; cnn: BucketedTextCnnConfig; lr: number } | { architecture: 'bigru-att'; bigru: BiGruClassifierConfig; lr: number };

/** The data-dependent sizes a config is made from. */
export interface ModelSizes {
  vocab: number;
  /** Feature length of the training texts (a high percentile). */
  length: number;
  classes: number;
  examples: number;
  /** Feature counts of the training texts, for the CNN's length buckets (used from 4,000 examples on: below that, compiling more graphs costs more than padding); default: one bucket. */
  lengths?: number[];
}

/** Longest input each architecture reads (features past it are cut): the GRU is unrolled per step. @example MAX_LENGTH.cnn // 160 */
export const MAX_LENGTH: Record<Architecture, number> = { cnn: 160, 'bigru-att': 64 };

/**
 * The default hyperparameters (fixed, not tuned on any test set): Kim's CNN-rand (widths 3/4/5 × 100
 * filters, dropout 0.5) with Adam at 3e-3 (on the held-out slice of Banking77's train it reached 88.5%
 * in 8 epochs where 1e-3 reached 85.1%; the budget rarely allows more epochs) and a BiGRU of 64 units a direction with attention pooling (dropout
 * 0.25, Adam 2e-3), both on a 128-wide random embedding; batch 64, smaller for small training sets so
 * an epoch still has a dozen steps.
 *
 * @example defaultConfig('cnn', { vocab: 9000, length: 22, classes: 7, examples: 11800 })
 */
export function defaultConfig(architecture: Architecture, sizes: ModelSizes, overrides: ModelOverrides = {}): ModelConfig {
  const o = overrides;
  const batchSize = o.batchSize ?? Math.max(8, Math.min(64, 2 ** Math.floor(Math.log2(Math.max(1, sizes.examples / 12)))));
  const length = Math.max(5, Math.min(o.maxLength ?? MAX_LENGTH[architecture], sizes.length));
  const embDim = o.embDim ?? 128;
  if (architecture === 'cnn') {
    const widths = o.widths ?? [3, 4, 5];
    return { architecture, lr: o.lr ?? 3e-3, cnn: { vocab: sizes.vocab, embDim, length, buckets: sizes.examples >= 4000 ? lengthBuckets(sizes.lengths ?? [], length, Math.max(...widths)) : [length], widths, filters: o.filters ?? 100, classes: sizes.classes, batchSize, dropout: o.dropout ?? 0.5 } };
  }
  return { architecture, lr: o.lr ?? 2e-3, bigru: { vocab: sizes.vocab, embDim, hidden: o.hidden ?? 64, length, classes: sizes.classes, batchSize, dropout: o.dropout ?? 0.25 } };
}

/** Hyperparameters that replace the defaults (for exploring on the held-out slice of train). */
export interface ModelOverrides {
  embDim?: number;
  filters?: number;
  widths?: number[];
  hidden?: number;
  batchSize?: number;
  dropout?: number;
  lr?: number;
  maxLength?: number;
}

/**
 * The ONNX Runtime backend with `threads` intra-op threads.
 *
 * @example new TextCnn(config, rng, { executor: onnxBackend(1) });
 */
export function onnxBackend(threads = 1): ExecutorFactory {
  return (g, outputs) => OnnxExecutor.create(g, outputs, { intraOpNumThreads: threads });
}

/**
 * Builds the model of a config on `executor` (default: the ONNX backend, one thread).
 *
 * @example const model = createModel(defaultConfig('cnn', sizes), rng.fork('cnn'));
 */
export function createModel(config: ModelConfig, rng: SeededRandom, executor: ExecutorFactory = onnxBackend()): ClassifierModel {
  if (config.architecture === 'cnn') return new BucketedTextCnn(config.cnn, rng, { executor, lr: config.lr });
  if (config.architecture === 'bigru-att') return new BiGruClassifier(config.bigru, rng, { executor, lr: config.lr, adam: 'ts' });
  throw AppError.invalid(`unknown architecture ${(config as { architecture: string }).architecture}`, { field: 'architecture' });
}

/** The fixed input length of a config. @example configLength(defaultConfig('cnn', sizes)) // 22 */
export function configLength(config: ModelConfig): number {
  return config.architecture === 'cnn' ? config.cnn.length : config.bigru.length;
}

/**
 * Length buckets for the CNN: the 50th, 80th and 95th percentiles of the training lengths and `length`,
 * rounded up to multiples of 4, at least `minLength` (the widest kernel) and 8, duplicates dropped.
 *
 * @example lengthBuckets(sst2Lengths, 32, 5) // [8, 16, 24, 32]
 */
export function lengthBuckets(lengths: readonly number[], length: number, minLength: number): number[] {
  const sorted = [...lengths].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : length);
  const round = (n: number) => Math.min(length, Math.max(minLength, 8, Math.ceil(n / 4) * 4));
  return [...new Set([...[0.5, 0.8, 0.95].map((q) => round(at(q))), length])].filter((b) => b <= length).sort((a, b) => a - b);
}
