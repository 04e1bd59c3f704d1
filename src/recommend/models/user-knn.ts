import { CsrMatrix, type CscMatrix } from '../../math/sparse.js';
import { arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import { type FitOptions, type FitReport, type ModelEntry, BaseRecommender, checkCancelled, secondsSince } from '../recommender.js';
import type { TrainingData, UserQuery } from '../training-data.js';
import { type KnnState, knnStateFile, knnStateOf, prepareKnn } from './item-knn.js';
import { knnParams, knnSimilarity, NeighbourVote, residuals, RowSimilarity, voteScales } from './knn-similarity.js';

export const USER_KNN_PARAMS = knnParams('user');

/**
 * User-based k nearest neighbours. Fitting keeps, per training user, the `keep` most similar users
 * (the similarities of item-knn, between users' rows). For item i, the k most similar of the user's
 * stored neighbours who have i vote:
 * - `score` ranks: Σ sim·preference_vi over the voters, the preference being 1 per rating on
 *   explicit data and the weight on implicit data; with `normalize` each voter v's weight is divided
 *   by the sum of v's stored similarities (Deshpande & Karypis's normalisation, user-side), so a user
 *   close to everyone does not dominate;
 * - `predict` on explicit data is Surprise's KNNBaseline (user-based): b_ui + Σ sim·(r_vi − b_vi) /
 *   Σ sim, the baseline alone when fewer than `minK` vote, clipped to the training range; on
 *   implicit data the ranking score of the pair.
 * A user it has not seen (-1) is compared with the training users on the fly from `query.items`
 * (on explicit data by the pattern of items: the query holds no ratings, so pearson becomes cosine of
 * the sets).
 *
 * @example
 * const model = USER_KNN.create({ similarity: 'jaccard', k: 30 });
 * await model.fit(data, { rng: new SeededRandom(1) });
 * await model.recommend({ user: -1, items, values, history: items }, 10);
 */
export class UserKNN extends BaseRecommender {
  readonly name = 'user-knn';
  readonly capabilities = { ratings: true, foldIn: true, content: false, sequential: false };
  readonly params: ParamsOf<typeof USER_KNN_PARAMS>;
  private state?: KnnState;
  /** Users × users: each user's stored neighbours (ids ascending) and similarities. */
  private neighbours: CsrMatrix<Float32Array> = new CsrMatrix(0, 0, new Int32Array(1), new Int32Array(0), new Float32Array(0));
  /** Built on first use: the fold-in comparison, items × users, and the per-call scratch. */
  private foldIn?: RowSimilarity;
  private byItem?: CscMatrix;
  /** 1 / (sum of each user's stored similarities): with `normalize` a voter's weight is scaled by it. */
  private voteScale: Float64Array = new Float64Array(0);
  private scratch?: { num: Float64Array; voters: Int32Array; stamp: Int32Array; sim: Float64Array; vote: NeighbourVote; generation: number };

  constructor(params: Record<string, unknown> = {}) {
    super();
    this.params = resolveParams('user-knn', USER_KNN_PARAMS, params);
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const started = this.begin(data);
    const { state, compared } = prepareKnn(data, this.params.baseline, options.signal);
    this.neighbours = knnSimilarity(compared, {
      kind: this.params.similarity, shrinkage: this.params.shrinkage, k: this.params.keep, signal: options.signal,
      onProgress: (step, steps) => options.onProgress?.({ step, steps, unit: 'users' }),
    });
    this.reset(state);
    return { seconds: secondsSince(started), neighbours: this.neighbours.nnz };
  }

  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    const state = this.state!;
    const s = this.scratchArrays();
    const { ids, sims } = this.neighboursOf(query);
    // Neighbours most similar first (ties: lower id), so each item's first k voters are its k best.
    const order = Int32Array.from({ length: ids.length }, (_, t) => t).sort((a, b) => sims[b]! - sims[a]! || ids[a]! - ids[b]!);
    s.num.fill(0);
    s.voters.fill(0);
    const k = this.params.k;
    const scale = this.voteScale;
    const { indptr, indices, values } = state.values;
    for (const t of order) {
      const v = ids[t]!;
      const weight = this.params.normalize ? sims[t]! * scale[v]! : sims[t]!;
      for (let p = indptr[v]!, end = indptr[v + 1]!; p < end; p++) {
        const i = indices[p]!;
        if (s.voters[i]! >= k) continue;
        s.voters[i]!++;
        s.num[i]! += state.explicit ? weight : weight * values[p]!;
      }
    }
    for (let i = 0; i < out.length; i++) out[i] = s.num[i]!;
  }

  /** KNNBaseline's rating on explicit data (clipped to the training range); the ranking score otherwise. */
  predict(user: number, item: number): number {
    this.requireFitted();
    const state = this.state!;
    const known = user >= 0 && user < this.numUsers;
    const { mean, user: bu, item: bi } = state.baselines;
    const itemKnown = item >= 0 && item < this.numItems;
    const base = mean + (known ? bu[user]! : 0) + (itemKnown ? bi[item]! : 0);
    let estimate = state.explicit ? base : 0;
    if (known && itemKnown) {
      const s = this.scratchArrays();
      const g = ++s.generation;
      const ids = this.neighbours.rowIndices(user);
      const sims = this.neighbours.rowValues(user);
      for (let t = 0; t < ids.length; t++) {
        s.stamp[ids[t]!] = g;
        s.sim[ids[t]!] = sims[t]!;
      }
      const byItem = (this.byItem ??= state.values.toCsc());
      s.vote.reset();
      for (let p = byItem.indptr[item]!, end = byItem.indptr[item + 1]!; p < end; p++) {
        const v = byItem.indices[p]!;
        if (s.stamp[v] !== g) continue;
        const r = byItem.values[p]!;
        s.vote.offer(s.sim[v]!, state.explicit ? r - mean - bu[v]! - bi[item]! : this.params.normalize ? r * this.voteScale[v]! : r);
      }
      const vote = s.vote;
      vote.finish(this.params.k);
      if (state.explicit) estimate += vote.voters >= this.params.minK && vote.den > 0 ? vote.num / vote.den : 0;
      else estimate = vote.num;
    }
    return state.explicit ? Math.min(state.highest, Math.max(state.lowest, estimate)) : estimate;
  }

  /** Items by the cosine of their user sets with `item`'s (user–user neighbours say nothing of items). */
  protected override similarScores(item: number, out: Float32Array): void {
    const values = this.state!.values;
    const byItem = (this.byItem ??= values.toCsc());
    out.fill(0);
    for (let p = byItem.indptr[item]!, end = byItem.indptr[item + 1]!; p < end; p++) {
      const v = byItem.indices[p]!;
      for (let q = values.indptr[v]!, qEnd = values.indptr[v + 1]!; q < qEnd; q++) out[values.indices[q]!]!++;
    }
    const n = byItem.colNnz(item);
    for (let j = 0; j < out.length; j++) if (out[j]! > 0) out[j] = out[j]! / Math.sqrt(n * byItem.colNnz(j));
  }

  /** The stored neighbours of a training user, or those of a new user computed from its items. */
  private neighboursOf(query: UserQuery): { ids: Int32Array; sims: ArrayLike<number> } {
    if (query.user >= 0 && query.user < this.numUsers) return { ids: this.neighbours.rowIndices(query.user), sims: this.neighbours.rowValues(query.user) };
    const state = this.state!;
    const items: number[] = [];
    const values: number[] = [];
    const { mean, item: bi } = state.baselines;
    for (let t = 0; t < query.items.length; t++) {
      const j = query.items[t]!;
      if (j < 0 || j >= this.numItems) continue;
      items.push(j);
      // Explicit: the pattern (the query holds no ratings); implicit: the weights, adjusted like the
      // training rows when those were (the unknown user's bias is 0).
      values.push(state.explicit ? 1 : this.params.baseline ? query.values[t]! - mean - bi[j]! : query.values[t]!);
    }
    const { ids, sims } = this.foldInSimilarity().query(items, values);
    return { ids: ids.slice(), sims: sims.slice() };
  }

  private foldInSimilarity(): RowSimilarity {
    if (this.foldIn) return this.foldIn;
    const state = this.state!;
    const v = state.values;
    let rows: CsrMatrix = v;
    let kind = this.params.similarity;
    if (state.explicit) {
      rows = new CsrMatrix(v.rows, v.cols, v.indptr, v.indices, new Float32Array(v.nnz).fill(1));
      if (kind === 'pearson') kind = 'cosine';
    } else if (this.params.baseline) {
      rows = residuals(v, state.baselines);
    }
    this.foldIn = new RowSimilarity(rows, { kind, shrinkage: this.params.shrinkage, k: this.params.keep });
    return this.foldIn;
  }

  private scratchArrays(): NonNullable<UserKNN['scratch']> {
    const items = this.numItems;
    const users = this.numUsers;
    return (this.scratch ??= {
      num: new Float64Array(items), voters: new Int32Array(items),
      stamp: new Int32Array(users), sim: new Float64Array(users), vote: new NeighbourVote(users), generation: 0,
    });
  }

  private reset(state: KnnState): void {
    this.state = state;
    this.voteScale = voteScales(this.neighbours);
    this.foldIn = undefined;
    this.byItem = undefined;
    this.scratch = undefined;
  }

  save(): Uint8Array {
    this.requireFitted();
    const { state, arrays } = knnStateFile(this.state!);
    const n = this.neighbours;
    return encodeModel({ model: this.name, params: this.params, state, arrays: { ...arrays, neighbourPtr: n.indptr, neighbourIds: n.indices, neighbourSims: n.values } });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    const state = knnStateOf(file);
    const users = state.values.rows;
    this.neighbours = new CsrMatrix(users, users, arrayOf(file, 'neighbourPtr', Int32Array, users + 1), arrayOf(file, 'neighbourIds', Int32Array), arrayOf(file, 'neighbourSims', Float32Array));
    this.reset(state);
    this.numUsers = users;
    this.numItems = state.values.cols;
  }
}

export const USER_KNN: ModelEntry = {
  name: 'user-knn',
  description: 'user-based k nearest neighbours: what similar users have; KNNBaseline ratings on explicit data; folds in new users',
  spec: USER_KNN_PARAMS,
  capabilities: { ratings: true, foldIn: true, content: false, sequential: false },
  create: (params) => new UserKNN(params),
};
