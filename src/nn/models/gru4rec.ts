import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { Graph, type Value } from '../graph.js';
import { dropout } from '../layers/dropout.js';
import { EmbeddingTable } from '../layers/embedding-table.js';
import { gru } from '../layers/gru.js';
import { NetBuilder } from '../layers/net-builder.js';
import { ParamStore } from '../layers/param-store.js';
import { cpuExecutor, type Executor } from '../executor.js';
import { GraphTrainer, type ModelOptions } from './graph-trainer.js';
import { SampledSoftmaxFeeds, sampledSoftmaxLoss, type SharedNegativesBatch } from './sampled-softmax.js';

export interface Gru4recConfig {
  /** Item ids are 1 … items; 0 is padding (both tables have items + 1 rows). */
  items: number;
  /** Width of the input item embedding. */
  dim: number;
  /** GRU units. */
  hidden: number;
  /** Fixed sequence length L (left-padded with 0). */
  length: number;
  /** Fixed training batch size B. */
  batchSize: number;
  /** Sampled negative items per batch, shared by every position of the batch. */
  negatives: number;
  /** Dropout on the input embeddings and on the GRU outputs during training (default 0). */
  dropout?: number;
}

/** One training batch: B × L ids each (row-major) of the sequences and the next item at each position, plus the batch's shared negatives. */
export type Gru4recBatch = SharedNegativesBatch;

/**
 * GRU4Rec's network on gathered item embeddings `items` [B, L, D] with keep-mask `mask` [B, L]: a GRU
 * (scope `gru`) whose state stays zero through the left padding; returns its states at every step
 * [B, L, H] and its last state [B, H]. Dropout on the embeddings and the states in training graphs.
 *
 * @example const { outputs } = gru4recNetwork(b, table.input(g, [32, 10]), mask, config);
 */
export function gru4recNetwork(b: NetBuilder, items: Value, mask: Value, config: Gru4recConfig): { outputs: Value; last: Value } {
  const rate = config.dropout ?? 0;
  const { outputs, last } = gru(b.scope('gru'), dropout(b, items, rate), { units: config.hidden, mask });
  return { outputs: dropout(b, outputs, rate), last };
}

/**
 * GRU4Rec (Hidasi et al. 2016, with the sampled cross-entropy of Hidasi & Karatzoglou 2018): input item
 * table [items + 1, dim] → GRU → the state scores item i as h · w_i + b_i, where w_i | b_i is row i of
 * the output table [items + 1, hidden + 1]. Both tables live outside the graph (sparse Adam); the GRU in
 * the graph (Adam, see `GraphTrainer`). Each user sequence is one session: every position predicts the
 * next item. Training graph [batchSize, length] and a batch-1 inference graph, each built once.
 *
 * @example
 * const model = new Gru4rec({ items: 900, dim: 64, hidden: 64, length: 20, batchSize: 64, negatives: 128 }, rng);
 * await model.trainStep({ sequences, positives, negatives });
 * const scores = await model.scores(history); // index = item id; 0 is padding
 */
export class Gru4rec {
  readonly store = new ParamStore();
  readonly table: EmbeddingTable;
  readonly output: EmbeddingTable;
  readonly trainer: GraphTrainer;
  private readonly encodeRun: Promise<Executor>;
  private readonly inferNames: string[];
  private readonly feeds: SampledSoftmaxFeeds;

