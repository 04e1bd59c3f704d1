import type { SeededRandom } from '../../math/random.js';
import { arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import { type FitOptions, type FitReport, type ModelEntry, BaseRecommender, checkCancelled, secondsSince } from '../recommender.js';
import type { TrainingData, UserQuery } from '../training-data.js';

export const BASELINE_PARAMS = {
  method: { type: 'enum', default: 'als', values: ['als', 'sgd'], doc: 'alternating least squares (Surprise’s default) or stochastic gradient descent', tune: true },
  epochs: { type: 'int', default: 10, min: 1, max: 1000, doc: 'passes over the ratings', tune: [5, 40] },
  regU: { type: 'float', default: 15, min: 0, max: 10_000, doc: 'als: regularisation of the user biases', tune: [1, 100], log: true },
  regI: { type: 'float', default: 10, min: 0, max: 10_000, doc: 'als: regularisation of the item biases', tune: [1, 100], log: true },
  reg: { type: 'float', default: 0.02, min: 0, max: 100, doc: 'sgd: regularisation of both biases', tune: [0.001, 1], log: true },
  learningRate: { type: 'float', default: 0.005, min: 1e-6, max: 1, doc: 'sgd: step size', tune: [0.001, 0.05], log: true },
} as const;

/** Rating = mean + user bias + item bias. */
export interface Baselines {
  mean: number;
  user: Float64Array;
  item: Float64Array;
}

/** How {@link fitBaselines} fits: the baseline part of {@link BASELINE_PARAMS}, plus hooks. */
export interface BaselineFitOptions {
  method: 'als' | 'sgd';
  epochs: number;
  regU: number;
  regI: number;
  reg: number;
  learningRate: number;
  /** SGD visits the ratings in an order drawn from it (a fork is used); ALS draws nothing. */
  rng?: SeededRandom;
  signal?: AbortSignal;
  /** Called after every epoch with the training RMSE. */
  onEpoch?: (epoch: number, rmse: number) => void;
}

/** Surprise's defaults (`bsl_options`): ALS, 10 epochs, reg_u 15, reg_i 10; SGD reg 0.02, rate 0.005. */
export const DEFAULT_BASELINE_FIT: BaselineFitOptions = { method: 'als', epochs: 10, regU: 15, regI: 10, reg: 0.02, learningRate: 0.005 };

/**
 * Fits the baseline estimate b_ui = μ + b_u + b_i to (user, item, value) triples as Surprise does:
 * ALS alternates the closed-form item step b_i = Σ(r − μ − b_u)/(reg_i + |U_i|) and user step; SGD
 * steps both biases on every rating's error. Users and items without ratings keep bias 0. Returns the
 * biases and the training RMSE after each epoch. Reused by the k-NN models (KNNBaseline).
 *
 * @example
 * const b = fitBaselines(data.ratings(), data.numUsers, data.numItems, DEFAULT_BASELINE_FIT);
 * const estimate = b.mean + b.user[u]! + b.item[i]!;
 */
export function fitBaselines(
  ratings: { user: Int32Array; item: Int32Array; value: Float32Array },
  numUsers: number,
  numItems: number,
  options: BaselineFitOptions,
): Baselines & { losses: number[] } {
  const { user, item, value } = ratings;
  const n = value.length;
  let sum = 0;
  for (let e = 0; e < n; e++) sum += value[e]!;
  const mean = n === 0 ? 0 : sum / n;
  const bu = new Float64Array(numUsers);
  const bi = new Float64Array(numItems);
  const losses: number[] = [];
  const order = options.method === 'sgd' ? Int32Array.from({ length: n }, (_, e) => e) : undefined;
  const rng = options.rng?.fork('baseline-sgd');
  const userCount = new Float64Array(numUsers);
  const itemCount = new Float64Array(numItems);
  for (let e = 0; e < n; e++) {
    userCount[user[e]!]!++;
    itemCount[item[e]!]!++;
  }
  const dev = new Float64Array(Math.max(numUsers, numItems));
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    checkCancelled(options.signal);
    if (order) {
      // A fresh order each epoch keeps SGD from cycling on the data's sort (user, item).
      if (rng) shuffle(order, rng);
      const lr = options.learningRate;
      const reg = options.reg;
      for (let t = 0; t < n; t++) {
        const e = order[t]!;
        const u = user[e]!;
        const i = item[e]!;
        const err = value[e]! - (mean + bu[u]! + bi[i]!);
        bu[u] = bu[u]! + lr * (err - reg * bu[u]!);
        bi[i] = bi[i]! + lr * (err - reg * bi[i]!);
      }
    } else {
      // Items first, then users, as Surprise's `baseline_als`.
      dev.fill(0, 0, numItems);
      for (let e = 0; e < n; e++) dev[item[e]!] = dev[item[e]!]! + value[e]! - mean - bu[user[e]!]!;
      for (let i = 0; i < numItems; i++) bi[i] = itemCount[i]! === 0 ? 0 : dev[i]! / (options.regI + itemCount[i]!);
      dev.fill(0, 0, numUsers);
      for (let e = 0; e < n; e++) dev[user[e]!] = dev[user[e]!]! + value[e]! - mean - bi[item[e]!]!;
      for (let u = 0; u < numUsers; u++) bu[u] = userCount[u]! === 0 ? 0 : dev[u]! / (options.regU + userCount[u]!);
    }
    let squared = 0;
    for (let e = 0; e < n; e++) {
      const err = value[e]! - (mean + bu[user[e]!]! + bi[item[e]!]!);
      squared += err * err;
    }
    const rmse = n === 0 ? 0 : Math.sqrt(squared / n);
    losses.push(rmse);
    options.onEpoch?.(epoch + 1, rmse);
  }
  return { mean, user: bu, item: bi, losses };
}

