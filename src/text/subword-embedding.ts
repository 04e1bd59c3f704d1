import { AppError } from '../core/errors.js';
import type { SeededRandom } from '../math/random.js';
import { TopKHeap } from '../math/topk.js';
import { cosine } from '../math/vector.js';
import { NEGATIVE_TABLE, sigmoid, unigramTable } from './negative-sampling.js';
import { subwordBuckets } from './subwords.js';

export interface SubwordEmbeddingOptions {
  /** Seeded randomness (initialisation, windows, subsampling, negatives): `rng.fork('subwords')`. */
  rng: SeededRandom;
  /** Vector size (default 48). */
  dim?: number;
  /** Hash buckets shared by all character n-grams (default 2^16; 12 MB at dim 48). */
  buckets?: number;
  /** Latin n-gram lengths (default 3–6, as fastText). Chinese words use characters and bigrams. */
  minN?: number;
  maxN?: number;
  /** Largest context window on each side (default 3; each position draws 1…window). */
  window?: number;
  /** Negative samples per context word (default 5). */
  negatives?: number;
  /** SGD step (default 0.05, fastText's for skip-gram; constant, as the stream never ends). */
  learningRate?: number;
  /**
   * Subsampling threshold: a word with frequency f is kept with probability √(t/f) + t/f (default 1e-2;
   * word2vec's 1e-3 is tuned for raw text, and the keyword stream has its stopwords removed already).
   */
  sample?: number;
  /** Words with their own vector (default 100 000); later new words still get vectors from n-grams. */
  maxWords?: number;
  /** Tokens waiting for training (default 20 000); past it the oldest sentences are dropped. */
  maxPending?: number;
}

export interface Neighbour {
  term: string;
  similarity: number;
}


/**
 * An incremental fastText-style skip-gram model (Bojanowski et al. 2017): a word's vector is the mean
 * of its own row and the rows of its hashed character n-grams, trained with negative sampling on text
 * as it streams in. Because n-grams are shared, a word never seen ("earbuds" after "earbud") has a
 * vector at once, from its n-grams; once it occurs, its own row starts learning from its contexts.
 *
 * `add(words)` counts a sentence and queues it; `train(maxTokens)` trains on the queue for at most
 * that many tokens, so a caller on a hot path spends a bounded budget per call; under load the oldest
 * queued sentences are dropped (training samples the stream rather than falling behind).
 * All draws come from the injected seeded generator: the same stream gives the same vectors.
 *
 * @example
 * const model = new SubwordEmbedding({ rng: new SeededRandom(1).fork('subwords') });
 * model.add(['wireless', 'earbuds', 'bluetooth']);
 * model.train(1000);
 * model.vectorOf('earbud');            // from n-grams, though never seen
 * model.nearest('earbuds', 5);         // [{ term, similarity }, …]
 */
export class SubwordEmbedding {
  readonly dim: number;
  private readonly opts: Required<Omit<SubwordEmbeddingOptions, 'rng'>>;
  private readonly rng: SeededRandom;
  private readonly ids = new Map<string, number>();
  private readonly words: string[] = [];
  private counts = new Float64Array(1024);
  private wordIn: Float32Array;
  private wordOut: Float32Array;
  private readonly ngramIn: Float32Array;
  /** Bucket ids of word w: ngramIds[ngramStart[w] .. ngramStart[w + 1]). */
  private ngramStart = new Int32Array(1025);
  private ngramIds = new Int32Array(16 * 1024);
  private totalTokens = 0;
  private readonly pending: Int32Array[] = [];
  private pendingHead = 0;
  private pendingTokens = 0;
  private droppedTokens = 0;
  private trainedTokens = 0;
  private negatives: Int32Array = new Int32Array(0);
  private tableBuiltAt = 0;
  private readonly hidden: Float32Array;
  private readonly grad: Float32Array;
  /** Unit vectors of the vocabulary for `nearest`, and the trained-token count they were built at. */
  private unit: Float32Array | undefined;
  private unitAt = -1;
  private unitWords = 0;
  private readonly mean: Float32Array;

