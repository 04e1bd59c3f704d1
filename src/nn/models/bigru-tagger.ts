import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { Graph, type Value } from '../graph.js';
import { MASKED } from '../layers/attention.js';
import { dense } from '../layers/dense.js';
import { EmbeddingTable } from '../layers/embedding-table.js';
import { biGru } from '../layers/gru.js';
import { NetBuilder } from '../layers/net-builder.js';
import { ParamStore } from '../layers/param-store.js';
import { cpuExecutor, type Executor } from '../executor.js';
import { GraphTrainer, type ModelOptions } from './graph-trainer.js';

export interface BiGruTaggerConfig {
  vocab: number;
  embDim: number;
  /** GRU units per direction (the encoder output is 2 × hidden wide). */
  hidden: number;
  /** Fixed sequence length L. */
  length: number;
  /** Slot tags per token. */
  tags: number;
  intents: number;
  /** Fixed training batch size B. */
  batchSize: number;
  /** Id of the padding token (default 0). */
  paddingIndex?: number;
  /**
   * Feed a keep-mask built from the ids (padding = 0): the GRU carries its state over padding, attention
   * pooling ignores it and the tag loss averages over real tokens. Default false: every position is a
   * token, as in the PyTorch peer (../shared/peers/torch_nn_bench.py).
   */
  masked?: boolean;
}

/** The graph values of one tagger network. */
export interface TaggerHeads {
  /** Per-token tag logits [B, L, tags]. */
  tagLogits: Value;
  /** Intent logits [B, intents], from attention pooling over the encoder states. */
  intentLogits: Value;
  /** Attention-pooling weights [B, L] (rows sum to 1). */
  attention: Value;
}

/**
 * The joint tagger network on gathered embeddings `emb` [B, L, E]: a BiGRU encoder (scope `encoder`),
 * per-token tag logits (scope `tag`) and an intent from attention pooling: softmax over time of a
 * linear score (scope `att`) weighting the encoder states (scope `intent`). As the peer's BiGRUTagger.
 *
 * @example const heads = biGruTaggerNetwork(b, table.input(g, [64, 24]), config);
 */
export function biGruTaggerNetwork(b: NetBuilder, emb: Value, config: BiGruTaggerConfig, mask?: Value): TaggerHeads {
  if (emb.shape.length !== 3) throw AppError.invalid(`the tagger needs embeddings [B, L, E], got [${emb.shape}]`);
  return taggerHeads(b, biGru(b.scope('encoder'), emb, { units: config.hidden, mask }).outputs, config, mask);
}

/**
 * The tagger's heads on encoder states `states` [B, L, 2H]: tag logits (scope `tag`) and the intent
 * from attention pooling (scopes `att`, `intent`); `mask` [B, L] keeps padding out of the pooling.
 *
 * @example const heads = taggerHeads(b, biGru(b.scope('encoder'), emb, { units: 128 }).outputs, config);
 */
export function taggerHeads(b: NetBuilder, states: Value, config: Pick<BiGruTaggerConfig, 'tags' | 'intents'>, mask?: Value): TaggerHeads {
  const g = b.graph;
  const [batch, length, width] = states.shape as [number, number, number];
  let scores = g.reshape(dense(b.scope('att'), states, { units: 1 }), [batch, length]);
  if (mask) scores = g.add(scores, g.mul(g.sub(mask, g.constant(1)), g.constant(-MASKED)));
  const attention = g.softmax(scores, -1);
  const pooled = g.reshape(g.matmul(g.reshape(attention, [batch, 1, length]), states), [batch, width]);
  return {
    tagLogits: dense(b.scope('tag'), states, { units: config.tags }),
    intentLogits: dense(b.scope('intent'), pooled, { units: config.intents }),
    attention,
  };
}

/**
 * Token cross-entropy (mean over tokens, or over real tokens with a keep-mask) + intent cross-entropy
 * (mean over the batch); labels are one-hot: `tagLabels` [B, L, tags], `intentLabels` [B, intents].
 *
 * @example const loss = taggerLoss(g, heads, g.input('tags', [B, L, 70]), g.input('intent', [B, 20]));
 */
export function taggerLoss(g: Graph, heads: TaggerHeads, tagLabels: Value, intentLabels: Value, mask?: Value): Value {
  const perToken = g.sum(g.mul(g.logSoftmax(heads.tagLogits, -1), tagLabels), [-1]); // [B, L]
  const tagLoss = mask ? g.div(g.sum(g.mul(perToken, mask), [0, 1]), g.sum(mask, [0, 1])) : g.mean(perToken, [0, 1]);
  const intentLoss = g.mean(g.sum(g.mul(g.logSoftmax(heads.intentLogits, -1), intentLabels), [-1]), [0]);
  return g.neg(g.add(tagLoss, intentLoss));
}

/** One training batch: B × L token ids and tags (row-major), B intents. */
export interface TaggerBatch {
  ids: ArrayLike<number>;
  tags: ArrayLike<number>;
  intents: ArrayLike<number>;
}

