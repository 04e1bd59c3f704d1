import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { Graph, type Value } from '../graph.js';
import { selfAttention } from '../layers/attention.js';
import { dense } from '../layers/dense.js';
import { dropout } from '../layers/dropout.js';
import { EmbeddingTable } from '../layers/embedding-table.js';
import { normalInit } from '../layers/init.js';
import { layerNorm } from '../layers/layer-norm.js';
import { logSigmoid } from '../layers/losses.js';
import { NetBuilder } from '../layers/net-builder.js';
import { ParamStore } from '../layers/param-store.js';
import { cpuExecutor, type Executor } from '../executor.js';
import { GraphTrainer, type ModelOptions } from './graph-trainer.js';

export interface SasrecConfig {
  /** Item ids are 1 … items; 0 is padding (the table has items + 1 rows). */
  items: number;
  dim: number;
  blocks: number;
  heads: number;
  /** Feed-forward width (default `dim`, as the peer). */
  ffDim?: number;
  /** Fixed sequence length S. */
  length: number;
  /** Fixed training batch size B. */
  batchSize: number;
  /** Dropout after attention, inside and after the feed-forward (default 0.2, as the peer's encoder layers). */
  dropout?: number;
  /**
   * Feed a keep-mask built from the ids (padding = 0): padded keys get no attention and padded
   * positions no loss. Default false: every position is an item, as in the PyTorch peer.
   */
  masked?: boolean;
}

/**
 * SASRec's encoder on gathered item embeddings `items` [B, S, D]: + a learned position embedding
 * (param `position` [S, D]), `blocks` post-norm transformer blocks (causal multi-head self-attention,
 * residual, LayerNorm; relu feed-forward, residual, LayerNorm; scopes `block<i>/…`), a final LayerNorm
 * (scope `norm`). The layout of PyTorch's TransformerEncoderLayer (norm_first = False), as in the peer.
 *
 * @example const hidden = sasrecNetwork(b, table.input(g, [128, 50]), config); // [128, 50, 64]
 */
export function sasrecNetwork(b: NetBuilder, items: Value, config: SasrecConfig, mask?: Value): Value {
  const g = b.graph;
  if (items.shape.length !== 3) throw AppError.invalid(`sasrec needs item embeddings [B, S, D], got [${items.shape}]`);
  const [, length, dim] = items.shape as [number, number, number];
  const rate = config.dropout ?? 0.2;
  let h = g.add(items, b.param('position', [length, dim], normalInit(1 / Math.sqrt(dim))));
  for (let i = 0; i < config.blocks; i++) {
    const s = b.scope(`block${i}`);
    const attended = selfAttention(s.scope('attn'), h, { heads: config.heads, causal: true, mask }).output;
    h = layerNorm(s.scope('ln1'), g.add(h, dropout(s, attended, rate)));
    const inner = dropout(s, dense(s.scope('ff1'), h, { units: config.ffDim ?? dim, activation: 'relu' }), rate);
    h = layerNorm(s.scope('ln2'), g.add(h, dropout(s, dense(s.scope('ff2'), inner, { units: dim }), rate)));
  }
  return layerNorm(b.scope('norm'), h);
}

/**
 * −mean(log σ(h·pos) + log σ(−h·neg)) over positions (over kept positions with `weights` [B, S]):
 * `hidden`, `positive`, `negative` are [B, S, D].
 *
 * @example const loss = sasrecLoss(g, hidden, table.input(g, …), …);
 */
export function sasrecLoss(g: Graph, hidden: Value, positive: Value, negative: Value, weights?: Value): Value {
  const pos = g.sum(g.mul(hidden, positive), [-1]);
  const neg = g.sum(g.mul(hidden, negative), [-1]);
  const terms = g.add(logSigmoid(g, pos), logSigmoid(g, g.neg(neg)));
  const mean = weights ? g.div(g.sum(g.mul(terms, weights), [0, 1]), g.sum(weights, [0, 1])) : g.mean(terms, [0, 1]);
  return g.neg(mean);
}

/** One training batch of B × S ids (row-major): the sequences, the next item at each position, a sampled negative. */
export interface SasrecBatch {
  sequences: ArrayLike<number>;
  positives: ArrayLike<number>;
  negatives: ArrayLike<number>;
}

