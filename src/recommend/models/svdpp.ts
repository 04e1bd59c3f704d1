import type { SeededRandom } from '../../math/random.js';
import { type FitOptions, type FitReport, type ModelEntry, BaseRecommender, checkCancelled, secondsSince } from '../recommender.js';
import { arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import type { TrainingData, UserQuery } from '../training-data.js';
import {
  type RatingScale, checkItem, clip, cosineToItem, endEpoch, fillNormal, ratedUsers, ratingSet, scaleFromState, scaleOf, shuffleRange, zeroUnrated,
} from './factor-sgd.js';

/** SVD++'s hyper-parameters; the defaults are Surprise's `SVDpp()` defaults. */
export const SVDPP_PARAMS = {
  factors: { type: 'int', default: 20, min: 1, max: 1024, doc: 'latent factors per user and item (n_factors)', tune: [10, 200], log: true },
  epochs: { type: 'int', default: 20, min: 1, max: 1000, doc: 'SGD passes over the ratings (n_epochs)', tune: [10, 80] },
  lr: { type: 'float', default: 0.007, min: 1e-6, max: 1, doc: 'learning rate of the factors p and q (lr_pu, lr_qi)', tune: [0.001, 0.03], log: true },
  reg: { type: 'float', default: 0.02, min: 0, max: 10, doc: 'L2 regularisation of p and q (reg_pu, reg_qi)', tune: [0.005, 0.3], log: true },
  lrImplicit: { type: 'float', default: 0.007, min: 1e-6, max: 1, doc: 'learning rate of the implicit item factors y (lr_yj)', tune: [0.001, 0.03], log: true },
  regImplicit: { type: 'float', default: 0.02, min: 0, max: 10, doc: 'L2 regularisation of y (reg_yj)', tune: [0.005, 0.3], log: true },
  lrBias: { type: 'float', default: 0.007, min: 1e-6, max: 1, doc: 'learning rate of the biases (lr_bu, lr_bi)', tune: [0.001, 0.03], log: true },
  regBias: { type: 'float', default: 0.02, min: 0, max: 10, doc: 'L2 regularisation of the biases (reg_bu, reg_bi)', tune: [0.005, 0.3], log: true },
  initStd: { type: 'float', default: 0.1, min: 0, max: 1, doc: 'standard deviation of the normal(0, σ) initial factors (init_std_dev)', tune: [0.01, 0.3], log: true },
} as const;

/**
 * Settings in the range where tuning of SVD++ on MovieLens-100K usually lands: more epochs and factors
 * and stronger regularisation, affordable because an epoch here costs O(k) per rating (see the class
 * doc). Not measured on MovieLens-100K here (the set is not on this machine).
 *
 * @example const model = SVDPP.create(SVDPP_TUNED);
 */
export const SVDPP_TUNED: Readonly<Record<string, unknown>> = { factors: 50, epochs: 40, lr: 0.007, reg: 0.05, lrImplicit: 0.007, regImplicit: 0.05, regBias: 0.02 };

/**
 * SVD++ (Koren 2008, Surprise's `SVDpp`): r̂ = μ + b_u + b_i + q_iᵀ(p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j), N(u)
 * the items u rated, trained by Surprise's SGD rules, where every rating also moves y_j for all j in N(u):
 * y_j += γ_y(e |N(u)|^-½ q_i − λ_y y_j).
 *
 * Surprise visits the ratings user by user and recomputes the implicit sum z = |N(u)|^-½ Σ y_j for each
 * rating, O(|N(u)|·k) per rating. This visits them user by user too (users and each user's ratings in a
 * fresh random order per epoch) and keeps z and the pending y update exactly in O(k) per rating: within a
 * user's ratings every y_j of N(u) gets the same additive step c_t and the same decay (1 − γ_yλ_y), so
 * z_{t+1} = (1 − γ_yλ_y) z_t + γ_y e_t q_i, and the y_j are brought up to date once, at the end of the
 * user, as y_j = (1 − γ_yλ_y)^{|N(u)|} y_j + G with G the decayed sum of the steps. Same updates, in
 * O(|N(u)|·k) per user instead of per rating.
 *
 * An unknown user is scored from N(u) = query.items (p_u = 0, b_u = 0), which is SVD++'s own fold-in.
 *
 * @example
 * const model = SVDPP.create({ epochs: 30 });
 * await model.fit(data, { rng: new SeededRandom(1) });
 * model.predict!(3, 7);
 */
export class SvdPlusPlus extends BaseRecommender {
  readonly name = 'svdpp';
  readonly capabilities = { ratings: true, foldIn: true, content: false, sequential: false };
  readonly params: ParamsOf<typeof SVDPP_PARAMS>;
  private p: Float64Array = new Float64Array(0);
  private q: Float64Array = new Float64Array(0);
  private y: Float64Array = new Float64Array(0);
  /** Per trained user, |N(u)|^-½ Σ y_j over the final y. */
  private implicit: Float64Array = new Float64Array(0);
  private bu: Float64Array = new Float64Array(0);
  private bi: Float64Array = new Float64Array(0);
  private userCount: Int32Array = new Int32Array(0);
  private itemCount: Int32Array = new Int32Array(0);
  private scale: RatingScale = { mean: 0, min: 0, max: 0, liked: 0, explicit: true };

  constructor(params: Record<string, unknown> = {}) {
    super();
    this.params = resolveParams('svdpp', SVDPP_PARAMS, params);
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const started = this.begin(data);
    const { factors: k, epochs, lr, reg, lrImplicit, regImplicit, lrBias, regBias, initStd } = this.params;
    const set = ratingSet(data, this.name);
    const { item, value, userStart, userCount } = set;
    const n = value.length;
    const p = new Float64Array(data.numUsers * k);
    const q = new Float64Array(data.numItems * k);
    const y = new Float64Array(data.numItems * k);
    fillNormal(p, options.rng.fork('svdpp-p'), initStd);
    fillNormal(q, options.rng.fork('svdpp-q'), initStd);
    fillNormal(y, options.rng.fork('svdpp-y'), initStd);
    const bu = new Float64Array(data.numUsers);
    const bi = new Float64Array(data.numItems);
    const mu = set.mean;
    const users = ratedUsers(set);
    const order = Int32Array.from({ length: n }, (_, e) => e);
    const shuffler = options.rng.fork('svdpp-order');
    const z = new Float64Array(k);
    const pending = new Float64Array(k);
    const decay = 1 - lr * reg;
    const biasDecay = 1 - lrBias * regBias;
    const implicitDecay = 1 - lrImplicit * regImplicit;
    const epochArgs: SvdppEpoch = { users, item, value, userStart, order, p, q, y, bu, bi, z, pending, k, mu, lr, decay, lrBias, biasDecay, lrImplicit, implicitDecay };
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      checkCancelled(options.signal);
      losses.push(await endEpoch(options, epoch, epochs, svdppEpoch(epochArgs, shuffler), n));
    }
    zeroUnrated(p, k, userCount);
    zeroUnrated(q, k, set.itemCount);
    zeroUnrated(y, k, set.itemCount);
    const implicit = new Float64Array(data.numUsers * k);
    for (let u = 0; u < data.numUsers; u++) this.implicitSum(y, item.subarray(userStart[u]!, userStart[u + 1]!), implicit, u * k);
    this.p = p;
    this.q = q;
    this.y = y;
    this.implicit = implicit;
    this.bu = bu;
    this.bi = bi;
    this.userCount = userCount;
    this.itemCount = set.itemCount;
    this.scale = scaleOf(set, data.explicit);
    return { seconds: secondsSince(started), epochs, losses, ratings: n };
  }

  /** out[offset…offset+k) = |N|^-½ Σ_{j∈N} y_j (zeros for an empty N). */
  private implicitSum(y: Float64Array, items: Int32Array, out: Float64Array, offset: number): void {
    const k = this.params.factors;
    if (items.length === 0) return;
    const norm = 1 / Math.sqrt(items.length);
    for (const j of items) for (let f = 0; f < k; f++) out[offset + f]! += y[j * k + f]!;
    for (let f = 0; f < k; f++) out[offset + f]! *= norm;
  }

  private knownUser(u: number): boolean {
    return u >= 0 && u < this.numUsers && this.userCount[u]! > 0;
  }

  predict(user: number, item: number): number {
    this.requireFitted();
    checkItem(this.name, item, this.numItems);
    const k = this.params.factors;
    // Surprise's rules: an unknown user or item drops its bias and the factor term.
    let est = this.scale.mean + this.bi[item]!;
    if (this.knownUser(user)) {
      est += this.bu[user]!;
      for (let f = 0; f < k; f++) est += this.q[item * k + f]! * (this.p[user * k + f]! + this.implicit[user * k + f]!);
    }
    return clip(est, this.scale.min, this.scale.max);
  }

  /** Predicted ratings, unclipped; an unknown user folds in through N(u) = query.items. */
  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    const k = this.params.factors;
    const u = query.user;
    const profile = new Float64Array(k);
    let userBias = 0;
    if (this.knownUser(u)) {
      userBias = this.bu[u]!;
      for (let f = 0; f < k; f++) profile[f] = this.p[u * k + f]! + this.implicit[u * k + f]!;
    } else {
      const items = query.items.filter((j) => j >= 0 && j < this.numItems);
      this.implicitSum(this.y, items, profile, 0);
    }
    for (let i = 0; i < this.numItems; i++) {
      let est = this.scale.mean + userBias + this.bi[i]!;
      for (let f = 0; f < k; f++) est += this.q[i * k + f]! * profile[f]!;
      out[i] = est;
    }
  }

  protected override similarScores(item: number, out: Float32Array): void {
    cosineToItem(this.q, this.params.factors, item, out);
  }

  save(): Uint8Array {
    const { p, q, y, implicit, bu, bi, userCount, itemCount } = this;
    return encodeModel({ model: this.name, params: this.params, state: { ...this.scale }, arrays: { p, q, y, implicit, bu, bi, userCount, itemCount } });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    const k = this.params.factors;
    this.userCount = arrayOf(file, 'userCount', Int32Array);
    this.itemCount = arrayOf(file, 'itemCount', Int32Array);
    const users = this.userCount.length;
    const items = this.itemCount.length;
    this.p = arrayOf(file, 'p', Float64Array, users * k);
    this.implicit = arrayOf(file, 'implicit', Float64Array, users * k);
    this.q = arrayOf(file, 'q', Float64Array, items * k);
    this.y = arrayOf(file, 'y', Float64Array, items * k);
    this.bu = arrayOf(file, 'bu', Float64Array, users);
    this.bi = arrayOf(file, 'bi', Float64Array, items);
    this.scale = scaleFromState(file.state);
    this.numUsers = users;
    this.numItems = items;
  }
}