export interface TaggerPrediction {
  /** Arg-max tag per position (L). */
  tags: Int32Array;
  intent: number;
  intentProbabilities: Float32Array;
}

/**
 * A joint intent + slot tagger: the embedding table outside the graph (sparse Adam on gathered rows),
 * the BiGRU-attention network, Adam on the dense params (see `GraphTrainer`). Two graphs over one store,
 * each built once: the training step for [batchSize, length] and a batch-1 inference graph.
 *
 * @example
 * const tagger = new BiGruTagger({ vocab: 20000, embDim: 128, hidden: 128, length: 24, tags: 70, intents: 20, batchSize: 64 }, rng);
 * await tagger.trainStep({ ids, tags, intents });
 * const { tags, intent } = await tagger.predict(queryIds);
 */
export class BiGruTagger {
  readonly store = new ParamStore();
  readonly table: EmbeddingTable;
  readonly trainer: GraphTrainer;
  /** The training graph (for inspection: node counts, shapes). */
  readonly trainGraph = new Graph();
  readonly heads: TaggerHeads;
  private readonly predictRun: Promise<Executor>;
  private readonly inferNames: string[];
  private readonly pad: number;

  constructor(readonly config: BiGruTaggerConfig, rng: SeededRandom, options: ModelOptions = {}) {
    const { vocab, embDim, length, batchSize: B, tags, intents } = config;
    this.pad = config.paddingIndex ?? 0;
    this.table = EmbeddingTable.create(this.store, 'embedding', vocab, embDim, rng, { paddingIndex: this.pad });
    const executor = options.executor ?? cpuExecutor;

    const g = this.trainGraph;
    const tb = new NetBuilder(g, this.store, rng, { training: true });
    const emb = this.table.input(g, [B, length]);
    const mask = config.masked ? g.input('mask', [B, length]) : undefined;
    this.heads = biGruTaggerNetwork(tb, emb, config, mask);
    const loss = taggerLoss(g, this.heads, g.input('tags', [B, length, tags]), g.input('intents', [B, intents]), mask);
    this.trainer = new GraphTrainer(g, loss, this.store, [{ input: emb, table: this.table }], tb.dropouts, rng, { ...options, executor });

    const infer = new Graph();
    const ib = new NetBuilder(infer, this.store, rng, { training: false });
    const heads = biGruTaggerNetwork(ib, this.table.input(infer, [1, length]), config, config.masked ? infer.input('mask', [1, length]) : undefined);
    this.inferNames = ib.paramNames();
    const made = Promise.resolve((options.inferenceExecutor ?? executor)(infer, [heads.tagLogits, infer.softmax(heads.intentLogits, -1)]));
    made.catch(() => undefined);
    this.predictRun = made;
  }

  /** One Adam step on exactly `batchSize` sequences of `length` ids; returns the loss. */
  async trainStep(batch: TaggerBatch): Promise<number> {
    const { batchSize: B, length: L, tags, intents } = this.config;
    if (batch.ids.length !== B * L || batch.tags.length !== B * L || batch.intents.length !== B) {
      throw AppError.invalid(`a tagger batch holds ${B}×${L} ids and tags and ${B} intents, got ${batch.ids.length}, ${batch.tags.length}, ${batch.intents.length}`);
    }
    const feeds: Record<string, Float32Array> = { tags: oneHot(batch.tags, tags, 'tag'), intents: oneHot(batch.intents, intents, 'intent') };
    if (this.config.masked) feeds.mask = this.keepMask(batch.ids);
    return this.trainer.step(feeds, { [this.table.name]: batch.ids });
  }

  /** Tags and intent of one sequence of exactly `length` ids (batch-1 graph). */
  async predict(ids: ArrayLike<number>): Promise<TaggerPrediction> {
    const { length: L, tags } = this.config;
    if (ids.length !== L) throw AppError.invalid(`predict needs ${L} ids, got ${ids.length}`);
    const inputs: Record<string, Float32Array> = { [this.table.name]: this.table.gather(ids) };
    if (this.config.masked) inputs.mask = this.keepMask(ids);
    const [tagLogits, intentProbabilities] = await (await this.predictRun).run(inputs, this.store.tensors(this.inferNames));
    const best = new Int32Array(L);
    for (let t = 0; t < L; t++) {
      for (let c = 1; c < tags; c++) if (tagLogits![t * tags + c]! > tagLogits![t * tags + best[t]!]!) best[t] = c;
    }
    return { tags: best, intent: argMax(intentProbabilities!), intentProbabilities: intentProbabilities! };
  }

  private keepMask(ids: ArrayLike<number>): Float32Array {
    return Float32Array.from({ length: ids.length }, (_, i) => (ids[i] === this.pad ? 0 : 1));
  }
}

/** Rows of one-hot labels. */
export function oneHot(labels: ArrayLike<number>, classes: number, what = 'label'): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw AppError.invalid(`${what} ${c} outside ${classes} classes`, { index: i });
    out[i * classes + c] = 1;
  }
  return out;
}

function argMax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}