  constructor(options: SubwordEmbeddingOptions) {
    const o = {
      dim: 48, buckets: 1 << 16, minN: 3, maxN: 6, window: 3, negatives: 5, learningRate: 0.05, sample: 1e-2, maxWords: 100_000, maxPending: 20_000,
      ...withoutUndefined(options),
    };
    for (const key of ['dim', 'buckets', 'minN', 'maxN', 'window', 'negatives', 'maxWords', 'maxPending'] as const) {
      if (!(Number.isInteger(o[key]) && o[key] >= 1)) throw AppError.invalid(`SubwordEmbedding ${key} must be an integer ≥ 1, got ${o[key]}`, { field: key });
    }
    if (o.maxN < o.minN) throw AppError.invalid(`SubwordEmbedding maxN (${o.maxN}) must be ≥ minN (${o.minN})`, { field: 'maxN' });
    if (!(o.learningRate > 0) || !(o.sample > 0)) throw AppError.invalid('SubwordEmbedding learningRate and sample must be > 0', { field: 'learningRate' });
    const { rng, ...rest } = o;
    this.opts = rest;
    this.rng = rng;
    this.dim = o.dim;
    this.wordIn = new Float32Array(1024 * this.dim);
    this.wordOut = new Float32Array(1024 * this.dim);
    // fastText's initialisation: input rows uniform in ±1/dim, output rows zero.
    this.ngramIn = new Float32Array(o.buckets * this.dim);
    const init = rng.fork('ngram-init');
    for (let i = 0; i < this.ngramIn.length; i++) this.ngramIn[i] = (init.next() * 2 - 1) / this.dim;
    this.hidden = new Float32Array(this.dim);
    this.grad = new Float32Array(this.dim);
    this.mean = new Float32Array(this.dim);
  }

  /** Words with their own vector. */
  get vocabularySize(): number {
    return this.words.length;
  }

  /** How often a word was added (0 for words without their own vector). */
  count(word: string): number {
    const id = this.ids.get(word);
    return id === undefined ? 0 : this.counts[id]!;
  }

  /** Whether the word has its own vector. */
  has(word: string): boolean {
    return this.ids.has(word);
  }

  /** Tokens counted, trained, waiting, and dropped from the queue. */
  stats(): { words: number; tokens: number; trained: number; pending: number; dropped: number } {
    return { words: this.words.length, tokens: this.totalTokens, trained: this.trainedTokens, pending: this.pendingTokens, dropped: this.droppedTokens };
  }

  /** Counts a sentence (words in text order) and queues it for training. */
  add(sentence: readonly string[]): void {
    if (sentence.length === 0) return;
    const ids = new Int32Array(sentence.length);
    let n = 0;
    for (const word of sentence) {
      const id = this.wordId(word);
      if (id < 0) continue;
      this.counts[id]!++;
      this.totalTokens++;
      ids[n++] = id;
    }
    if (n === 0) return;
    this.pending.push(n === ids.length ? ids : ids.slice(0, n));
    this.pendingTokens += n;
    while (this.pendingTokens > this.opts.maxPending && this.pendingHead < this.pending.length - 1) {
      const dropped = this.pending[this.pendingHead]!;
      this.pending[this.pendingHead++] = EMPTY;
      this.pendingTokens -= dropped.length;
      this.droppedTokens += dropped.length;
    }
  }

