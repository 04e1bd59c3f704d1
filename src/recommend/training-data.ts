import { CsrMatrix, csrFromCoo } from '../math/sparse.js';
import type { Interactions, ItemInfo } from './interactions.js';

/**
 * What a model may know of one user when it scores items for them. `user` is the training index, or
 * -1 for a user the model has not seen: models that can fold in score from `items` alone.
 */
export interface UserQuery {
  user: number;
  /** Distinct items with positive feedback, ascending by index. */
  items: Int32Array;
  /** Preference weight of each of `items` (1 for a rating when the data is explicit). */
  values: Float32Array;
  /** Positive interactions oldest first, repeats kept (for sequential models). */
  history: Int32Array;
}

/**
 * Training data for recommenders: the interactions of one split with the structures models need,
 * each built on first use and kept. Dimensions are those of the shared id indices, so every split of
 * a data set has the same users × items space.
 *
 * - `ratings()` — one (user, item, value) per pair: the latest rating (explicit) or the summed weight.
 * - `matrix()` — users × items CSR of positive preference: 1 per rated pair on explicit data, the
 *   summed event weights on implicit data; pairs whose weights sum to ≤ 0 are left out (and excluded).
 * - `itemUsers()` — the transpose, items × users.
 * - `sequence(u)` — the user's positive interactions oldest first.
 *
 * @example
 * const data = new TrainingData(train);
 * const x = data.matrix();          // CsrMatrix<Float32Array>
 * model.score(data.query(0), out);
 */
export class TrainingData {
  readonly numUsers: number;
  readonly numItems: number;
  readonly explicit: boolean;
  private ratingsCache?: { user: Int32Array; item: Int32Array; value: Float32Array; time: Float64Array };
  private matrixCache?: CsrMatrix<Float32Array>;
  private transposeCache?: CsrMatrix<Float32Array>;
  private negativeCache?: Map<number, number[]>;
  private sequenceCache?: { indptr: Int32Array; items: Int32Array };
  private countCache?: Float64Array;
  private textCache?: string[];

  constructor(readonly source: Interactions) {
    this.numUsers = source.users.size;
    this.numItems = source.items.size;
    this.explicit = source.explicit;
  }

  /** Rows in the split (before deduplication). */
  get size(): number {
    return this.source.user.length;
  }

  /** One entry per (user, item): the latest rating on explicit data, the summed weight otherwise. */
  ratings(): { user: Int32Array; item: Int32Array; value: Float32Array; time: Float64Array } {
    if (this.ratingsCache) return this.ratingsCache;
    const s = this.source;
    const order = Int32Array.from({ length: s.user.length }, (_, r) => r)
      .sort((a, b) => s.user[a]! - s.user[b]! || s.item[a]! - s.item[b]! || s.time[a]! - s.time[b]! || a - b);
    const user: number[] = [];
    const item: number[] = [];
    const value: number[] = [];
    const time: number[] = [];
    for (const r of order) {
      const last = user.length - 1;
      if (last >= 0 && user[last] === s.user[r] && item[last] === s.item[r]) {
        value[last] = this.explicit ? s.value[r]! : value[last]! + s.value[r]!;
        time[last] = s.time[r]!;
        continue;
      }
      user.push(s.user[r]!);
      item.push(s.item[r]!);
      value.push(s.value[r]!);
      time.push(s.time[r]!);
    }
    this.ratingsCache = { user: Int32Array.from(user), item: Int32Array.from(item), value: Float32Array.from(value), time: Float64Array.from(time) };
    return this.ratingsCache;
  }

  /** Mean of `ratings().value` (0 when empty). */
  meanRating(): number {
    const v = this.ratings().value;
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += v[i]!;
    return v.length === 0 ? 0 : sum / v.length;
  }

