import { AppError } from '../core/errors.js';
import { topKScored } from '../math/topk.js';
import type { IdIndex } from './interactions.js';
import type { Recommender } from './recommender.js';
import { loadModel } from './registry.js';
import { decodeTrainedModel, encodeTrainedModel, type ServingState, servingStateOf } from './trained-model-file.js';
import type { TrainingData, UserQuery } from './training-data.js';

/** Where a list of recommendations came from: the user's own row, items folded in from `history`, or popularity. */
export type RecommendSource = 'model' | 'fold-in' | 'popular';

/**
 * Filters of every list. `category` is a category path with segments joined by `" > "` (as in
 * `GET /v1/items?category=`): an item matches when its path starts with those segments; a single
 * name without `" > "` also matches an item that has it as any segment of its path (so `耳机` finds
 * `数码 > 影音 > 耳机`). `exclude` lists item ids to leave out.
 */
export interface ItemFilters {
  category?: string;
  exclude?: readonly string[];
}

export interface RecommendOptions extends ItemFilters {
  /** Leave out what the user interacted with or rejected (default true). */
  excludeSeen?: boolean;
  /** Item ids the user interacted with recently, oldest first (a session the model has not seen). */
  history?: readonly string[];
}

export interface ScoredItem {
  itemId: string;
  score: number;
}

export interface Recommendations {
  items: ScoredItem[];
  source: RecommendSource;
}

/** Filter masks kept per category string (a few are hot: the shop's navigation). */
const MASK_CACHE = 64;

/**
 * A fitted recommender with what serving needs: the shop's user and item ids, each user's items,
 * rejections and latest history, item categories for filters and item popularity for fallbacks. It
 * speaks ids; the recommender speaks dense indices.
 *
 * A known user is scored from their own row (`source: 'model'`); `history` items are added to it. An
 * unknown user is folded in from `history` when the model can (`'fold-in'`), otherwise gets the most
 * popular items (`'popular'`). Seen items (rows, rejections and `history`) are left out by default.
 *
 * @example
 * const served = TrainedModel.fromTraining(model, data);
 * await served.recommend('u1', 10, { category: '数码 > 影音', exclude: ['sku-9'] });
 * const again = TrainedModel.load(served.save());
 */
export class TrainedModel {
  private readonly masks = new Map<string, Uint8Array>();

  private constructor(readonly model: Recommender, private readonly state: ServingState) {}

  /** Wraps a model fitted on `data`. */
  static fromTraining(model: Recommender, data: TrainingData): TrainedModel {
    return new TrainedModel(model, servingStateOf(data));
  }

  /** A served model back from the blob of `save()`. */
  static load(blob: Uint8Array): TrainedModel {
    const { modelBytes, state } = decodeTrainedModel(blob);
    return new TrainedModel(loadModel(modelBytes), state);
  }

  /** The model's bytes, ids, rows and histories as one blob. */
  save(): Uint8Array {
    return encodeTrainedModel(this.model.save(), this.model.name, this.state);
  }

  get users(): IdIndex {
    return this.state.users;
  }

  get items(): IdIndex {
    return this.state.items;
  }

  /** The best `n` items for `userId` (see the class doc for the sources and options). */
  async recommend(userId: string, n: number, options: RecommendOptions = {}): Promise<Recommendations> {
    checkN(n);
    const { items, state } = this;
    const user = this.users.get(userId);
    const history = (options.history ?? []).map((id) => items.get(id)).filter((i) => i >= 0);
    const query = user >= 0 ? this.mergeHistory(this.rowQuery(user), history) : foldInQuery(history);
    const source: RecommendSource = user >= 0 ? 'model' : query.items.length > 0 && this.model.capabilities.foldIn ? 'fold-in' : 'popular';
    const scores = new Float32Array(items.size);
    if (source === 'popular') scores.set(state.popularity);
    else await this.model.score(query, scores);
    if (options.excludeSeen ?? true) {
      for (const i of query.items) scores[i] = NaN;
      if (user >= 0) for (let k = state.negPtr[user]!; k < state.negPtr[user + 1]!; k++) scores[state.negItems[k]!] = NaN;
    }
    this.applyFilters(scores, options);
    return { items: this.toScored(topKScored(scores, n)), source };
  }

