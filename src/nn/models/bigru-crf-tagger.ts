import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { Graph, type Value } from '../graph.js';
import { BagTable, positions, type Bags } from '../layers/bag-table.js';
import { crfParams } from '../layers/crf.js';
import { crfLossScaled } from '../layers/crf-scaled.js';
import { dense } from '../layers/dense.js';
import { dropout } from '../layers/dropout.js';
import { EmbeddingTable } from '../layers/embedding-table.js';
import { fusedBiGru } from '../layers/fused-bigru.js';
import { NetBuilder } from '../layers/net-builder.js';
import { ParamStore } from '../layers/param-store.js';
import { viterbi, type CrfWeights } from '../layers/viterbi.js';
import { cpuExecutor, type Executor } from '../executor.js';
import { GraphTrainer, type ModelOptions } from './graph-trainer.js';
import { oneHot } from './bigru-tagger.js';

export interface BiGruCrfConfig {
  /** Word vocabulary size (id 0 is padding). */
  vocab: number;
  wordDim: number;
  /** Rows of the hashed feature table (character n-grams, segmentation, …); 0 = no features. */
  featureBuckets: number;
  featureDim: number;
  /** GRU units per direction. */
  hidden: number;
  /** Fixed sequence length L of the graphs. */
  length: number;
  tags: number;
  /** Fixed training batch size B (also the batch of `emissionsMany`). */
  batchSize: number;
  /**
   * Lengths of the training graphs, ascending, each ≤ `length` (default [length]): a batch of short
   * sequences trains on a short graph, which costs in proportion to its length. Each graph has its
   * own optimizer state (its own `GraphTrainer`) over the shared weights.
   */
  buckets?: number[];
  /** Dropout on the token vectors and on the encoder states (default 0.3). */
  dropout?: number;
}

/**
 * One batch of B sequences: word ids, B × L row-major (0 = padding, and padding ends a sequence: the
 * real tokens come first), the feature bags of the B × L positions (empty at padding), and for
 * training the tag ids (B × L; ignored at padding).
 */
export interface CrfBatch {
  words: Int32Array;
  features: Bags;
  tags?: Int32Array;
}

/**
 * The BiGRU-CRF network on token vectors `x` [B, L, D] under the keep-mask [B, L]: dropout, a BiGRU
 * (`fusedBiGru`, scope `encoder`), dropout, per-token emission scores (scope `emit`) [B, L, tags].
 *
 * @example const emissions = biGruCrfNetwork(b, g.concat([words, features], 2), mask, config);
 */
export function biGruCrfNetwork(b: NetBuilder, x: Value, mask: Value, config: BiGruCrfConfig): Value {
  const rate = config.dropout ?? 0.3;
  const states = fusedBiGru(b.scope('encoder'), dropout(b, x, rate), { units: config.hidden, mask });
  return dense(b.scope('emit'), dropout(b, states, rate), { units: config.tags });
}

/**
 * A slot tagger: word embeddings (table `words`) and the mean of hashed feature rows per token (bag
 * table `features`, e.g. character n-grams, so unseen entity names still get a vector), both outside
 * the graph with sparse Adam; a masked BiGRU; emissions; a linear-chain CRF (scope `crf`) trained by
 * its negative log-likelihood over the real tokens (scaled forward algorithm, `crfLossScaled`);
 * Viterbi decoding in TS. Graphs over one store, each compiled once: a training step [B, n] per
 * bucket length n, batch emissions [B, L] and single-sequence emissions [1, L]. Sequences longer than L are decoded in chunks of L whose emissions are joined
 * before one Viterbi pass over the whole sequence (the encoder sees no context across a chunk boundary).
 *
 * @example
 * const model = new BiGruCrfTagger({ vocab: 9000, wordDim: 100, featureBuckets: 1 << 18, featureDim: 50, hidden: 128, length: 36, tags: 72, batchSize: 32 }, rng, { executor });
 * await model.trainStep({ words, features, tags });
 * const paths = await model.decodeMany(batch, lengths);
 */
export class BiGruCrfTagger {
  readonly store = new ParamStore();
  readonly words: EmbeddingTable;
  readonly features: BagTable | undefined;
  /** One trainer per bucket length. */
  readonly trainers: Map<number, GraphTrainer>;
  private readonly batchRun: Promise<Executor>;
  private readonly singleRun: Promise<Executor>;
  private readonly inferNames: string[];
  private readonly allPositions: Int32Array;

