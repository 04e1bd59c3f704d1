import { dotAt } from '../../math/vector.js';
import { type FitOptions, type FitReport, type ModelEntry, BaseRecommender, checkCancelled, secondsSince } from '../recommender.js';
import { arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import type { TrainingData, UserQuery } from '../training-data.js';
import {
  type RatingScale, checkItem, clip, cosineToItem, endEpoch, fillUniform, meanRow, queryTargets, ratedUsers, ratingSet, scaleFromState, scaleOf, userGroupedOrder, zeroUnrated,
} from './factor-sgd.js';

/** NMF's hyper-parameters; the defaults are Surprise's `NMF()` defaults. */
export const NMF_PARAMS = {
  factors: { type: 'int', default: 15, min: 1, max: 1024, doc: 'non-negative latent factors per user and item (n_factors)', tune: [5, 100], log: true },
  epochs: { type: 'int', default: 50, min: 1, max: 1000, doc: 'passes of multiplicative updates (n_epochs)', tune: [20, 150] },
  regUser: { type: 'float', default: 0.06, min: 0, max: 10, doc: 'L2 regularisation of the user factors (reg_pu)', tune: [0.005, 0.5], log: true },
  regItem: { type: 'float', default: 0.06, min: 0, max: 10, doc: 'L2 regularisation of the item factors (reg_qi)', tune: [0.005, 0.5], log: true },
  biased: { type: 'bool', default: false, doc: 'add the global mean and SGD-learned user / item biases', tune: true },
  lrBias: { type: 'float', default: 0.005, min: 1e-6, max: 1, doc: 'biased only: learning rate of the biases (lr_bu, lr_bi)', tune: [0.001, 0.03], log: true },
  regBias: { type: 'float', default: 0.02, min: 0, max: 10, doc: 'biased only: L2 regularisation of the biases (reg_bu, reg_bi)', tune: [0.005, 0.3], log: true },
  initHigh: { type: 'float', default: 1, min: 1e-3, max: 10, doc: 'initial factors are uniform in [0, initHigh) (init_high)', tune: [0.1, 2], log: true },
} as const;

/** Multiplicative steps that fold in an unseen user's factors with the item factors fixed. */
const FOLD_IN_STEPS = 50;

/**
 * Non-negative matrix factorisation of the ratings, Surprise's `NMF` (Luo et al. 2014): r̂ = q_iᵀp_u with
 * p, q ≥ 0 (plus μ + b_u + b_i when `biased`), with Surprise's multiplicative updates
 * p_uf ← p_uf · Σ_i q_if r_ui / (Σ_i q_if r̂_ui + |R_u| λ_u p_uf), and likewise q — ratios of non-negative
 * sums, so the factors stay ≥ 0. The biases, when on, move by SGD during the user pass (in `userGroupedOrder`).
 * Negative values (net negative feedback on implicit data) count as 0 in the numerators.
 *
 * One deliberate difference: Surprise accumulates both sums in one pass and updates p and q together,
 * which leaves a neutral two-cycle in the overall scale (when r̂ ≈ s·r, p and q both shrink by s and r̂
 * jumps to r/s; with 3 factors from the default init the training RMSE swings 2.5 ↔ 6.8 for ever). Here
 * each epoch updates p, then accumulates the item sums with the new p and updates q (Lee and Seung's
 * alternation), which lowers the objective every step at the cost of a second pass.
 *
 * An unseen user is folded in by the same multiplicative steps on their query, from the average user's
 * factors: its weights on implicit data; on explicit data, whose query values are not ratings, each item
 * counts as liked (see `queryTargets`). An empty query scores as the average known user.
 *
 * @example
 * const model = NMF.create({ factors: 20 });
 * await model.fit(data, { rng: new SeededRandom(1) });
 */
export class Nmf extends BaseRecommender {
  readonly name = 'nmf';
  readonly capabilities = { ratings: true, foldIn: true, content: false, sequential: false };
  readonly params: ParamsOf<typeof NMF_PARAMS>;
  private p: Float64Array = new Float64Array(0);
  private q: Float64Array = new Float64Array(0);
  private bu: Float64Array = new Float64Array(0);
  private bi: Float64Array = new Float64Array(0);
  private userCount: Int32Array = new Int32Array(0);
  private itemCount: Int32Array = new Int32Array(0);
  private averageUser: Float64Array = new Float64Array(0);
  private scale: RatingScale = { mean: 0, min: 0, max: 0, liked: 0, explicit: true };

  constructor(params: Record<string, unknown> = {}) {
    super();
    this.params = resolveParams('nmf', NMF_PARAMS, params);
  }

  /** The learned factors (user × k and item × k, row-major), for inspection. */
  factors(): { users: Float64Array; items: Float64Array } {
    this.requireFitted();
    return { users: this.p, items: this.q };
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const started = this.begin(data);
    const { factors: k, epochs, regUser, regItem, biased, lrBias, regBias } = this.params;
    const set = ratingSet(data, this.name);
    const { user, item, value, userCount, itemCount } = set;
    const n = value.length;
    const p = new Float64Array(data.numUsers * k);
    const q = new Float64Array(data.numItems * k);
    fillUniform(p, options.rng.fork('nmf-p'), 0, this.params.initHigh);
    fillUniform(q, options.rng.fork('nmf-q'), 0, this.params.initHigh);
    const bu = new Float64Array(data.numUsers);
    const bi = new Float64Array(data.numItems);
    const mu = biased ? set.mean : 0;
    const userNum = new Float64Array(p.length);
    const userDen = new Float64Array(p.length);
    const itemNum = new Float64Array(q.length);
    const itemDen = new Float64Array(q.length);
    const order = Int32Array.from({ length: n }, (_, e) => e);
    const users = ratedUsers(set);
    const shuffler = options.rng.fork('nmf-order');
    const biasDecay = 1 - lrBias * regBias;
    const epochArgs: NmfEpoch = {
      user, item, value, order, p, q, bu, bi, userNum, userDen, itemNum, itemDen, userCount, itemCount, k, mu, biased, lrBias, biasDecay, regUser, regItem,
    };
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      checkCancelled(options.signal);
      // Only the SGD bias steps depend on the order; unbiased NMF keeps the data order.
      if (biased) userGroupedOrder(order, users, set.userStart, shuffler);
      losses.push(await endEpoch(options, epoch, epochs, nmfEpoch(epochArgs), n));
    }
    zeroUnrated(p, k, userCount);
    zeroUnrated(q, k, itemCount);
    this.p = p;
    this.q = q;
    this.bu = bu;
    this.bi = bi;
    this.userCount = userCount;
    this.itemCount = itemCount;
    this.averageUser = meanRow(p, k, userCount);
    this.scale = scaleOf(set, data.explicit);
    return { seconds: secondsSince(started), epochs, losses, ratings: n };
  }

  private knownUser(u: number): boolean {
    return u >= 0 && u < this.numUsers && this.userCount[u]! > 0;
  }

  /** The estimate before clipping, with Surprise's rules for unknown users and items. */
  private estimate(userBias: number, factors: Float64Array, offset: number, known: boolean, i: number): number {
    const knownItem = this.itemCount[i]! > 0;
    if (!this.params.biased && !(known && knownItem)) return this.scale.mean;
    const k = this.params.factors;
    let est = this.params.biased ? this.scale.mean + userBias + this.bi[i]! : 0;
    if (known && knownItem) for (let f = 0; f < k; f++) est += factors[offset + f]! * this.q[i * k + f]!;
    return est;
  }

  predict(user: number, item: number): number {
    this.requireFitted();
    checkItem(this.name, item, this.numItems);
    const known = this.knownUser(user);
    const est = this.estimate(known ? this.bu[user]! : 0, this.p, known ? user * this.params.factors : 0, known, item);
    return clip(est, this.scale.min, this.scale.max);
  }

  /** Predicted ratings, unclipped. */
  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    const u = query.user;
    if (this.knownUser(u)) {
      for (let i = 0; i < this.numItems; i++) out[i] = this.estimate(this.bu[u]!, this.p, u * this.params.factors, true, i);
      return;
    }
    const factors = this.foldIn(query);
    for (let i = 0; i < this.numItems; i++) out[i] = this.estimate(0, factors, 0, true, i);
  }

  /** Factors of an unseen user: multiplicative steps on the query's targets (see `queryTargets`), from the average user. */
  private foldIn(query: UserQuery): Float64Array {
    const k = this.params.factors;
    const targets = queryTargets(query, this.scale);
    const p = Float64Array.from(this.averageUser);
    if (!targets) return p;
    const ratings = targets.values;
    const base = new Float64Array(ratings.length);
    if (this.params.biased) for (let x = 0; x < base.length; x++) base[x] = this.scale.mean + this.bi[query.items[x]!]!;
    const num = new Float64Array(k);
    const den = new Float64Array(k);
    const count = Int32Array.of(ratings.length);
    for (let step = 0; step < FOLD_IN_STEPS; step++) {
      num.fill(0);
      den.fill(0);
      for (let x = 0; x < ratings.length; x++) {
        const qi = query.items[x]! * k;
        let est = base[x]!;
        for (let f = 0; f < k; f++) est += p[f]! * this.q[qi + f]!;
        const target = ratings[x]! > 0 ? ratings[x]! : 0;
        for (let f = 0; f < k; f++) {
          num[f]! += this.q[qi + f]! * target;
          den[f]! += this.q[qi + f]! * est;
        }
      }
      multiplicativeStep(p, num, den, count, this.params.regUser, k);
    }
    return p;
  }

  protected override similarScores(item: number, out: Float32Array): void {
    cosineToItem(this.q, this.params.factors, item, out);
  }

  save(): Uint8Array {
    const { p, q, bu, bi, userCount, itemCount, averageUser } = this;
    return encodeModel({ model: this.name, params: this.params, state: { ...this.scale }, arrays: { p, q, bu, bi, userCount, itemCount, averageUser } });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    const k = this.params.factors;
    this.userCount = arrayOf(file, 'userCount', Int32Array);
    this.itemCount = arrayOf(file, 'itemCount', Int32Array);
    const users = this.userCount.length;
    const items = this.itemCount.length;
    this.p = arrayOf(file, 'p', Float64Array, users * k);
    this.q = arrayOf(file, 'q', Float64Array, items * k);
    this.bu = arrayOf(file, 'bu', Float64Array, users);
    this.bi = arrayOf(file, 'bi', Float64Array, items);
    this.averageUser = arrayOf(file, 'averageUser', Float64Array, k);
    this.scale = scaleFromState(file.state);
    this.numUsers = users;
    this.numItems = items;
  }
}