/** What one SVD++ epoch reads and updates (`z` and `pending` are k-long scratch). */
interface SvdppEpoch {
  users: Int32Array;
  item: Int32Array;
  value: Float64Array;
  userStart: Int32Array;
  order: Int32Array;
  p: Float64Array;
  q: Float64Array;
  y: Float64Array;
  bu: Float64Array;
  bi: Float64Array;
  z: Float64Array;
  pending: Float64Array;
  k: number;
  mu: number;
  lr: number;
  decay: number;
  lrBias: number;
  biasDecay: number;
  lrImplicit: number;
  implicitDecay: number;
}

/**
 * One epoch: the users in a fresh random order, each user's ratings in a fresh random order, with the
 * exact running implicit sum (see the class doc). Returns the sum of squared errors. A plain function so
 * V8 optimises it whole (a hot loop inside the async fit resumes unoptimised).
 */
function svdppEpoch(s: SvdppEpoch, shuffler: SeededRandom): number {
  const { users, item, value, userStart, order, p, q, y, bu, bi, z, pending, k, mu, lr, decay, lrBias, biasDecay, lrImplicit, implicitDecay } = s;
  shuffleRange(users, 0, users.length, shuffler);
  let sumSquares = 0;
  for (let x = 0; x < users.length; x++) {
    const u = users[x]!;
    const start = userStart[u]!;
    const end = userStart[u + 1]!;
    const count = end - start;
    const norm = 1 / Math.sqrt(count);
    shuffleRange(order, start, end, shuffler);
    z.fill(0);
    pending.fill(0);
    for (let e = start; e < end; e++) {
      const row = item[e]! * k;
      for (let f = 0; f < k; f++) z[f]! += y[row + f]!;
    }
    for (let f = 0; f < k; f++) z[f]! *= norm;
    const pu = u * k;
    for (let t = start; t < end; t++) {
      const e = order[t]!;
      const i = item[e]!;
      const qi = i * k;
      let d0 = 0;
      let d1 = 0;
      let f = 0;
      for (; f + 1 < k; f += 2) {
        d0 += q[qi + f]! * (p[pu + f]! + z[f]!);
        d1 += q[qi + f + 1]! * (p[pu + f + 1]! + z[f + 1]!);
      }
      if (f < k) d0 += q[qi + f]! * (p[pu + f]! + z[f]!);
      const dot = d0 + d1;
      const err = value[e]! - (mu + bu[u]! + bi[i]! + dot);
      sumSquares += err * err;
      const biasStep = lrBias * err;
      bu[u] = biasDecay * bu[u]! + biasStep;
      bi[i] = biasDecay * bi[i]! + biasStep;
      const g = lr * err;
      const gy = lrImplicit * err;
      for (let f = 0; f < k; f++) {
        const pf = p[pu + f]!;
        const qf = q[qi + f]!;
        const zf = z[f]!;
        p[pu + f] = decay * pf + g * qf;
        q[qi + f] = decay * qf + g * (pf + zf);
        // Each y_j of N(u): y ← (1 − γλ) y + γ e q |N|^-½; so z ← (1 − γλ) z + γ e q.
        pending[f] = implicitDecay * pending[f]! + gy * qf * norm;
        z[f] = implicitDecay * zf + gy * qf;
      }
    }
    const kept = Math.pow(implicitDecay, count);
    for (let e = start; e < end; e++) {
      const row = item[e]! * k;
      for (let f = 0; f < k; f++) y[row + f] = kept * y[row + f]! + pending[f]!;
    }
  }
  return sumSquares;
}

export const SVDPP: ModelEntry = {
  name: 'svdpp',
  description: 'SVD++ (Surprise’s SVDpp): biased MF plus implicit feedback from the items each user rated',
  spec: SVDPP_PARAMS,
  capabilities: { ratings: true, foldIn: true, content: false, sequential: false },
  create: (params) => new SvdPlusPlus(params),
};
