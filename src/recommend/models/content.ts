import { AppError } from '../../core/errors.js';
import { CsrMatrix } from '../../math/sparse.js';
import { type FitOptions, type FitReport, type ModelEntry, BaseRecommender, checkCancelled, secondsSince } from '../recommender.js';
import { type ModelArray, arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import type { TrainingData, UserQuery } from '../training-data.js';
import { trainTextEmbedding } from './content-embedding.js';
import { itemTerms, tfidfRows } from './content-terms.js';

export const CONTENT_PARAMS = {
  mode: { type: 'enum', default: 'tfidf', values: ['tfidf', 'embedding'], doc: 'tfidf: cosine of TF-IDF vectors; embedding: text vectors learned with BPR from the interactions', tune: true },
  minDf: { type: 'int', default: 2, min: 1, max: 1000, doc: 'a term must occur in at least this many items', tune: [1, 10] },
  maxDf: { type: 'float', default: 0.8, min: 0.01, max: 1, doc: 'a term in more than this share of the items is dropped', tune: [0.2, 1] },
  maxFeatures: { type: 'int', default: 100_000, min: 1, max: 10_000_000, doc: 'vocabulary size: the terms in the most items', tune: [1000, 200_000], log: true },
  wordNgrams: { type: 'int', default: 1, min: 1, max: 3, doc: 'word n-grams up to this length are terms too', tune: [1, 2] },
  dim: { type: 'int', default: 48, min: 2, max: 512, doc: 'embedding: size of the learned vectors', tune: [16, 128], log: true },
  epochs: { type: 'int', default: 30, min: 1, max: 1000, doc: 'embedding: passes over the training interactions', tune: [10, 100], log: true },
  lr: { type: 'float', default: 0.02, min: 1e-5, max: 10, doc: 'embedding: Adagrad learning rate', tune: [0.005, 0.5], log: true },
  reg: { type: 'float', default: 1e-4, min: 0, max: 10, doc: 'embedding: weight decay: every step shrinks the feature rows by lr·reg', tune: [1e-6, 1e-2], log: true },
  minN: { type: 'int', default: 3, min: 1, max: 10, doc: 'embedding: shortest character n-gram of a word (fastText minn)', tune: [2, 4] },
  maxN: { type: 'int', default: 5, min: 1, max: 10, doc: 'embedding: longest character n-gram of a word (fastText maxn)', tune: [3, 6] },
  buckets: { type: 'int', default: 1 << 17, min: 1, max: 1 << 24, doc: 'embedding: hash buckets shared by the character n-grams', tune: [1 << 12, 1 << 20], log: true },
  maxWords: { type: 'int', default: 64, min: 1, max: 100_000, doc: 'embedding: an item vector is made from its this many most telling (TF-IDF) words', tune: [16, 256], log: true },
  batch: { type: 'int', default: 1024, min: 1, max: 1_000_000, doc: 'embedding: training triples per gradient step', tune: [128, 8192], log: true },
} as const;

/**
 * Content-based recommendations from item text (`data.itemText`: title, description, brand, tags,
 * category path and the split's review texts; Chinese segmented by jieba). A user is the
 * preference-weighted sum of the vectors of their items, so any user folds in from their items, and
 * items nobody has interacted with are scored from their text alone.
 *
 * - `tfidf`: sparse TF-IDF vectors (sublinear tf, smoothed idf, unit length; vocabulary limited by
 *   document frequency); a score is the cosine of the user profile and the item, `similar` the
 *   item-item cosine.
 * - `embedding`: dense vectors learned from the interactions (see `trainTextEmbedding`): an item is
 *   the TF-IDF-weighted mean of its word vectors (each the mean of a word row and hashed character
 *   n-gram rows, as in fastText) plus its category vector, with a text-derived bias; a score is
 *   u·v + b, `similar` the cosine of the item vectors.
 *
 * @example const model = CONTENT.create({ mode: 'embedding', dim: 32 });
 */
export class ContentRecommender extends BaseRecommender {
  readonly name = 'content';
  readonly capabilities = { ratings: false, foldIn: true, content: true, sequential: false };
  readonly params: ParamsOf<typeof CONTENT_PARAMS>;
  /** tfidf: items × terms, unit rows. */
  private tfidf: CsrMatrix<Float32Array> = new CsrMatrix(0, 0, new Int32Array(1), new Int32Array(0), new Float32Array(0));
  /** embedding: items × dim, and a bias per item. */
  private vectors: Float32Array = new Float32Array(0);
  private bias: Float32Array = new Float32Array(0);

  constructor(params: Record<string, unknown> = {}) {
    super();
    this.params = resolveParams('content', CONTENT_PARAMS, params);
    if (this.params.minN > this.params.maxN) throw AppError.invalid(`content: minN (${this.params.minN}) must not exceed maxN (${this.params.maxN})`, { field: 'params.minN' });
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const started = this.begin(data);
    const p = this.params;
    const terms = itemTerms(data, { minDf: p.minDf, maxDf: p.maxDf, maxFeatures: p.maxFeatures, wordNgrams: p.wordNgrams });
    checkCancelled(options.signal);
    if (p.mode === 'tfidf') {
      this.tfidf = tfidfRows(terms, data.numItems);
      options.onProgress?.({ step: 1, steps: 1, unit: 'pass' });
      return { seconds: secondsSince(started), terms: terms.terms.length };
    }
    const learned = trainTextEmbedding(data, terms, {
      dim: p.dim, epochs: p.epochs, lr: p.lr, reg: p.reg, minN: p.minN, maxN: p.maxN, buckets: p.buckets, maxWords: p.maxWords, batch: p.batch,
      rng: options.rng.fork('content-embedding'), ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    this.vectors = learned.vectors;
    this.bias = learned.bias;
    return { seconds: secondsSince(started), epochs: p.epochs, losses: learned.losses, terms: terms.terms.length };
  }

  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    if (this.params.mode === 'tfidf') this.scoreTfidf(query.items, query.values, out);
    else this.scoreEmbedding(query.items, query.values, out);
  }

  /** Cosine of every item with the profile Σ wⱼ·xⱼ (the profile's norm is divided out). */
  private scoreTfidf(items: Int32Array, values: Float32Array, out: Float32Array): void {
    const x = this.tfidf;
    const profile = new Float64Array(x.cols);
    for (let k = 0; k < items.length; k++) {
      const w = values[k] ?? 1;
      for (let e = x.indptr[items[k]!]!; e < x.indptr[items[k]! + 1]!; e++) profile[x.indices[e]!]! += w * x.values[e]!;
    }
    let norm = 0;
    for (let t = 0; t < profile.length; t++) norm += profile[t]! * profile[t]!;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < x.rows; i++) {
      let s = 0;
      for (let e = x.indptr[i]!; e < x.indptr[i + 1]!; e++) s += x.values[e]! * profile[x.indices[e]!]!;
      out[i] = s * inv;
    }
  }

  /** u·vᵢ + bᵢ with u the preference-weighted mean of the query's item vectors (as in training). */
  private scoreEmbedding(items: Int32Array, values: Float32Array, out: Float32Array): void {
    const dim = this.params.dim;
    const v = this.vectors;
    const user = new Float64Array(dim);
    let total = 0;
    for (let k = 0; k < items.length; k++) {
      const w = values[k] ?? 1;
      total += w;
      const jo = items[k]! * dim;
      for (let d = 0; d < dim; d++) user[d]! += w * v[jo + d]!;
    }
    const c = total > 0 ? 1 / total : 0;
    for (let i = 0; i < this.numItems; i++) {
      let s = 0;
      const io = i * dim;
      for (let d = 0; d < dim; d++) s += user[d]! * v[io + d]!;
      out[i] = c * s + this.bias[i]!;
    }
  }

  protected override similarScores(item: number, out: Float32Array): void {
    if (this.params.mode === 'tfidf') return this.scoreTfidf(Int32Array.of(item), Float32Array.of(1), out);
    // Cosine of the text vectors: the bias says how often an item is chosen, not what it is like.
    const dim = this.params.dim;
    const v = this.vectors;
    const norm = (i: number): number => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += v[i * dim + d]! * v[i * dim + d]!;
      return Math.sqrt(s);
    };
    const base = norm(item);
    for (let i = 0; i < this.numItems; i++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += v[item * dim + d]! * v[i * dim + d]!;
      const n = base * norm(i);
      out[i] = n > 0 ? s / n : 0;
    }
  }

  save(): Uint8Array {
    const state = { numUsers: this.numUsers, numItems: this.numItems, terms: this.tfidf.cols };
    const arrays: Record<string, ModelArray> = this.params.mode === 'tfidf'
      ? { indptr: this.tfidf.indptr, indices: this.tfidf.indices, values: this.tfidf.values }
      : { vectors: this.vectors, bias: this.bias };
    return encodeModel({ model: this.name, params: this.params, state, arrays });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    const items = Number(file.state.numItems ?? 0);
    if (this.params.mode === 'tfidf') {
      const indptr = arrayOf(file, 'indptr', Int32Array, items + 1);
      const nnz = indptr[items]!;
      this.tfidf = new CsrMatrix(items, Number(file.state.terms ?? 0), indptr, arrayOf(file, 'indices', Int32Array, nnz), arrayOf(file, 'values', Float32Array, nnz));
    } else {
      this.vectors = arrayOf(file, 'vectors', Float32Array, items * this.params.dim);
      this.bias = arrayOf(file, 'bias', Float32Array, items);
    }
    this.numItems = items;
    this.numUsers = Number(file.state.numUsers ?? 0);
  }
}

export const CONTENT: ModelEntry = {
  name: 'content',
  description: 'content-based: TF-IDF cosine or learned text embeddings over title, description, tags, category and reviews (zh + en)',
  spec: CONTENT_PARAMS,
  capabilities: { ratings: false, foldIn: true, content: true, sequential: false },
  create: (params) => new ContentRecommender(params),
};