/** What one NMF epoch reads and updates (the four sums are scratch, zeroed here). */
interface NmfEpoch {
  user: Int32Array;
  item: Int32Array;
  value: Float64Array;
  order: Int32Array;
  p: Float64Array;
  q: Float64Array;
  bu: Float64Array;
  bi: Float64Array;
  userNum: Float64Array;
  userDen: Float64Array;
  itemNum: Float64Array;
  itemDen: Float64Array;
  userCount: Int32Array;
  itemCount: Int32Array;
  k: number;
  mu: number;
  biased: boolean;
  lrBias: number;
  biasDecay: number;
  regUser: number;
  regItem: number;
}

/**
 * One epoch: the user half-step (with the SGD bias steps, in `order`), then the item half-step with the
 * new user factors. Returns the sum of squared errors of the user pass. A plain function so V8
 * optimises it whole (a hot loop inside the async fit resumes unoptimised).
 */
function nmfEpoch(s: NmfEpoch): number {
  const { user, item, value, order, p, q, bu, bi, userNum, userDen, itemNum, itemDen, k, mu, biased, lrBias, biasDecay } = s;
  const n = order.length;
  userNum.fill(0);
  userDen.fill(0);
  let sumSquares = 0;
  for (let t = 0; t < n; t++) {
    const e = order[t]!;
    const u = user[e]!;
    const i = item[e]!;
    const pu = u * k;
    const qi = i * k;
    const r = value[e]!;
    const est = mu + bu[u]! + bi[i]! + dotAt(p, pu, q, qi, k);
    const err = r - est;
    sumSquares += err * err;
    if (biased) {
      bu[u] = biasDecay * bu[u]! + lrBias * err;
      bi[i] = biasDecay * bi[i]! + lrBias * err;
    }
    const target = r > 0 ? r : 0;
    for (let f = 0; f < k; f++) {
      const qf = q[qi + f]!;
      userNum[pu + f]! += qf * target;
      userDen[pu + f]! += qf * est;
    }
  }
  multiplicativeStep(p, userNum, userDen, s.userCount, s.regUser, k);
  itemNum.fill(0);
  itemDen.fill(0);
  for (let e = 0; e < n; e++) {
    const u = user[e]!;
    const i = item[e]!;
    const pu = u * k;
    const qi = i * k;
    const r = value[e]!;
    const est = mu + bu[u]! + bi[i]! + dotAt(p, pu, q, qi, k);
    const target = r > 0 ? r : 0;
    for (let f = 0; f < k; f++) {
      const pf = p[pu + f]!;
      itemNum[qi + f]! += pf * target;
      itemDen[qi + f]! += pf * est;
    }
  }
  multiplicativeStep(q, itemNum, itemDen, s.itemCount, s.regItem, k);
  return sumSquares;
}

/**
 * a_rf ← a_rf · num_rf / (den_rf + count_r · reg · a_rf) for rows with ratings. A row whose denominator
 * is not positive (a biased estimate below 0) keeps its value, so the factors never turn negative.
 */
function multiplicativeStep(a: Float64Array, num: Float64Array, den: Float64Array, counts: Int32Array, reg: number, k: number): void {
  for (let row = 0; row < counts.length; row++) {
    const count = counts[row]!;
    if (count === 0) continue;
    for (let x = row * k; x < row * k + k; x++) {
      const value = a[x]!;
      if (value === 0) continue;
      const d = den[x]! + count * reg * value;
      if (d > 0) a[x] = (value * num[x]!) / d;
    }
  }
}

export const NMF: ModelEntry = {
  name: 'nmf',
  description: 'non-negative matrix factorisation of ratings by multiplicative updates (Surprise’s NMF)',
  spec: NMF_PARAMS,
  capabilities: { ratings: true, foldIn: true, content: false, sequential: false },
  create: (params) => new Nmf(params),
};