function shuffle(order: Int32Array, rng: SeededRandom): void {
  for (let t = order.length - 1; t > 0; t--) {
    const s = rng.int(t + 1);
    const tmp = order[t]!;
    order[t] = order[s]!;
    order[s] = tmp;
  }
}

/**
 * The rating baseline (Surprise's BaselineOnly): a rating is predicted as the global mean plus a user
 * bias plus an item bias. It is what every rating model must beat on RMSE; as a ranker it orders items
 * by their bias (the same for every user). A user it has not seen gets mean + item bias.
 *
 * @example
 * const model = BASELINE_ONLY.create({ method: 'sgd', epochs: 20 });
 * await model.fit(data, { rng: new SeededRandom(1) });
 * model.predict!(0, 3); // 3.71…
 */
export class BaselineOnly extends BaseRecommender {
  readonly name = 'baseline';
  readonly capabilities = { ratings: true, foldIn: false, content: false, sequential: false };
  readonly params: ParamsOf<typeof BASELINE_PARAMS>;
  private mean = 0;
  private userBias: Float64Array = new Float64Array(0);
  private itemBias: Float64Array = new Float64Array(0);
  /** Lowest and highest training value: predictions are clipped to them (Surprise clips too). */
  private lowest = -Infinity;
  private highest = Infinity;

  constructor(params: Record<string, unknown> = {}) {
    super();
    this.params = resolveParams('baseline', BASELINE_PARAMS, params);
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const started = this.begin(data);
    const ratings = data.ratings();
    const epochs = this.params.epochs;
    const fitted = fitBaselines(ratings, data.numUsers, data.numItems, {
      ...this.params,
      rng: options.rng,
      signal: options.signal,
      onEpoch: (step, loss) => options.onProgress?.({ step, steps: epochs, unit: 'epoch', loss }),
    });
    this.mean = fitted.mean;
    this.userBias = fitted.user;
    this.itemBias = fitted.item;
    this.lowest = Infinity;
    this.highest = -Infinity;
    for (const v of ratings.value) {
      if (v < this.lowest) this.lowest = v;
      if (v > this.highest) this.highest = v;
    }
    if (ratings.value.length === 0) [this.lowest, this.highest] = [-Infinity, Infinity];
    return { seconds: secondsSince(started), epochs, losses: fitted.losses };
  }

  /** Predicted ratings (unclipped) of every item: mean + user bias (0 when unknown) + item bias. */
  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    const base = this.mean + this.biasOfUser(query.user);
    for (let i = 0; i < out.length; i++) out[i] = base + (this.itemBias[i] ?? 0);
  }

  predict(user: number, item: number): number {
    this.requireFitted();
    const estimate = this.mean + this.biasOfUser(user) + (item >= 0 && item < this.numItems ? this.itemBias[item]! : 0);
    return Math.min(this.highest, Math.max(this.lowest, estimate));
  }

  private biasOfUser(user: number): number {
    return user >= 0 && user < this.numUsers ? this.userBias[user]! : 0;
  }

  save(): Uint8Array {
    return encodeModel({
      model: this.name, params: this.params,
      state: { mean: this.mean, lowest: this.lowest, highest: this.highest },
      arrays: { userBias: this.userBias, itemBias: this.itemBias },
    });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    this.userBias = arrayOf(file, 'userBias', Float64Array);
    this.itemBias = arrayOf(file, 'itemBias', Float64Array);
    this.mean = Number(file.state.mean);
    // JSON has no infinities: a fit on no ratings stored null (no clipping).
    this.lowest = file.state.lowest == null ? -Infinity : Number(file.state.lowest);
    this.highest = file.state.highest == null ? Infinity : Number(file.state.highest);
    this.numUsers = this.userBias.length;
    this.numItems = this.itemBias.length;
  }
}

export const BASELINE_ONLY: ModelEntry = {
  name: 'baseline',
  description: 'rating baseline: global mean + user bias + item bias (Surprise BaselineOnly, ALS or SGD)',
  spec: BASELINE_PARAMS,
  capabilities: { ratings: true, foldIn: false, content: false, sequential: false },
  create: (params) => new BaselineOnly(params),
};