  /** Users × items positive preference (see the class doc). */
  matrix(): CsrMatrix<Float32Array> {
    if (this.matrixCache) return this.matrixCache;
    const r = this.ratings();
    const keep: number[] = [];
    const negatives = new Map<number, number[]>();
    for (let e = 0; e < r.user.length; e++) {
      if (this.explicit || r.value[e]! > 0) keep.push(e);
      else {
        const list = negatives.get(r.user[e]!) ?? [];
        list.push(r.item[e]!);
        negatives.set(r.user[e]!, list);
      }
    }
    const rows = keep.map((e) => r.user[e]!);
    const cols = keep.map((e) => r.item[e]!);
    const vals = keep.map((e) => (this.explicit ? 1 : r.value[e]!));
    this.matrixCache = csrFromCoo(this.numUsers, this.numItems, rows, cols, vals, 'float32') as CsrMatrix<Float32Array>;
    this.negativeCache = negatives;
    return this.matrixCache;
  }

  /** Items × users: the transpose of `matrix()`. */
  itemUsers(): CsrMatrix<Float32Array> {
    if (this.transposeCache) return this.transposeCache;
    const m = this.matrix();
    const rows = new Int32Array(m.nnz);
    for (let u = 0; u < m.rows; u++) rows.fill(u, m.indptr[u]!, m.indptr[u + 1]!);
    this.transposeCache = csrFromCoo(this.numItems, this.numUsers, m.indices, rows, m.values, 'float32') as CsrMatrix<Float32Array>;
    return this.transposeCache;
  }

  /** Items the user gave net negative feedback (never recommended to them). */
  negativeItems(user: number): readonly number[] {
    this.matrix();
    return this.negativeCache!.get(user) ?? [];
  }

  /** Items to leave out when recommending to `user`: those interacted with and those rejected. */
  seen(user: number): Set<number> {
    const m = this.matrix();
    const set = new Set<number>(user >= 0 && user < m.rows ? m.rowIndices(user) : []);
    for (const i of this.negativeItems(user)) set.add(i);
    return set;
  }

  /** Positive interactions of `user`, oldest first, repeats kept. */
  sequence(user: number): Int32Array {
    if (!this.sequenceCache) {
      const s = this.source;
      const order = Int32Array.from({ length: s.user.length }, (_, r) => r)
        .filter((r) => this.explicit || s.value[r]! > 0)
        .sort((a, b) => s.user[a]! - s.user[b]! || s.time[a]! - s.time[b]! || a - b);
      const indptr = new Int32Array(this.numUsers + 1);
      const items = new Int32Array(order.length);
      order.forEach((r, k) => {
        indptr[s.user[r]! + 1]!++;
        items[k] = s.item[r]!;
      });
      for (let u = 0; u < this.numUsers; u++) indptr[u + 1]! += indptr[u]!;
      this.sequenceCache = { indptr, items };
    }
    const { indptr, items } = this.sequenceCache;
    if (user < 0 || user >= this.numUsers) return new Int32Array(0);
    return items.subarray(indptr[user]!, indptr[user + 1]!);
  }

  /** The query for a training user. */
  query(user: number): UserQuery {
    const m = this.matrix();
    const inRange = user >= 0 && user < m.rows;
    return {
      user,
      items: inRange ? m.rowIndices(user) : new Int32Array(0),
      values: inRange ? m.rowValues(user) : new Float32Array(0),
      history: this.sequence(user),
    };
  }

  /** Distinct users with positive feedback per item. */
  itemCounts(): Float64Array {
    if (this.countCache) return this.countCache;
    const m = this.matrix();
    const counts = new Float64Array(this.numItems);
    for (let e = 0; e < m.nnz; e++) counts[m.indices[e]!]!++;
    this.countCache = counts;
    return counts;
  }

  /** What is known of an item (category, title, …). */
  itemInfo(item: number): ItemInfo | undefined {
    return this.source.itemInfo[item];
  }

  /** Text of an item for content models: title, description, tags, category and the split's review texts. */
  itemText(item: number): string {
    if (!this.textCache) {
      const texts: string[][] = Array.from({ length: this.numItems }, (_, i) => {
        const info = this.source.itemInfo[i];
        if (!info) return [];
        return [info.title, info.description, info.brand, ...(info.tags ?? []), ...(info.category ?? [])].filter((t): t is string => !!t);
      });
      const rowText = this.source.rowText;
      if (rowText) for (let r = 0; r < rowText.length; r++) if (rowText[r]) texts[this.source.item[r]!]!.push(rowText[r]!);
      this.textCache = texts.map((t) => t.join('\n'));
    }
    return this.textCache[item] ?? '';
  }
}
