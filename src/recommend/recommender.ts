import { AppError } from '../core/errors.js';
import type { SeededRandom } from '../math/random.js';
import { topKScored, type Exclusion, type TopKResult } from '../math/topk.js';
import type { WorkerPool } from '../math/worker-pool.js';
import type { TrainingData, UserQuery } from './training-data.js';

/** What a model can do, as data (never `instanceof`): the harness and the API pick by these. */
export interface ModelCapabilities {
  /** Predicts ratings (`predict`): evaluated by RMSE / MAE in rating protocols. */
  ratings: boolean;
  /** Scores a user it was not trained on from the query's items alone (cold users, anonymous sessions). */
  foldIn: boolean;
  /** Uses item content, so it can score items nobody has interacted with (cold items). */
  content: boolean;
  /** Uses the order of interactions (`UserQuery.history`). */
  sequential: boolean;
}

/** Progress of a fit: `step` of `steps` (epochs, or users / items for closed-form models). */
export interface FitProgress {
  step: number;
  steps: number;
  /** What a step is: 'epoch', 'users', … */
  unit: string;
  loss?: number;
}

export interface FitOptions {
  /** The only source of randomness of a fit, so a seed reproduces it. */
  rng: SeededRandom;
  onProgress?: (progress: FitProgress) => void;
  /** Aborting it stops the fit at the next step with `AppError('unavailable', 'training cancelled')`. */
  signal?: AbortSignal;
  /** Worker threads for models that parallelise. */
  pool?: WorkerPool;
}

/** What a fit reports: its time and, for iterative models, the loss per epoch. */
export interface FitReport {
  seconds: number;
  epochs?: number;
  losses?: number[];
  [key: string]: unknown;
}

/**
 * A recommender (DESIGN.md rule 4). Works on dense user and item indices of a `TrainingData`; the
 * mapping to the shop's ids lives outside (see `TrainedModel`). Scores are "higher is better" and only
 * comparable within one call.
 */
export interface Recommender {
  readonly name: string;
  /** The resolved hyper-parameters. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly capabilities: ModelCapabilities;
  fit(data: TrainingData, options: FitOptions): Promise<FitReport>;
  /** Writes a score for every item index into `out` (length = numItems of the training data). */
  score(query: UserQuery, out: Float32Array): void | Promise<void>;
  /** Predicted rating of (user, item); models with `capabilities.ratings` only. */
  predict?(user: number, item: number): number;
  /** The best `n` items for the query, leaving out `exclude`. */
  recommend(query: UserQuery, n: number, exclude?: Exclusion): Promise<TopKResult>;
  /** The `n` items most similar to `item` (never `item` itself). */
  similar(item: number, n: number): Promise<TopKResult>;
  /** The trained state as bytes; `load` on a model made with the same params restores it exactly. */
  save(): Uint8Array;
  load(bytes: Uint8Array): void;
}

/**
 * The shared part of every recommender: `recommend` and `similar` over `score`, the dimensions of the
 * fitted data, cancellation and progress. `similar` defaults to scoring a one-item query (what users
 * who liked this item like); models with item vectors override `similarScores`.
 */
export abstract class BaseRecommender implements Recommender {
  abstract readonly name: string;
  abstract readonly params: Readonly<Record<string, unknown>>;
  abstract readonly capabilities: ModelCapabilities;
  protected numUsers = 0;
  protected numItems = 0;

  abstract fit(data: TrainingData, options: FitOptions): Promise<FitReport>;
  abstract score(query: UserQuery, out: Float32Array): void | Promise<void>;
  abstract save(): Uint8Array;
  abstract load(bytes: Uint8Array): void;

  async recommend(query: UserQuery, n: number, exclude?: Exclusion): Promise<TopKResult> {
    this.requireFitted();
    const out = new Float32Array(this.numItems);
    await this.score(query, out);
    return topKScored(out, n, exclude);
  }

  async similar(item: number, n: number): Promise<TopKResult> {
    this.requireFitted();
    if (!(Number.isInteger(item) && item >= 0 && item < this.numItems)) throw AppError.notFound(`${this.name}: no item at index ${item}`, { field: 'item' });
    const out = new Float32Array(this.numItems);
    await this.similarScores(item, out);
    return topKScored(out, n, [item]);
  }

  /** Similarity of every item to `item`; by default the scores of a query holding only `item`. */
  protected similarScores(item: number, out: Float32Array): void | Promise<void> {
    return this.score({ user: -1, items: Int32Array.of(item), values: Float32Array.of(1), history: Int32Array.of(item) }, out);
  }

  /** Records the dimensions of the data being fitted (call first in `fit`). */
  protected begin(data: TrainingData): number {
    this.numUsers = data.numUsers;
    this.numItems = data.numItems;
    return performance.now();
  }

  protected requireFitted(): void {
    if (this.numItems === 0) throw AppError.unavailable(`${this.name}: the model is not trained yet`);
  }
}

/**
 * Throws the cancellation error when `signal` is aborted; call between steps of a fit.
 *
 * @example for (let epoch = 0; epoch < epochs; epoch++) { checkCancelled(options.signal); … }
 */
export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('unavailable', 'training cancelled', { field: 'signal' }, { cause: signal.reason });
}

/** Seconds since `started` (a `performance.now()` value). */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

/** A model in the registry: its name, what it is, its typed parameters and how to make one. */
export interface ModelEntry {
  name: string;
  description: string;
  /** Its hyper-parameters (see params.ts); `create` resolves and checks given values against it. */
  spec: import('./params.js').ParamSpec;
  /** Capabilities before fitting (the same as the instances'). */
  capabilities: ModelCapabilities;
  create(params?: Record<string, unknown>): Recommender;
}
