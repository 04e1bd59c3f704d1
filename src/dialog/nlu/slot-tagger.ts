import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import type { ExecutorFactory } from '../../nn/executor.js';
import { BiGruCrfTagger, type BiGruCrfConfig } from '../../nn/models/bigru-crf-tagger.js';
import { ParamStore } from '../../nn/layers/param-store.js';
import { OnnxExecutor } from '../../nn/onnx/onnx-executor.js';
import { EarlyStopping } from '../../nn/optim/early-stopping.js';
import { viterbi, type CrfWeights } from '../../nn/layers/viterbi.js';
import { LabelSet } from '../../text/label-set.js';
import { UNK_ID, Vocabulary, countTokens } from '../../text/vocabulary.js';
import { slotF1 } from './slot-f1.js';
import { type Encoded, groupByBucket, packBatch, SlotEncoder, sliceEncoded } from './slot-encoding.js';
import { parseTag } from './spans.js';

/** One utterance for slot filling: its tokens and one BIO tag per token. */
export interface TaggedUtterance {
  tokens: string[];
  tags: string[];
  intent?: string;
}

export interface SlotTaggerOptions {
  /** Seed of every random choice (holdout split, initialisation, shuffling, dropout); default 'slot-tagger'. */
  seed?: string;
  /** Training stops before an epoch that would probably end after this many seconds (default 110). */
  budgetSeconds?: number;
  /** onnxruntime intra-op threads (default 1). */
  threads?: number;
  onProgress?: (p: { epoch: number; epochs: number; heldOutF1?: number; seconds: number }) => void;
  /** Most epochs (default 30); early stopping on the held-out F1 usually ends sooner. */
  epochs?: number;
  /** Share of the training utterances held out for early stopping (default 0.1; 0 = train on all, `epochs` epochs). */
  holdout?: number;
  /** Evaluations without improvement before stopping (default 2). */
  patience?: number;
  /** Model sizes and rates; defaults in {@link DEFAULT_SLOT_MODEL}. */
  model?: Partial<SlotModelParams>;
  /** The backend (default: onnxruntime with `threads`); tests may pass the cpu one. */
  executor?: ExecutorFactory;
}

/** The tagger's hyperparameters. */
export interface SlotModelParams {
  wordDim: number;
  featureDim: number;
  featureBuckets: number;
  hidden: number;
  batchSize: number;
  dropout: number;
  lr: number;
  /** A word seen once in training is replaced by the unknown word with this probability per step. */
  unknownRate: number;
  /** The fixed length is this percentile of the training lengths (longer sequences are cut in training, chunked in prediction). */
  lengthPercentile: number;
  /**
   * Percentiles of the training lengths that get their own, shorter training graph (default [50, 85]:
   * half the batches run on a graph of the median length, 35 % on one of the 85th percentile's); [] = one graph.
   */
  bucketPercentiles: number[];
}

/**
 * The defaults, chosen on the held-out slice of SNIPS and CAIS train (never on valid) within a two-minute budget.
 *
 * @example await trainSlotTagger(train, { model: { ...DEFAULT_SLOT_MODEL, hidden: 64 } });
 */
export const DEFAULT_SLOT_MODEL: SlotModelParams = {
  wordDim: 64,
  featureDim: 32,
  featureBuckets: 1 << 18,
  hidden: 96,
  batchSize: 64,
  dropout: 0.3,
  lr: 8e-3,
  unknownRate: 0.5,
  lengthPercentile: 99.5,
  bucketPercentiles: [50, 85],
};

/** A trained slot tagger. */
export interface SlotTagger {
  /** The BIO tags it can emit. */
  readonly tagNames: readonly string[];
  /** BIO tags of one token sequence (any length; longer than the model's length is decoded in chunks). */
  predict(tokens: string[]): Promise<{ tags: string[] }>;
  /** Tags of many sequences, batched (faster than calling `predict` for each). */
  predictMany(sequences: string[][]): Promise<string[][]>;
  /** The model file (weights, vocabulary, tags, sizes) that {@link loadSlotTagger} reads. */
  save(): Uint8Array;
  /** True when `token` has its own embedding (it was in the training vocabulary), not the unknown one. */
  knows(token: string): boolean;
}

const FILE_KIND = 'shopwise-slot-tagger';

