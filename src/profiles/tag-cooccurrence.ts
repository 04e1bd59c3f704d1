import { AppError } from '../core/errors.js';
import { csrFromCoo, type CsrMatrix } from '../math/sparse.js';
import { CATEGORY_SEPARATOR } from './workspace-state.js';

/** What a label of the tag tree is: a (leaf) category path, a brand or a tag. */
export type LabelKind = 'category' | 'brand' | 'tag';

export interface Label {
  kind: LabelKind;
  /** A category as its path from the root joined by " > " (CATEGORY_SEPARATOR), a brand or tag as given. */
  name: string;
}

/**
 * The key of a label in trees and interest maps: `category:Audio > Earbuds`, `brand:Sony`, `tag:wireless`.
 *
 * @example labelKey({ kind: 'brand', name: 'Sony' }) // 'brand:Sony'
 */
export function labelKey(label: Label): string {
  return `${label.kind}:${label.name}`;
}

export interface TagCooccurrenceOptions {
  /** Labels of one basket considered (default 50; a user history should list its heaviest first). */
  maxBasket?: number;
}

/**
 * Counts which labels — leaf categories, brands, tags — occur together, in baskets: an item (its
 * leaf category, brand and tags) or a user's history (the labels of what they engaged with). Each
 * basket of m labels adds weight/(m − 1) to each pair, so every label of a basket gets the same total
 * co-occurrence whatever the basket's size. Items also say where labels sit in the category tree
 * (their "home": the parent of the item's leaf category).
 *
 * @example
 * const cooc = new TagCooccurrence();
 * cooc.addItem({ categoryPath: ['Audio', 'Earbuds'], brand: 'Sony', tags: ['wireless'] });
 * cooc.addHistory([{ kind: 'tag', name: 'wireless' }, { kind: 'category', name: 'Audio > Headphones' }]);
 * buildTagTree(cooc);
 */
export class TagCooccurrence {
  private readonly ids = new Map<string, number>();
  readonly labels: Label[] = [];
  /** Total basket weight each label occurred in. */
  readonly weights: number[] = [];
  /** Per label: home category path → weight (items only). */
  readonly homes: (Map<string, number> | undefined)[] = [];
  /** Category paths that are a proper prefix of an item's path (the skeleton of the category tree). */
  readonly innerPaths = new Set<string>();
  private rows = new Int32Array(1024);
  private cols = new Int32Array(1024);
  private vals = new Float64Array(1024);
  private pairs = 0;
  /** Pair entries past which repeated pairs are summed (doubling when summing does not halve them). */
  private compactAt = 1 << 20;
  private baskets = 0;
  private readonly maxBasket: number;

  constructor(options: TagCooccurrenceOptions = {}) {
    this.maxBasket = options.maxBasket ?? 50;
    if (!(Number.isInteger(this.maxBasket) && this.maxBasket >= 2)) throw AppError.invalid(`maxBasket must be an integer ≥ 2, got ${this.maxBasket}`, { field: 'maxBasket' });
  }

  /** Baskets counted. */
  get basketCount(): number {
    return this.baskets;
  }

  /** Counts an item: its leaf category, brand and tags co-occur, and sit in its leaf's parent category. */
  addItem(item: { categoryPath: readonly string[]; brand?: string | null; tags?: readonly string[] }, weight = 1): void {
    const path = item.categoryPath.filter((c) => typeof c === 'string' && c !== '');
    for (let i = 1; i < path.length; i++) this.innerPaths.add(path.slice(0, i).join(CATEGORY_SEPARATOR));
    const home = path.slice(0, -1).join(CATEGORY_SEPARATOR);
    const labels: Label[] = [];
    if (path.length > 0) labels.push({ kind: 'category', name: path.join(CATEGORY_SEPARATOR) });
    if (item.brand) labels.push({ kind: 'brand', name: item.brand });
    for (const tag of item.tags ?? []) if (tag) labels.push({ kind: 'tag', name: tag });
    const ids = this.addBasket(labels, weight);
    if (path.length === 0) return;
    for (const id of ids) {
      const homes = this.homes[id] ?? (this.homes[id] = new Map());
      homes.set(home, (homes.get(home) ?? 0) + weight);
    }
  }

  /** Counts a user's history: the labels co-occur (the first `maxBasket` distinct ones). */
  addHistory(labels: readonly Label[], weight = 1): void {
    this.addBasket(labels, weight);
  }

  /** The label's id, if it was counted. */
  idOf(label: Label): number | undefined {
    return this.ids.get(labelKey(label));
  }

  /** The symmetric label × label co-occurrence matrix (diagonal empty). */
  matrix(): CsrMatrix {
    const n = this.labels.length;
    const p = this.pairs;
    const r = new Int32Array(2 * p);
    const c = new Int32Array(2 * p);
    const v = new Float64Array(2 * p);
    r.set(this.rows.subarray(0, p));
    r.set(this.cols.subarray(0, p), p);
    c.set(this.cols.subarray(0, p));
    c.set(this.rows.subarray(0, p), p);
    v.set(this.vals.subarray(0, p));
    v.set(this.vals.subarray(0, p), p);
    return csrFromCoo(n, n, r, c, v);
  }

  private addBasket(labels: readonly Label[], weight: number): number[] {
    if (!(weight > 0)) return [];
    const ids: number[] = [];
    for (const label of labels) {
      if (ids.length >= this.maxBasket) break;
      const id = this.labelId(label);
      if (!ids.includes(id)) ids.push(id);
    }
    if (ids.length === 0) return ids;
    this.baskets++;
    for (const id of ids) this.weights[id] = this.weights[id]! + weight;
    if (ids.length < 2) return ids;
    const w = weight / (ids.length - 1);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) this.pushPair(ids[i]!, ids[j]!, w);
    }
    return ids;
  }

  /** Sums repeated pairs in place, so memory follows distinct pairs rather than baskets. */
  private compact(): void {
    const n = this.labels.length;
    const summed = csrFromCoo(n, n, this.rows.subarray(0, this.pairs), this.cols.subarray(0, this.pairs), this.vals.subarray(0, this.pairs));
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let q = summed.indptr[i]!; q < summed.indptr[i + 1]!; q++) {
        this.rows[k] = i;
        this.cols[k] = summed.indices[q]!;
        this.vals[k++] = summed.values[q]!;
      }
    }
    this.pairs = k;
    if (k * 2 > this.compactAt) this.compactAt *= 2;
  }

  private labelId(label: Label): number {
    const key = labelKey(label);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.labels.length;
      this.ids.set(key, id);
      this.labels.push({ kind: label.kind, name: label.name });
      this.weights.push(0);
      this.homes.push(undefined);
    }
    return id;
  }

  private pushPair(a: number, b: number, w: number): void {
    if (this.pairs === this.rows.length && this.pairs >= this.compactAt) this.compact();
    if (this.pairs === this.rows.length) {
      const grow = <T extends Int32Array | Float64Array>(x: T): T => {
        const y = new (x.constructor as new (n: number) => T)(x.length * 2);
        y.set(x);
        return y;
      };
      this.rows = grow(this.rows);
      this.cols = grow(this.cols);
      this.vals = grow(this.vals);
    }
    this.rows[this.pairs] = a;
    this.cols[this.pairs] = b;
    this.vals[this.pairs++] = w;
  }
}