/**
 * SASRec (Kang & McAuley 2018) for next-item recommendation: item table outside the graph (shared by
 * the sequence, positive and negative inputs, one sparse Adam step per batch), position embedding and
 * transformer blocks in the graph (Adam, see `GraphTrainer`), BPR-style loss on gathered positives and
 * negatives. Training graph [batchSize, length] and a batch-1 inference graph, each built once.
 *
 * @example
 * const model = new Sasrec({ items: 3000, dim: 64, blocks: 2, heads: 2, length: 50, batchSize: 128 }, rng);
 * await model.trainStep({ sequences, positives, negatives });
 * const hidden = await model.encode(history); // [length × dim]; the last row scores the next item
 */
export class Sasrec {
  readonly store = new ParamStore();
  readonly table: EmbeddingTable;
  readonly trainer: GraphTrainer;
  readonly trainGraph = new Graph();
  readonly hidden: Value;
  private readonly encodeRun: Promise<Executor>;
  private readonly inferNames: string[];

  constructor(readonly config: SasrecConfig, rng: SeededRandom, options: ModelOptions = {}) {
    const { items, dim, length: S, batchSize: B } = config;
    this.table = EmbeddingTable.create(this.store, 'items', items + 1, dim, rng, { paddingIndex: 0 });
    const executor = options.executor ?? cpuExecutor;

    const g = this.trainGraph;
    const tb = new NetBuilder(g, this.store, rng, { training: true });
    const sequence = this.table.input(g, [B, S]);
    const positive = g.input('positives', [B, S, dim]);
    const negative = g.input('negatives', [B, S, dim]);
    const mask = config.masked ? g.input('mask', [B, S]) : undefined;
    this.hidden = sasrecNetwork(tb, sequence, config, mask);
    const loss = sasrecLoss(g, this.hidden, positive, negative, mask);
    const rows = [sequence, positive, negative].map((input) => ({ input, table: this.table }));
    this.trainer = new GraphTrainer(g, loss, this.store, rows, tb.dropouts, rng, { ...options, executor });

    const infer = new Graph();
    const ib = new NetBuilder(infer, this.store, rng, { training: false });
    const hidden = sasrecNetwork(ib, this.table.input(infer, [1, S]), config, config.masked ? infer.input('mask', [1, S]) : undefined);
    this.inferNames = ib.paramNames();
    const made = Promise.resolve((options.inferenceExecutor ?? executor)(infer, [hidden]));
    made.catch(() => undefined);
    this.encodeRun = made;
  }

  /** One Adam step on exactly `batchSize` sequences of `length`; returns the loss. */
  async trainStep(batch: SasrecBatch): Promise<number> {
    const n = this.config.batchSize * this.config.length;
    if (batch.sequences.length !== n || batch.positives.length !== n || batch.negatives.length !== n) {
      throw AppError.invalid(`a SASRec batch holds ${n} ids per array, got ${batch.sequences.length}, ${batch.positives.length}, ${batch.negatives.length}`);
    }
    const feeds: Record<string, Float32Array> = {};
    if (this.config.masked) feeds.mask = keepMask(batch.sequences);
    return this.trainer.step(feeds, { [this.table.name]: batch.sequences, positives: batch.positives, negatives: batch.negatives });
  }

  /** The final hidden states [length × dim] of one sequence of exactly `length` ids (batch-1 graph). */
  async encode(sequence: ArrayLike<number>): Promise<Float32Array> {
    const S = this.config.length;
    if (sequence.length !== S) throw AppError.invalid(`encode needs ${S} ids, got ${sequence.length}`);
    const inputs: Record<string, Float32Array> = { [this.table.name]: this.table.gather(sequence) };
    if (this.config.masked) inputs.mask = keepMask(sequence);
    const [hidden] = await (await this.encodeRun).run(inputs, this.store.tensors(this.inferNames));
    return hidden!;
  }

  /** Scores of every item (index = item id; 0 is padding) for the next step after `sequence`. */
  async scores(sequence: ArrayLike<number>): Promise<Float32Array> {
    const { dim, items } = this.config;
    const hidden = await this.encode(sequence);
    const user = hidden.subarray(hidden.length - dim);
    const out = new Float32Array(items + 1);
    const data = this.table.data;
    for (let item = 1; item <= items; item++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += user[j]! * data[item * dim + j]!;
      out[item] = s;
    }
    return out;
  }
}

function keepMask(ids: ArrayLike<number>): Float32Array {
  return Float32Array.from({ length: ids.length }, (_, i) => (ids[i] === 0 ? 0 : 1));
}