/**
 * A tagger from the bytes `SlotTagger.save` wrote; decodes exactly as the saved one did. A file of
 * another kind or version, or weights that do not fit the sizes it names, is `AppError('invalid')`.
 *
 * @example const tagger = await loadSlotTagger(await readFile('slots.bin'), { threads: 1 });
 */
export async function loadSlotTagger(bytes: Uint8Array, options: Pick<SlotTaggerOptions, 'threads' | 'executor'> = {}): Promise<SlotTagger> {
  const { meta } = ParamStore.fromBytes(bytes);
  if (meta.kind !== FILE_KIND || meta.version !== 1) throw AppError.invalid(`not a ${FILE_KIND} version 1 file`, { field: 'kind' });
  const config = meta.config as BiGruCrfConfig;
  const vocabulary = Vocabulary.load(String(meta.vocabulary));
  const tagSet = LabelSet.load(String(meta.tags));
  if (config?.vocab !== vocabulary.size || config.tags !== tagSet.size) throw AppError.invalid('the file\'s sizes do not match its vocabulary and tags', { field: 'config' });
  const threads = options.threads ?? 1;
  const executor: ExecutorFactory = options.executor ?? ((g, outputs) => OnnxExecutor.create(g, outputs, { intraOpNumThreads: threads }));
  const model = new BiGruCrfTagger(config, new SeededRandom('load'), { executor, training: false });
  model.store.load(bytes);
  return new TrainedSlotTagger(model, new SlotEncoder(vocabulary, config.featureBuckets), tagSet, vocabulary);
}

export interface SlotTaggerReport {
  trainSeconds: number;
  epochs: number;
  heldOutF1?: number;
  /** The fixed length of the model's inference graphs (longer inputs are decoded in chunks). */
  length: number;
  /** Lengths of its training graphs. */
  buckets: number[];
  /** Epoch whose weights were kept (1-based). */
  bestEpoch: number;
  /** Training steps taken and where their time went, ms per step (graph run, embedding tables, feeds). */
  steps: { count: number; runMs: number; tablesMs: number; prepareMs: number };
}

/** What BIO-forbidden transitions lose in constrained decoding. */
const FORBIDDEN = 1e4;

/**
 * Trains a BiGRU-CRF slot tagger (`BiGruCrfTagger`: word embeddings + hashed character features →
 * BiGRU → CRF) on BIO-tagged utterances. 10 % of `train` (seeded) is held out: after each epoch the
 * held-out span F1 is measured, the best epoch's weights are kept, the learning rate halves after an
 * epoch without improvement, and training stops after `patience`
 * epochs without improvement, at `epochs`, or before an epoch that would end past `budgetSeconds`.
 * Bad input (empty set, tags not BIO, tag and token counts that differ) is an `AppError('invalid')`
 * naming the utterance.
 *
 * @example
 * const { tagger, report } = await trainSlotTagger(train.tokens.map((tokens, i) => ({ tokens, tags: train.tags[i]! })));
 * (await tagger.predict(['play', 'thriller', 'by', 'michael', 'jackson'])).tags // ['O', 'B-album', 'O', 'B-artist', 'I-artist']
 */
