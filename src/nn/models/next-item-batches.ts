import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';

/** The id arrays of one next-item batch, batchSize × length each (row-major), reused between batches. */
export interface NextItemBatch {
  /** Item ids (index + 1) of the inputs, left-padded with 0. */
  sequences: Int32Array;
  /** The item after each input position (0 where the input is padding). */
  positives: Int32Array;
}

/**
 * Training batches for next-item models (SASRec, GRU4Rec) from per-user item sequences (item indices
 * 0 … items − 1, oldest first): each sequence of n ≥ 2 items is one row whose inputs are its items
 * 0 … n − 2 and whose targets are items 1 … n − 1, the last `length` of them, as ids shifted by one
 * (0 = padding) and left-padded, so the newest item always sits at the last position. Rows are
 * shuffled per epoch; the last batch of an epoch wraps around to the start of the order, so every
 * batch is full (static graph shapes) and no batch is all padding.
 *
 * @example
 * const batches = new NextItemBatches(users.map((u) => data.sequence(u)), data.numItems, 50, 128);
 * batches.shuffle(rng);
 * for (let k = 0; k < batches.batches; k++) {
 *   const { sequences, positives } = batches.batch(k);
 *   const negatives = batches.negativesPerPosition(k, rng);
 * }
 */
export class NextItemBatches {
  /** Rows (sequences with at least two items). */
  readonly rows: number;
  /** Batches per epoch: ⌈rows / batchSize⌉. */
  readonly batches: number;
  private readonly inputs: Int32Array;
  private readonly targets: Int32Array;
  private readonly sources: ArrayLike<number>[] = [];
  private readonly order: Int32Array;
  private readonly out: NextItemBatch;
  private readonly negatives: Int32Array;
  private readonly stamp: Int32Array;
  private stampValue = 0;
  private readonly permutation: Int32Array;

  constructor(sequences: Iterable<ArrayLike<number>>, readonly items: number, readonly length: number, readonly batchSize: number) {
    if (!(Number.isInteger(length) && length >= 1 && Number.isInteger(batchSize) && batchSize >= 1)) {
      throw AppError.invalid(`next-item batches need a whole length and batch size ≥ 1, got ${length} and ${batchSize}`, { field: 'length' });
    }
    for (const s of sequences) if (s.length >= 2) this.sources.push(s);
    this.rows = this.sources.length;
    if (this.rows === 0) throw AppError.invalid('next-item training needs at least one sequence of two or more items', { field: 'sequences' });
    this.batches = Math.ceil(this.rows / batchSize);
    this.inputs = new Int32Array(this.rows * length);
    this.targets = new Int32Array(this.rows * length);
    this.sources.forEach((s, r) => {
      const pairs = Math.min(length, s.length - 1);
      const from = s.length - 1 - pairs; // first input of the kept window
      for (let k = 0; k < pairs; k++) {
        const at = r * length + length - pairs + k;
        this.inputs[at] = checkItem(s[from + k]!, items) + 1;
        this.targets[at] = checkItem(s[from + k + 1]!, items) + 1;
      }
    });
    this.order = Int32Array.from({ length: this.rows }, (_, r) => r);
    this.out = { sequences: new Int32Array(batchSize * length), positives: new Int32Array(batchSize * length) };
    this.negatives = new Int32Array(batchSize * length);
    this.stamp = new Int32Array(items + 1);
    this.permutation = Int32Array.from({ length: items }, (_, i) => i + 1);
  }

  /** A new random row order (Fisher–Yates), for the next epoch. */
  shuffle(rng: SeededRandom): void {
    const order = this.order;
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }

  /** The sequences and targets of batch `k` of the current order (the arrays are reused by the next call). */
  batch(k: number): NextItemBatch {
    const L = this.length;
    for (let j = 0; j < this.batchSize; j++) {
      const r = this.rowOf(k, j);
      this.out.sequences.set(this.inputs.subarray(r * L, (r + 1) * L), j * L);
      this.out.positives.set(this.targets.subarray(r * L, (r + 1) * L), j * L);
    }
    return this.out;
  }

  /**
   * One negative id per position of batch `k` (0 at padding): uniform over the items the row's user
   * never interacted with (rejection sampling; after 32 misses any other item is taken). Reused array.
   */
  negativesPerPosition(k: number, rng: SeededRandom): Int32Array {
    const L = this.length;
    const items = this.items;
    for (let j = 0; j < this.batchSize; j++) {
      const r = this.rowOf(k, j);
      const source = this.sources[r]!;
      const mark = ++this.stampValue;
      for (let i = 0; i < source.length; i++) this.stamp[source[i]! + 1] = mark;
      for (let t = 0; t < L; t++) {
        const at = j * L + t;
        if (this.targets[r * L + t] === 0) {
          this.negatives[at] = 0;
          continue;
        }
        let id = 1 + rng.int(items);
        for (let tries = 0; this.stamp[id] === mark && tries < 32; tries++) id = 1 + rng.int(items);
        this.negatives[at] = id;
      }
    }
    return this.negatives;
  }

  /** `n` distinct item ids uniformly at random (with repeats only when n > items), into `out`. */
  sharedNegatives(rng: SeededRandom, out: Int32Array): Int32Array {
    const p = this.permutation;
    const items = this.items;
    for (let k = 0; k < out.length; k++) {
      const i = k % items;
      // Partial Fisher–Yates over a persistent permutation: O(n) per call, any prior order is fine.
      const j = i + rng.int(items - i);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
      out[k] = p[i]!;
    }
    return out;
  }

  private rowOf(k: number, j: number): number {
    if (!(Number.isInteger(k) && k >= 0 && k < this.batches)) throw AppError.invalid(`batch ${k} outside 0 … ${this.batches - 1}`, { field: 'batch' });
    return this.order[(k * this.batchSize + j) % this.rows]!;
  }
}

function checkItem(item: number, items: number): number {
  if (!(Number.isInteger(item) && item >= 0 && item < items)) throw AppError.invalid(`sequence item ${item} outside 0 … ${items - 1}`, { field: 'sequences' });
  return item;
}

/**
 * The last `length` items of a history (item indices, oldest first) as the ids a next-item network
 * reads: index + 1, left-padded with 0, so the newest item is at the last position.
 *
 * @example lastItems(Int32Array.of(4, 7), 4, 10) // Int32Array [0, 0, 5, 8]
 */
export function lastItems(history: ArrayLike<number>, length: number, items: number): Int32Array {
  const ids = new Int32Array(length);
  const kept = Math.min(length, history.length);
  for (let k = 0; k < kept; k++) {
    const item = history[history.length - kept + k]!;
    if (!(Number.isInteger(item) && item >= 0 && item < items)) throw AppError.invalid(`history item ${item} is outside the ${items} items the model was trained on`, { field: 'history' });
    ids[length - kept + k] = item + 1;
  }
  return ids;
}