  /** The `n` items most like `itemId` (never itself); `AppError('not_found')` for an item the model does not know. */
  async similar(itemId: string, n: number, filters: ItemFilters = {}): Promise<ScoredItem[]> {
    checkN(n);
    const item = this.items.get(itemId);
    if (item < 0) throw AppError.notFound(`item ${itemId} is not in the trained model (no interactions with it when it was trained)`, { field: 'id' });
    const total = this.items.size;
    const mask = filters.category ? this.categoryMask(filters.category) : undefined;
    const excluded = new Set(this.indicesOf(filters.exclude ?? []));
    // The model ranks without filters; ask for more until enough pass them or every item is ranked.
    let k = Math.min(total, mask ? Math.max(8 * n, 64) : n + excluded.size + 1);
    for (;;) {
      const { ids, scores } = await this.model.similar(item, k);
      const out: ScoredItem[] = [];
      for (let r = 0; r < ids.length && out.length < n; r++) {
        const i = ids[r]!;
        if (excluded.has(i) || (mask && mask[i] === 0)) continue;
        out.push({ itemId: this.items.idOf(i), score: scores[r]! });
      }
      if (out.length >= n || k >= total) return out;
      k = Math.min(total, k * 4);
    }
  }

  /** The `n` items most users interacted with, filtered. */
  popular(n: number, filters: ItemFilters = {}): ScoredItem[] {
    checkN(n);
    const scores = Float32Array.from(this.state.popularity);
    this.applyFilters(scores, filters);
    return this.toScored(topKScored(scores, n));
  }

  /** Users, items and positive (user, item) pairs the model was trained on. */
  describe(): { recommender: string; users: number; items: number; pairs: number } {
    return { recommender: this.model.name, users: this.users.size, items: this.items.size, pairs: this.state.rowItems.length };
  }

  private rowQuery(user: number): UserQuery {
    const { rowPtr, rowItems, rowValues, seqPtr, seqItems } = this.state;
    return {
      user,
      items: rowItems.subarray(rowPtr[user]!, rowPtr[user + 1]!),
      values: rowValues.subarray(rowPtr[user]!, rowPtr[user + 1]!),
      history: seqItems.subarray(seqPtr[user]!, seqPtr[user + 1]!),
    };
  }

  /** A known user's row with recent items added (weight 1 each, on top of what the row holds). */
  private mergeHistory(query: UserQuery, history: number[]): UserQuery {
    if (history.length === 0) return query;
    const weights = new Map<number, number>();
    query.items.forEach((i, k) => weights.set(i, query.values[k]!));
    for (const i of history) weights.set(i, (weights.get(i) ?? 0) + 1);
    const items = Int32Array.from(weights.keys()).sort();
    return { user: query.user, items, values: Float32Array.from(items, (i) => weights.get(i)!), history: Int32Array.from([...query.history, ...history]) };
  }

  private applyFilters(scores: Float32Array, filters: ItemFilters): void {
    for (const i of this.indicesOf(filters.exclude ?? [])) scores[i] = NaN;
    if (!filters.category) return;
    const mask = this.categoryMask(filters.category);
    for (let i = 0; i < scores.length; i++) if (mask[i] === 0) scores[i] = NaN;
  }

  /** 1 for the items in `category` (see {@link ItemFilters}). */
  private categoryMask(category: string): Uint8Array {
    let mask = this.masks.get(category);
    if (mask) return mask;
    const wanted = category.split('>').map((s) => s.trim()).filter(Boolean);
    const anySegment = wanted.length === 1;
    mask = Uint8Array.from(this.state.categories, (path) => {
      if (wanted.length === 0) return 1;
      if (anySegment && path.includes(wanted[0]!)) return 1;
      return wanted.length <= path.length && wanted.every((s, d) => path[d] === s) ? 1 : 0;
    });
    if (this.masks.size >= MASK_CACHE) this.masks.delete(this.masks.keys().next().value!);
    this.masks.set(category, mask);
    return mask;
  }

  private indicesOf(ids: readonly string[]): number[] {
    return ids.map((id) => this.items.get(id)).filter((i) => i >= 0);
  }

  private toScored({ ids, scores }: { ids: Int32Array; scores: ArrayLike<number> }): ScoredItem[] {
    return Array.from(ids, (i, r) => ({ itemId: this.items.idOf(i), score: scores[r]! }));
  }
}

/** The query of a user the model has not seen: their recent items, each repeat adding weight 1. */
function foldInQuery(history: number[]): UserQuery {
  const weights = new Map<number, number>();
  for (const i of history) weights.set(i, (weights.get(i) ?? 0) + 1);
  const items = Int32Array.from(weights.keys()).sort();
  return { user: -1, items, values: Float32Array.from(items, (i) => weights.get(i)!), history: Int32Array.from(history) };
}

function checkN(n: number): void {
  if (!(Number.isInteger(n) && n >= 1)) throw AppError.invalid(`n must be a whole number ≥ 1, got ${n}`, { field: 'n' });
}
