import type { Item } from '../../core/catalog.js';
import { AppError } from '../../core/errors.js';
import { TopKHeap } from '../../math/topk.js';
import { colourName } from './demo-images.js';
import type { ImageCnn } from './image-cnn.js';
import { decodeImage, toTensor } from './image-codec.js';
import type { ImageFiles } from './image-files.js';

/** An item with a picture, ready to train on or embed. */
export interface PicturedItem {
  id: string;
  categoryPath: string[];
  colour: string | undefined;
  version: string;
  pixels: Float32Array;
}

/** What the classifier's outputs mean: the category level, its classes (paths), and the colours of the colour head. */
export interface LabelPlan {
  /** Depth of the category paths the classes are (1 = top level). */
  level: number;
  classes: string[][];
  colours: string[];
}

/**
 * Reads and decodes the pictures of items (`ImageFiles.load`) to `size` × `size` tensors; items without
 * a picture are left out, undecodable pictures counted in `skipped` with the first reason.
 *
 * Yields to the event loop every 32 pictures (decoding a catalog takes seconds; requests must not wait).
 *
 * @example const { items, skipped } = await loadPictures(files, catalog, 32);
 */
export async function loadPictures(files: ImageFiles, items: readonly Item[], size: number): Promise<{ items: PicturedItem[]; skipped: number; firstError?: string }> {
  const out: PicturedItem[] = [];
  let skipped = 0;
  let firstError: string | undefined;
  for (const [i, item] of items.entries()) {
    if (i % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
    const image = files.load(item);
    if (!image) continue;
    try {
      out.push({ id: item.id, categoryPath: item.categoryPath, colour: colourName(item), version: image.version, pixels: toTensor(decodeImage(image.bytes), size) });
    } catch (error) {
      skipped++;
      firstError ??= `${item.id}: ${(error as Error).message}`;
    }
  }
  return { items: out, skipped, firstError };
}

/**
 * Chooses what to classify: the deepest category level at which classes with at least `minPerClass`
 * pictures cover ≥ 80% of the pictures (with ≥ 2 such classes), else the top level; and the colours with
 * at least `minPerClass` pictures (no colour head unless there are two). Items outside the kept classes
 * train the colour head only.
 *
 * @example planLabels(items, 8) // { level: 3, classes: [['服装', '女装', '连衣裙'], …], colours: ['black', …] }
 */
export function planLabels(items: readonly Pick<PicturedItem, 'categoryPath' | 'colour'>[], minPerClass: number): LabelPlan {
  const depth = Math.max(0, ...items.map((i) => i.categoryPath.length));
  let chosen: { level: number; classes: string[][] } | undefined;
  for (let level = depth; level >= 1 && !chosen; level--) {
    const counts = countBy(items.filter((i) => i.categoryPath.length >= level), (i) => key(i.categoryPath.slice(0, level)));
    const kept = [...counts].filter(([, n]) => n >= minPerClass);
    const covered = kept.reduce((s, [, n]) => s + n, 0);
    if (kept.length >= 2 && (covered >= 0.8 * items.length || level === 1)) chosen = { level, classes: kept.map(([k]) => unkey(k)).sort(compare) };
  }
  if (!chosen) throw AppError.unavailable(`photo search needs pictures of at least 2 categories with ${minPerClass} or more pictures each`);
  const colours = [...countBy(items.filter((i) => i.colour !== undefined), (i) => i.colour!)].filter(([, n]) => n >= minPerClass).map(([c]) => c).sort();
  return { ...chosen, colours: colours.length >= 2 ? colours : [] };
}

/** The class and colour labels of an item under a plan (-1: none). @example labelsOf(plan, item) // { category: 17, colour: 3 } */
export function labelsOf(plan: LabelPlan, item: Pick<PicturedItem, 'categoryPath' | 'colour'>): { category: number; colour: number } {
  const k = key(item.categoryPath.slice(0, plan.level));
  return { category: plan.classes.findIndex((c) => key(c) === k), colour: item.colour === undefined ? -1 : plan.colours.indexOf(item.colour) };
}

/**
 * The searchable part: item ids and their L2-normalised embeddings (row i is item i), searched by cosine
 * (a dot product) with a bounded heap.
 *
 * @example const top = index.nearest(queryEmbedding, 10, new Set([3]));
 */
export class EmbeddingIndex {
  private rowOf = new Map<string, number>();

  constructor(readonly dim: number, private ids: string[] = [], private vectors = new Float32Array(0), readonly versions = new Map<string, string>()) {
    ids.forEach((id, i) => this.rowOf.set(id, i));
  }

  get size(): number {
    return this.ids.length;
  }

  has(itemId: string): boolean {
    return this.rowOf.has(itemId);
  }

  vectorOf(itemId: string): Float32Array | undefined {
    const row = this.rowOf.get(itemId);
    return row === undefined ? undefined : this.vectors.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** Adds or replaces items' rows. */
  upsert(items: readonly { id: string; version: string }[], embeddings: Float32Array): void {
    const added = items.filter((i) => !this.rowOf.has(i.id));
    if (added.length > 0) {
      const grown = new Float32Array((this.ids.length + added.length) * this.dim);
      grown.set(this.vectors);
      this.vectors = grown;
      for (const item of added) {
        this.rowOf.set(item.id, this.ids.length);
        this.ids.push(item.id);
      }
    }
    items.forEach((item, i) => {
      this.vectors.set(embeddings.subarray(i * this.dim, (i + 1) * this.dim), this.rowOf.get(item.id)! * this.dim);
      this.versions.set(item.id, item.version);
    });
  }

  /** Drops items (the last rows move into the gaps). */
  remove(itemIds: Iterable<string>): void {
    for (const id of itemIds) {
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      const last = this.ids.length - 1;
      if (row !== last) {
        const moved = this.ids[last]!;
        this.ids[row] = moved;
        this.rowOf.set(moved, row);
        this.vectors.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
      }
      this.ids.pop();
      this.rowOf.delete(id);
      this.versions.delete(id);
    }
    this.vectors = this.vectors.slice(0, this.ids.length * this.dim);
  }

  /** The `n` items most similar to `query` (normalised), best first, never those in `exclude`. */
  nearest(query: Float32Array, n: number, exclude?: ReadonlySet<string>): { itemId: string; score: number }[] {
    const heap = new TopKHeap(Math.min(n, this.ids.length));
    const d = this.dim;
    const v = this.vectors;
    for (let r = 0; r < this.ids.length; r++) {
      let s = 0;
      const off = r * d;
      for (let k = 0; k < d; k++) s += query[k]! * v[off + k]!;
      if (s < heap.threshold) continue;
      if (exclude?.has(this.ids[r]!)) continue;
      heap.push(r, s);
    }
    const { ids, scores } = heap.drain();
    return Array.from(ids, (row, i) => ({ itemId: this.ids[row]!, score: Math.max(-1, Math.min(1, scores[i]!)) }));
  }
}

/** Embeds pictured items with a model into a fresh index. @example const index = await buildIndex(cnn, pictured); index.nearest(query, 10) */
export async function buildIndex(cnn: ImageCnn, items: readonly PicturedItem[]): Promise<EmbeddingIndex> {
  const index = new EmbeddingIndex(cnn.config.embedDim);
  const { embeddings } = await cnn.embed(items.map((i) => i.pixels));
  index.upsert(items, embeddings);
  return index;
}

const key = (path: readonly string[]) => path.join('\u001f');
const unkey = (k: string) => k.split('\u001f');
const compare = (a: string[], b: string[]) => key(a).localeCompare(key(b));

function countBy<T>(items: readonly T[], keyOf: (t: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = keyOf(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