  /** `training: false` builds only the inference graphs (for a model whose weights are loaded from a file). */
  constructor(readonly config: BiGruCrfConfig, rng: SeededRandom, options: ModelOptions & { training?: boolean } = {}) {
    const { vocab, wordDim, featureBuckets, featureDim, length: L, batchSize: B, tags } = config;
    if (!(L >= 1 && B >= 1 && tags >= 1)) throw AppError.invalid(`length, batch size and tags must be ≥ 1, got ${L}, ${B}, ${tags}`);
    this.words = EmbeddingTable.create(this.store, 'words', vocab, wordDim, rng, { paddingIndex: 0 });
    this.features = featureBuckets > 0 ? BagTable.create(this.store, 'features', featureBuckets, featureDim, rng) : undefined;
    this.allPositions = positions(B * L); // covers every bucket (n ≤ L)
    const executor = options.executor ?? cpuExecutor;
    const build = (batch: number, training: boolean, length = L) => {
      const g = new Graph();
      const b = new NetBuilder(g, this.store, rng, { training });
      const w = this.words.input(g, [batch, length]);
      const f = this.features?.input(g, [batch, length]);
      const mask = g.input('mask', [batch, length]);
      const emissions = biGruCrfNetwork(b, f ? g.concat([w, f], 2) : w, mask, config);
      const crf = crfParams(b.scope('crf'), tags);
      return { g, b, w, f, mask, emissions, crf };
    };
    const buckets = config.buckets ?? [L];
    if (buckets.some((n, i) => !Number.isInteger(n) || n < 1 || n > L || (i > 0 && n <= buckets[i - 1]!))) throw AppError.invalid(`buckets must be ascending whole lengths ≤ ${L}, got [${buckets}]`, { field: 'buckets' });
    this.trainers = new Map(
      (options.training === false ? [] : buckets).map((n) => {
        const train = build(B, true, n);
        const loss = crfLossScaled(train.g, train.crf, train.emissions, train.g.input('tags', [B, n, tags]), train.mask);
        const rows = [{ input: train.w, table: this.words }, ...(train.f && this.features ? [{ input: train.f, table: this.features as EmbeddingTable }] : [])];
        return [n, new GraphTrainer(train.g, loss, this.store, rows, train.b.dropouts, rng, { ...options, executor })];
      }),
    );
    const inference = options.inferenceExecutor ?? executor;
    const make = (g: Graph, outputs: Value[]) => {
      const made = Promise.resolve(inference(g, outputs));
      made.catch(() => undefined); // a failed build surfaces at the first run
      return made;
    };
    const many = build(B, false);
    this.inferNames = many.b.paramNames();
    this.batchRun = make(many.g, [many.emissions]);
    const one = build(1, false);
    this.singleRun = make(one.g, [one.emissions]);
  }

  /**
   * One Adam step on exactly B sequences of one bucket's length n (B × n positions: the batch's size
   * picks the bucket); returns the loss (mean negative log-likelihood per sequence).
   */
  async trainStep(batch: CrfBatch): Promise<number> {
    const { batchSize: B, tags } = this.config;
    const L = batch.words.length / B;
    const trainer = this.trainers.get(L);
    if (!trainer) throw AppError.invalid(`a training batch holds ${B} × n word ids for a bucket length n in [${[...this.trainers.keys()]}], got ${batch.words.length}`, { field: 'words' });
    this.check(batch, B, L);
    if (!batch.tags || batch.tags.length !== B * L) throw AppError.invalid(`a training batch needs ${B * L} tags`, { field: 'tags' });
    const mask = keepMask(batch.words);
    const labels = oneHot(batch.tags.map((t, i) => (mask[i] ? t : 0)), tags, 'tag');
    this.features?.use(batch.features);
    const ids: Record<string, ArrayLike<number>> = { [this.words.name]: batch.words };
    if (this.features) ids[this.features.name] = this.allPositions.subarray(0, B * L);
    return trainer.step({ mask, tags: labels }, ids);
  }

  /** Emission scores [B, L, tags] of one batch of exactly B sequences (no dropout). */
  async emissionsMany(batch: CrfBatch): Promise<Float32Array> {
    this.check(batch, this.config.batchSize);
    return this.emissions(await this.batchRun, batch);
  }

  /** Emission scores [L, tags] of one sequence of L positions. */
  async emissionsOne(batch: CrfBatch): Promise<Float32Array> {
    this.check(batch, 1);
    return this.emissions(await this.singleRun, batch);
  }

  /** The CRF's weights as they are now (views into the store). */
  crfWeights(): CrfWeights {
    return { transitions: this.store.get('crf/transitions'), start: this.store.get('crf/start'), end: this.store.get('crf/end') };
  }

  /**
   * Viterbi paths of the B sequences of a batch, each over its real length (the count of non-padding
   * words), under `crf` (default: the trained weights; pass constrained ones to forbid transitions).
   */
  async decodeMany(batch: CrfBatch, crf: CrfWeights = this.crfWeights()): Promise<number[][]> {
    const { batchSize: B, length: L, tags } = this.config;
    const e = await this.emissionsMany(batch);
    const out: number[][] = [];
    for (let s = 0; s < B; s++) {
      let n = 0;
      while (n < L && batch.words[s * L + n] !== 0) n++;
      out.push(n === 0 ? [] : viterbi(e.subarray(s * L * tags, (s * L + n) * tags), n, tags, crf).path);
    }
    return out;
  }

  private async emissions(run: Executor, batch: CrfBatch): Promise<Float32Array> {
    const n = batch.words.length;
    const inputs: Record<string, Float32Array> = { mask: keepMask(batch.words), [this.words.name]: this.words.gather(batch.words) };
    if (this.features) inputs[this.features.name] = this.features.use(batch.features).gather(this.allPositions.subarray(0, n));
    const [emissions] = await run.run(inputs, this.store.tensors(this.inferNames));
    return emissions!;
  }

  /** Time spent by all trainers, summed (see `GraphTrainer.timing`). */
  timing(): GraphTrainer['timing'] {
    const sum = { steps: 0, prepareMs: 0, runMs: 0, tablesMs: 0, denseMs: 0 };
    for (const t of this.trainers.values()) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += t.timing[k];
    return sum;
  }

  private check(batch: CrfBatch, sequences: number, length = this.config.length): void {
    const n = sequences * length;
    if (batch.words.length !== n) throw AppError.invalid(`a batch of ${sequences} holds ${n} word ids, got ${batch.words.length}`, { field: 'words' });
    if (this.features && batch.features.offsets.length !== n + 1) throw AppError.invalid(`a batch of ${sequences} needs ${n} feature bags, got ${batch.features.offsets.length - 1}`, { field: 'features' });
  }
}

/** 1 at real tokens, 0 at padding (word id 0). Every sequence must start with a real token. */
function keepMask(words: Int32Array): Float32Array {
  const mask = new Float32Array(words.length);
  for (let i = 0; i < words.length; i++) mask[i] = words[i] === 0 ? 0 : 1;
  return mask;
}