export async function trainSlotTagger(train: TaggedUtterance[], options: SlotTaggerOptions = {}): Promise<{ tagger: SlotTagger; report: SlotTaggerReport }> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  validate(train);
  const params = { ...DEFAULT_SLOT_MODEL, ...options.model };
  const rng = new SeededRandom(options.seed ?? 'slot-tagger');
  const order = rng.fork('holdout').shuffle(train.map((_, i) => i));
  const holdout = options.holdout ?? 0.1;
  if (!(holdout >= 0 && holdout < 0.5)) throw AppError.invalid(`holdout must be in [0, 0.5), got ${holdout}`, { field: 'holdout' });
  const heldCount = train.length >= 20 ? Math.round(holdout * train.length) : 0;
  const held = order.slice(0, heldCount).map((i) => train[i]!);
  const fit = order.slice(heldCount).map((i) => train[i]!);

  const counts = countTokens(fit.map((u) => u.tokens));
  const vocabulary = Vocabulary.fromCounts(counts);
  const rare = new Uint8Array(vocabulary.size);
  for (const [token, n] of counts) if (n === 1) rare[vocabulary.id(token)] = 1;
  const tagSet = LabelSet.fromLabels(['O', ...train.flatMap((u) => u.tags)]);
  const lengths = fit.map((u) => u.tokens.length);
  const length = Math.max(2, percentile(lengths, params.lengthPercentile));
  // A shorter graph pays off when it is clearly shorter than the full one.
  const buckets = [...new Set([...params.bucketPercentiles.map((p) => Math.max(2, percentile(lengths, p))).filter((n) => n <= 0.8 * length), length])].sort((a, b) => a - b);
  const config: BiGruCrfConfig = {
    vocab: vocabulary.size,
    wordDim: params.wordDim,
    featureBuckets: params.featureBuckets,
    featureDim: params.featureDim,
    hidden: params.hidden,
    length,
    tags: tagSet.size,
    batchSize: params.batchSize,
    dropout: params.dropout,
    buckets,
  };
  const threads = options.threads ?? 1;
  const executor: ExecutorFactory = options.executor ?? ((g, outputs) => OnnxExecutor.create(g, outputs, { intraOpNumThreads: threads }));
  // The rate halves after an epoch that did not improve the held-out F1 (reduce on plateau).
  let rate = params.lr;
  const model = new BiGruCrfTagger(config, rng.fork('model'), { executor, lr: () => rate });
  const encoder = new SlotEncoder(vocabulary, params.featureBuckets);
  const tagger = new TrainedSlotTagger(model, encoder, tagSet, vocabulary);

  const fitEncoded = fit.map((u) => ({ ...encoder.encode(u.tokens), tags: Int32Array.from(u.tags, (t) => tagSet.index(t)) }));
  const maxEpochs = options.epochs ?? 30;
  const budget = options.budgetSeconds ?? 110;
  const stopper = new EarlyStopping({ patience: options.patience ?? 2, mode: 'max' });
  const shuffle = rng.fork('batches');
  const B = params.batchSize;
  let epochs = 0;
  let lastEpoch = 0;
  let heldOutF1: number | undefined;
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    if (epoch > 1 && seconds() + lastEpoch > budget) break;
    const epochStart = seconds();
    // Batches of one bucket each (the shortest graph that holds all their tokens), in shuffled order.
    const batches: { bucket: number; members: number[] }[] = [];
    for (const [bucket, members] of groupByBucket(fitEncoded, buckets)) {
      shuffle.shuffle(members);
      for (let at = 0; at < members.length; at += B) batches.push({ bucket, members: Array.from({ length: B }, (_, k) => members[(at + k) % members.length]!) });
    }
    for (const { bucket, members } of shuffle.shuffle(batches)) {
      await model.trainStep(packBatch(members.map((i) => fitEncoded[i]!), bucket, (id) => (rare[id] && shuffle.next() < params.unknownRate ? UNK_ID : id)));
    }
    epochs = epoch;
    if (held.length > 0) {
      const predicted = await tagger.predictMany(held.map((u) => u.tokens));
      heldOutF1 = slotF1(held.map((u) => u.tags), predicted).f1;
    }
    lastEpoch = seconds() - epochStart;
    options.onProgress?.({ epoch, epochs: maxEpochs, heldOutF1, seconds: seconds() });
    if (heldOutF1 === undefined) continue;
    if (stopper.observe(heldOutF1, model.store)) break;
    if (stopper.stale > 0) rate /= 2;
  }
  if (held.length > 0) stopper.restoreBest(model.store);
  const timing = model.timing();
  const per = (ms: number) => ms / Math.max(1, timing.steps);
  const steps = { count: timing.steps, runMs: per(timing.runMs), tablesMs: per(timing.tablesMs + timing.denseMs), prepareMs: per(timing.prepareMs) };
  const report: SlotTaggerReport = { trainSeconds: seconds(), epochs, length, buckets, bestEpoch: held.length > 0 ? stopper.bestAt + 1 : epochs, steps };
  if (stopper.best !== undefined) report.heldOutF1 = stopper.best;
  return { tagger, report };
}

class TrainedSlotTagger implements SlotTagger {
  readonly tagNames: readonly string[];