  /**
   * Trains on queued sentences, oldest first, until about `maxTokens` tokens are done (a sentence is
   * never split). Returns the tokens trained.
   */
  train(maxTokens = Infinity): number {
    let done = 0;
    while (done < maxTokens && this.pendingHead < this.pending.length) {
      const sentence = this.pending[this.pendingHead]!;
      this.pending[this.pendingHead++] = EMPTY;
      this.pendingTokens -= sentence.length;
      this.trainSentence(sentence);
      done += sentence.length;
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    this.trainedTokens += done;
    return done;
  }

  /**
   * The vector of any word: the mean of its own row and its n-gram rows when it has its own vector,
   * else the mean of its n-gram rows.
   */
  vectorOf(word: string, out: Float32Array = new Float32Array(this.dim)): Float32Array {
    const id = this.ids.get(word);
    if (id !== undefined) {
      this.wordVector(id, out);
      return out;
    }
    out.fill(0);
    const buckets = subwordBuckets(word, this.opts.minN, this.opts.maxN, this.opts.buckets);
    for (const b of buckets) this.addRow(this.ngramIn, b, out);
    if (buckets.length > 0) for (let d = 0; d < this.dim; d++) out[d]! /= buckets.length;
    return out;
  }

  /**
   * Cosine similarity of two words' vectors after removing the vocabulary's mean vector (0 when one
   * is all zeros). Skip-gram vectors share a large common direction — every word predicts the frequent
   * words — that makes every raw cosine high, most of all early in training; centring removes it
   * (Mu & Viswanath, "All-but-the-top", 2018).
   */
  similarity(a: string, b: string): number {
    this.unitVectors();
    return cosine(this.centred(this.vectorOf(a)), this.centred(this.vectorOf(b)));
  }

  /**
   * The `k` words of the vocabulary closest to `word` by cosine (centred, as `similarity`), best first, never the word itself.
   * Only words added at least `minCount` times qualify (default 1). The vocabulary's unit vectors are
   * rebuilt when training moved on by 1% of the tokens (or 1 000) since the last build.
   */
  nearest(word: string, k: number, options: { minCount?: number; exclude?: (term: string) => boolean } = {}): Neighbour[] {
    const minCount = options.minCount ?? 1;
    const unit = this.unitVectors();
    const query = this.centred(this.vectorOf(word));
    let qq = 0;
    for (let d = 0; d < query.length; d++) qq += query[d]! * query[d]!;
    if (qq === 0) return [];
    const qn = Math.sqrt(qq);
    const heap = new TopKHeap(Math.max(0, k));
    const self = this.ids.get(word);
    const dim = this.dim;
    for (let w = 0; w < this.unitWords; w++) {
      if (w === self || this.counts[w]! < minCount) continue;
      let s = 0;
      for (let d = 0, o = w * dim; d < dim; d++) s += query[d]! * unit[o + d]!;
      if (s / qn > heap.threshold && !(options.exclude?.(this.words[w]!) ?? false)) heap.push(w, s / qn);
    }
    const { ids, scores } = heap.drain();
    return Array.from(ids, (w, i) => ({ term: this.words[w]!, similarity: scores[i]! }));
  }

  private wordId(word: string): number {
    const known = this.ids.get(word);
    if (known !== undefined) return known;
    if (this.words.length >= this.opts.maxWords) return -1;
    const id = this.words.length;
    this.grow(id + 1);
    const buckets = subwordBuckets(word, this.opts.minN, this.opts.maxN, this.opts.buckets);
    const start = this.ngramStart[id]!;
    if (start + buckets.length > this.ngramIds.length) this.ngramIds = growInt(this.ngramIds, (start + buckets.length) * 2);
    this.ngramIds.set(buckets, start);
    this.ngramStart[id + 1] = start + buckets.length;
    const init = this.rng;
    for (let d = 0, o = id * this.dim; d < this.dim; d++) this.wordIn[o + d] = (init.next() * 2 - 1) / this.dim;
    this.ids.set(word, id);
    this.words.push(word);
    return id;
  }

  private grow(words: number): void {
    if (words <= this.counts.length) return;
    const capacity = Math.max(words, this.counts.length * 2);
    const counts = new Float64Array(capacity);
    counts.set(this.counts);
    this.counts = counts;
    this.wordIn = growFloat(this.wordIn, capacity * this.dim);
    this.wordOut = growFloat(this.wordOut, capacity * this.dim);
    this.ngramStart = growInt(this.ngramStart, capacity + 1);
  }

  private trainSentence(sentence: Int32Array): void {
    if (this.negatives.length === 0 || this.totalTokens > this.tableBuiltAt * 1.05 + 1000) this.buildNegatives();
    const rng = this.rng;
    const threshold = this.opts.sample * this.totalTokens;
    // Subsampling: frequent words are skipped often, so rare words get a fair share of the updates.
    const kept = new Int32Array(sentence.length);
    let n = 0;
    for (let i = 0; i < sentence.length; i++) {
      const w = sentence[i]!;
      const ratio = threshold / this.counts[w]!;
      if (ratio >= 1 || rng.next() < Math.sqrt(ratio) + ratio) kept[n++] = w;
    }
    for (let i = 0; i < n; i++) {
      const reach = 1 + rng.int(this.opts.window);
      const from = Math.max(0, i - reach);
      const to = Math.min(n - 1, i + reach);
      if (to > from) this.update(kept[i]!, kept, from, to, i);
    }
  }

  /**
   * The skip-gram steps of one center word: its hidden vector predicts each context word
   * `words[from..to]` (but position `skip`) against sampled negatives. The hidden vector is computed
   * once for the window and the input rows take the summed gradient once — fastText recomputes them
   * per context word; for windows of a few words the difference is small and this halves the cost.
   */
  private update(center: number, words: Int32Array, from: number, to: number, skip: number): void {
    const { dim, hidden, grad, wordOut, wordIn, ngramIn, ngramIds } = this;
    const lr = this.opts.learningRate;
    this.wordVector(center, hidden);
    grad.fill(0);
    for (let c = from; c <= to; c++) {
      if (c === skip) continue;
      const target = words[c]!;
      for (let s = 0; s <= this.opts.negatives; s++) {
        let t = target;
        if (s > 0) {
          t = this.negatives[this.rng.nextUint32() & (NEGATIVE_TABLE - 1)]!;
          if (t === target) continue;
        }
        const o = t * dim;
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += hidden[d]! * wordOut[o + d]!;
        const g = lr * ((s === 0 ? 1 : 0) - sigmoid(dot));
        for (let d = 0; d < dim; d++) {
          grad[d]! += g * wordOut[o + d]!;
          wordOut[o + d]! += g * hidden[d]!;
        }
      }
    }
    // As fastText's skip-gram: every input row of the word takes the whole gradient.
    for (let d = 0, o = center * dim; d < dim; d++) wordIn[o + d]! += grad[d]!;
    for (let p = this.ngramStart[center]!, end = this.ngramStart[center + 1]!; p < end; p++) {
      const o = ngramIds[p]! * dim;
      for (let d = 0; d < dim; d++) ngramIn[o + d]! += grad[d]!;
    }
  }

  private wordVector(id: number, out: Float32Array): void {
    const dim = this.dim;
    const start = this.ngramStart[id]!;
    const end = this.ngramStart[id + 1]!;
    for (let d = 0, o = id * dim; d < dim; d++) out[d] = this.wordIn[o + d]!;
    for (let p = start; p < end; p++) this.addRow(this.ngramIn, this.ngramIds[p]!, out);
    const scale = 1 / (1 + end - start);
    for (let d = 0; d < dim; d++) out[d]! *= scale;
  }

  private addRow(rows: Float32Array, row: number, out: Float32Array): void {
    for (let d = 0, o = row * this.dim; d < this.dim; d++) out[d]! += rows[o + d]!;
  }

  /** The unigram^0.75 table negatives are drawn from (rebuilt as the counts grow by 5%). */
  private buildNegatives(): void {
    this.negatives = unigramTable(this.counts, this.words.length, this.negatives.length === NEGATIVE_TABLE ? this.negatives : new Int32Array(NEGATIVE_TABLE));
    this.tableBuiltAt = this.totalTokens;
  }

  /** Subtracts the vocabulary's mean vector (as of the last unit-vector build) in place. */
  private centred(v: Float32Array): Float32Array {
    for (let d = 0; d < this.dim; d++) v[d]! -= this.mean[d]!;
    return v;
  }

  /** Centred unit vectors of the vocabulary, rebuilt when training moved on by 1% of the tokens (or 1 000). */
  private unitVectors(): Float32Array {
    const stale = this.trainedTokens - this.unitAt >= Math.max(1000, this.trainedTokens * 0.01);
    if (this.unit && this.unitWords === this.words.length && !stale) return this.unit;
    const n = this.words.length;
    const dim = this.dim;
    if (!this.unit || this.unit.length < n * dim) this.unit = new Float32Array(Math.max(n, 1) * 2 * dim);
    const unit = this.unit;
    const v = new Float32Array(dim);
    const mean = new Float64Array(dim);
    for (let w = 0; w < n; w++) {
      this.wordVector(w, v);
      for (let d = 0, o = w * dim; d < dim; d++) {
        unit[o + d] = v[d]!;
        mean[d]! += v[d]! / n;
      }
    }
    this.mean.set(mean);
    for (let w = 0; w < n; w++) {
      let s = 0;
      for (let d = 0, o = w * dim; d < dim; d++) {
        unit[o + d]! -= this.mean[d]!;
        s += unit[o + d]! * unit[o + d]!;
      }
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let d = 0, o = w * dim; d < dim; d++) unit[o + d]! *= inv;
    }
    this.unitAt = this.trainedTokens;
    this.unitWords = n;
    return unit;
  }
}

const EMPTY = new Int32Array(0);

function growFloat(a: Float32Array, length: number): Float32Array<ArrayBuffer> {
  const b = new Float32Array(length);
  b.set(a.subarray(0, Math.min(a.length, length)));
  return b;
}

function growInt(a: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a.subarray(0, Math.min(a.length, length)));
  return b;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
