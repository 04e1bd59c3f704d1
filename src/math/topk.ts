import { AppError } from '../core/errors.js';
import type { FloatArray, FloatKind } from './dense.js';

/** Indices to leave out of a ranking: a set, or a list of indices. */
export type Exclusion = ReadonlySet<number> | ArrayLike<number>;

/** The best `k` ids by score, best first. */
export interface TopKResult<S extends FloatArray = Float64Array> {
  ids: Int32Array;
  scores: S;
}

/**
 * A bounded min-heap that keeps the `k` best (id, score) pairs seen so far. Order is by score
 * descending, equal scores by lower id first, so results never depend on the order of pushes.
 * NaN scores never enter. `threshold` is the score a newcomer must beat once the heap is full, which
 * lets a scoring loop skip work early.
 *
 * @example
 * const heap = new TopKHeap(10);
 * for (let item = 0; item < items; item++) heap.push(item, score(item));
 * const { ids, scores } = heap.drain(); // best first; the heap is empty again
 */
export class TopKHeap<S extends FloatArray = Float64Array> {
  readonly capacity: number;
  private n = 0;
  private readonly ids: Int32Array;
  private readonly scores: S;
  private readonly float32: boolean;

  constructor(k: number, kind: FloatKind = 'float64') {
    if (!(Number.isInteger(k) && k >= 0)) throw AppError.invalid(`top-k needs an integer k ≥ 0, got ${k}`, { field: 'k' });
    this.capacity = k;
    this.ids = new Int32Array(k);
    this.scores = (kind === 'float32' ? new Float32Array(k) : new Float64Array(k)) as S;
    // Float32 storage: compare the rounded score, so what is stored is what was compared.
    this.float32 = kind === 'float32';
  }

  /** How many pairs the heap holds. */
  get size(): number {
    return this.n;
  }

  /** The worst kept score once full (a newcomer must beat it), -Infinity before. */
  get threshold(): number {
    if (this.capacity === 0) return Infinity;
    return this.n < this.capacity ? -Infinity : this.scores[0]!;
  }

  /** Offers a pair; returns whether it was kept. NaN is ignored. */
  push(id: number, score: number): boolean {
    if (score !== score || this.capacity === 0) return false;
    const s = this.float32 ? Math.fround(score) : score;
    if (this.n < this.capacity) {
      this.siftUp(this.n++, id, s);
      return true;
    }
    const rootScore = this.scores[0]!;
    if (s < rootScore || (s === rootScore && id > this.ids[0]!)) return false;
    this.siftDown(0, id, s);
    return true;
  }

  /** Empties the heap without returning anything. */
  clear(): void {
    this.n = 0;
  }

  /** The kept pairs, best first; the heap is empty afterwards (ready for reuse). */
  drain(): TopKResult<S> {
    const count = this.n;
    const ids = new Int32Array(count);
    const scores = new (this.scores.constructor as new (n: number) => S)(count);
    // Popping the root (the worst) fills the output from the back.
    for (let out = count - 1; out >= 0; out--) {
      ids[out] = this.ids[0]!;
      scores[out] = this.scores[0]!;
      const last = --this.n;
      if (last > 0) this.siftDown(0, this.ids[last]!, this.scores[last]!);
    }
    return { ids, scores };
  }

  /** True when (idA, a) ranks below (idB, b). */
  private static worse(a: number, idA: number, b: number, idB: number): boolean {
    return a < b || (a === b && idA > idB);
  }

  private siftUp(pos: number, id: number, score: number): void {
    const { ids, scores } = this;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!TopKHeap.worse(score, id, scores[parent]!, ids[parent]!)) break;
      ids[pos] = ids[parent]!;
      scores[pos] = scores[parent]!;
      pos = parent;
    }
    ids[pos] = id;
    scores[pos] = score;
  }

  private siftDown(pos: number, id: number, score: number): void {
    const { ids, scores } = this;
    const n = this.n;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && TopKHeap.worse(scores[right]!, ids[right]!, scores[child]!, ids[child]!)) child = right;
      if (!TopKHeap.worse(scores[child]!, ids[child]!, score, id)) break;
      ids[pos] = ids[child]!;
      scores[pos] = scores[child]!;
      pos = child;
    }
    ids[pos] = id;
    scores[pos] = score;
  }
}

function toSet(exclude: Exclusion | undefined): ReadonlySet<number> | undefined {
  if (exclude === undefined) return undefined;
  if (exclude instanceof Set) return exclude;
  return new Set(Array.from(exclude as ArrayLike<number>));
}

/**
 * The best `k` pairs of a score array: ids are indices into `scores`, best first, ties by lower index,
 * NaN never ranks, excluded indices never appear. Fewer than k come back when fewer qualify.
 *
 * @example
 * const { ids, scores } = topKScored(itemScores, 20, seenItems);
 */
export function topKScored(scores: ArrayLike<number>, k: number, exclude?: Exclusion): TopKResult {
  const heap = new TopKHeap(Math.min(k, scores.length));
  const skip = toSet(exclude);
  const n = scores.length;
  let bar = heap.threshold;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    // Cheap test first: most candidates lose to the current bar (ties with a lower index cannot win later).
    if (!(s >= bar)) continue;
    if (skip !== undefined && skip.has(i)) continue;
    if (heap.push(i, s)) bar = heap.threshold;
  }
  return heap.drain();
}

/**
 * Indices of the `k` highest scores, best first (ties by lower index; NaN never ranks; `exclude` as a
 * set or a list of indices).
 *
 * @example
 * topK(new Float32Array([0.1, 0.9, 0.5, NaN]), 2);       // Int32Array [1, 2]
 * topK(new Float32Array([0.1, 0.9, 0.5]), 2, [1]);       // Int32Array [2, 0]
 */
export function topK(scores: ArrayLike<number>, k: number, exclude?: Exclusion): Int32Array {
  return topKScored(scores, k, exclude).ids;
}

/**
 * The k-th largest of the first `n` values (k = 1: the maximum), found by quickselect in O(n) expected
 * time; `values` is reordered. NaN must not be among them.
 *
 * @example
 * kthLargest(new Float64Array([5, 1, 4, 2]), 4, 2); // 4
 */
export function kthLargest(values: Float64Array, n: number, k: number): number {
  if (!(Number.isInteger(k) && k >= 1 && k <= n && n <= values.length)) throw AppError.invalid(`kthLargest needs 1 ≤ k ≤ n ≤ length, got k = ${k}, n = ${n}`, { field: 'k' });
  // Position k-1 of a descending order, narrowed by Hoare partitions around a median of three.
  const target = k - 1;
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const a = values[lo]!, b = values[mid]!, c = values[hi]!;
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}