  constructor(
    private readonly model: BiGruCrfTagger,
    private readonly encoder: SlotEncoder,
    private readonly tagSet: LabelSet,
    private readonly vocabulary: Vocabulary,
  ) {
    this.tagNames = tagSet.names;
  }

  knows(token: string): boolean {
    return this.vocabulary.id(token) !== UNK_ID;
  }

  save(): Uint8Array {
    return this.model.store.save({ kind: FILE_KIND, version: 1, config: this.model.config, vocabulary: this.vocabulary.save(), tags: this.tagSet.save() });
  }

  /**
   * The trained CRF weights with the transitions BIO forbids pushed to −10⁴: I-x only after B-x or
   * I-x, never first. The CRF learns to avoid them, but an unusual input can still outweigh what it
   * learned (a word only ever seen inside a slot, at the start); decoding never emits them.
   */
  private constrained(): CrfWeights {
    const { transitions, start, end } = this.model.crfWeights();
    const names = this.tagSet.names;
    const T = names.length;
    const t = Float32Array.from(transitions);
    const s = Float32Array.from(start);
    const parsed = names.map((n) => parseTag(n));
    parsed.forEach((to, j) => {
      if (to.prefix !== 'I') return;
      s[j] = s[j]! - FORBIDDEN;
      parsed.forEach((from, i) => {
        if (from.prefix === 'O' || from.type !== to.type) t[i * T + j] = t[i * T + j]! - FORBIDDEN;
      });
    });
    return { transitions: t, start: s, end };
  }

  async predict(tokens: string[]): Promise<{ tags: string[] }> {
    if (tokens.length === 0) return { tags: [] };
    const { length: L, tags: T } = this.model.config;
    const encoded = this.encoder.encode(tokens);
    // Chunks of L tokens; their emissions are joined and decoded in one Viterbi pass.
    const emissions = new Float32Array(tokens.length * T);
    for (let start = 0; start < tokens.length; start += L) {
      const end = Math.min(tokens.length, start + L);
      const chunk = sliceEncoded(encoded, start, end);
      const e = await this.model.emissionsOne(packBatch([chunk], L));
      emissions.set(e.subarray(0, (end - start) * T), start * T);
    }
    const { path } = viterbi(emissions, tokens.length, T, this.constrained());
    return { tags: path.map((t) => this.tagSet.name(t)) };
  }

  async predictMany(sequences: string[][]): Promise<string[][]> {
    const { length: L, batchSize: B } = this.model.config;
    const out = new Array<string[]>(sequences.length);
    const short: number[] = [];
    for (let i = 0; i < sequences.length; i++) {
      const n = sequences[i]!.length;
      if (n === 0) out[i] = [];
      else if (n > L) out[i] = (await this.predict(sequences[i]!)).tags;
      else short.push(i);
    }
    for (let at = 0; at < short.length; at += B) {
      const chunk = Array.from({ length: B }, (_, k) => short[Math.min(at + k, short.length - 1)]!);
      const paths = await this.model.decodeMany(packBatch(chunk.map((i) => this.encoder.encode(sequences[i]!)), L), this.constrained());
      for (let k = 0; k < B && at + k < short.length; k++) out[chunk[k]!] = paths[k]!.map((t) => this.tagSet.name(t));
    }
    return out;
  }
}

function validate(train: readonly TaggedUtterance[]): void {
  if (train.length === 0) throw AppError.invalid('no training utterances for the slot tagger', { field: 'train' });
  train.forEach((u, i) => {
    if (u.tokens.length === 0) throw AppError.invalid(`utterance ${i} has no tokens`, { field: 'tokens', index: i });
    if (u.tags.length !== u.tokens.length) throw AppError.invalid(`utterance ${i} has ${u.tokens.length} tokens but ${u.tags.length} tags`, { field: 'tags', index: i });
    u.tags.forEach((tag, t) => {
      let prefix: string;
      try {
        prefix = parseTag(tag, t).prefix;
      } catch {
        throw AppError.invalid(`utterance ${i} tag ${t} "${tag}" is not a BIO tag (O, B-type or I-type)`, { field: 'tags', index: i });
      }
      if (prefix === 'E' || prefix === 'S') throw AppError.invalid(`utterance ${i} tag ${t} "${tag}" is BIOES; convert with bioesToBio first`, { field: 'tags', index: i });
    });
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