  constructor(readonly config: Gru4recConfig, rng: SeededRandom, options: ModelOptions = {}) {
    const { items, dim, hidden, length: L, batchSize: B, negatives: N } = config;
    for (const [name, value] of Object.entries({ items, dim, hidden, length: L, batchSize: B, negatives: N })) {
      if (!(Number.isInteger(value) && value >= 1)) throw AppError.invalid(`gru4rec ${name} must be a whole number ≥ 1, got ${value}`, { field: name });
    }
    this.table = EmbeddingTable.create(this.store, 'items', items + 1, dim, rng, { paddingIndex: 0 });
    // Output vectors N(0, 1/hidden): first logits of order 1 for states in (−1, 1); every bias starts at 0.
    this.output = EmbeddingTable.create(this.store, 'outputs', items + 1, hidden + 1, rng, { paddingIndex: 0, init: outputRows(hidden) });
    const executor = options.executor ?? cpuExecutor;
    this.feeds = new SampledSoftmaxFeeds(B * L, N, 'GRU4Rec');

    const g = new Graph();
    const tb = new NetBuilder(g, this.store, rng, { training: true });
    const sequence = this.table.input(g, [B, L]);
    const mask = g.input('mask', [B, L]);
    const { outputs } = gru4recNetwork(tb, sequence, mask, config);
    const positive = g.input('positives', [B * L, hidden + 1]);
    const negative = g.input('negatives', [N, hidden + 1]);
    // A constant 1 appended to each state meets the bias column of the output rows.
    const states = g.concat([g.reshape(outputs, [B * L, hidden]), g.constant(1, [B * L, 1])], 1);
    const loss = sampledSoftmaxLoss(g, states, positive, negative, g.input('collisions', [B * L, N]), g.reshape(mask, [B * L]));
    const rows = [{ input: sequence, table: this.table }, { input: positive, table: this.output }, { input: negative, table: this.output }];
    this.trainer = new GraphTrainer(g, loss, this.store, rows, tb.dropouts, rng, { ...options, executor });

    const infer = new Graph();
    const ib = new NetBuilder(infer, this.store, rng, { training: false });
    const { last } = gru4recNetwork(ib, this.table.input(infer, [1, L]), infer.input('mask', [1, L]), config);
    this.inferNames = ib.paramNames();
    const made = Promise.resolve((options.inferenceExecutor ?? executor)(infer, [last]));
    made.catch(() => undefined);
    this.encodeRun = made;
  }

  /** One Adam step on exactly `batchSize` sequences of `length` and `negatives` shared negatives; returns the loss. */
  async trainStep(batch: Gru4recBatch): Promise<number> {
    const { mask, collisions } = this.feeds.fill(batch);
    return this.trainer.step({ mask, collisions }, { [this.table.name]: batch.sequences, positives: batch.positives, negatives: batch.negatives });
  }

  /** The GRU state [hidden] after one sequence of exactly `length` ids (left-padded with 0). */
  async encode(sequence: ArrayLike<number>): Promise<Float32Array> {
    const L = this.config.length;
    if (sequence.length !== L) throw AppError.invalid(`encode needs ${L} ids, got ${sequence.length}`);
    const mask = Float32Array.from({ length: L }, (_, t) => (sequence[t] === 0 ? 0 : 1));
    const [state] = await (await this.encodeRun).run({ [this.table.name]: this.table.gather(sequence), mask }, this.store.tensors(this.inferNames));
    return state!;
  }

  /** Scores of every item (index = item id; 0 is padding) for the step after `sequence`. */
  async scores(sequence: ArrayLike<number>): Promise<Float32Array> {
    const { hidden, items } = this.config;
    const state = await this.encode(sequence);
    const out = new Float32Array(items + 1);
    const data = this.output.data;
    const width = hidden + 1;
    for (let item = 1; item <= items; item++) {
      const at = item * width;
      let s = data[at + hidden]!;
      for (let j = 0; j < hidden; j++) s += state[j]! * data[at + j]!;
      out[item] = s;
    }
    return out;
  }
}

/** Output rows N(0, 1/hidden) (logits of order 1 for a state in (−1, 1)^hidden), bias column 0. */
function outputRows(hidden: number) {
  return (shape: readonly number[], rng: SeededRandom): Float32Array => {
    const [rows, width] = shape as [number, number];
    const data = new Float32Array(rows * width);
    const sd = 1 / Math.sqrt(hidden);
    for (let r = 0; r < rows; r++) for (let j = 0; j < hidden; j++) data[r * width + j] = rng.normal(0, sd);
    return data;
  };
}
