import { AppError } from '../../core/errors.js';
import { matmul } from '../../math/matmul.js';
import { sharedFloat32, sharedFloat64, toShared } from '../../math/shared-arrays.js';
import { CsrMatrix, csrFromCoo } from '../../math/sparse.js';
import { cosineRows, dotAt, rowNormsDense } from '../../math/vector.js';
import type { WorkerPool } from '../../math/worker-pool.js';
import { arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import { type FitOptions, type FitReport, type ModelEntry, BaseRecommender, checkCancelled, secondsSince } from '../recommender.js';
import type { TrainingData, UserQuery } from '../training-data.js';
import { ALS_ROWS, ALS_SOLVE, type AlsRowsArgs, alsRows } from './als-rows.js';

/**
 * λ of implicit mode when none is given. The two modes regularise different things (λ·n against a
 * row's ratings; λ against YᵀY, which spans every item), so one default does not fit both: on the
 * implicit fixture plain λ 0.1 reached a held-out AUC of 0.56 at 64 factors, λ 10 0.86.
 */
const IMPLICIT_REG = 10;

export const ALS_PARAMS = {
  implicit: { type: 'bool', default: false, doc: 'false: fit ratings (explicit); true: Hu–Koren–Volinsky confidence-weighted ALS on preference weights' },
  factors: { type: 'int', default: 64, min: 1, max: 1024, doc: 'latent dimensions', tune: [8, 256], log: true },
  reg: {
    type: 'float', default: 0.1, min: 1e-9, max: 1e6, tune: [0.001, 100], log: true,
    doc: `L2 regularisation λ; explicit: λ times the row's ratings (ALS-WR), default 0.1; implicit: λ, default ${IMPLICIT_REG} when not given`,
  },
  epochs: { type: 'int', default: 15, min: 1, max: 1000, doc: 'alternations (users then items)', tune: [5, 40] },
  // Off by default: on the fixtures biases did not lower the test RMSE and ranked worse (the item bias
  // learns quality, while ranking without it also favours items with many ratings); the peer has none.
  biases: { type: 'bool', default: false, doc: 'explicit: a global mean plus a user and an item bias beside the factors' },
  alpha: { type: 'float', default: 10, min: 0, max: 1e5, doc: 'implicit: confidence c = 1 + alpha·weight', tune: [0.5, 100], log: true },
  solver: { type: 'enum', default: 'cg', values: ['cg', 'cholesky'], doc: 'implicit: conjugate gradient (cgSteps, warm-started) or an exact Cholesky solve per row' },
  cgSteps: { type: 'int', default: 3, min: 1, max: 100, doc: 'implicit, solver cg: CG steps per row and half-epoch' },
} as const;

type AlsParams = ParamsOf<typeof ALS_PARAMS>;

/**
 * Alternating least squares. `implicit: false` fits ratings: each user's factors (and bias) are the
 * ridge solution against their ratings with the item side fixed, by Cholesky (of the k×k normal
 * equations, or of the n×n dual when the row has fewer ratings n than unknowns), then the same for
 * items (regularisation λ·n, Zhou et al. 2008). `implicit: true` is Hu, Koren & Volinsky (2008): every cell
 * counts, preference 1 where the user interacted with confidence 1 + alpha·weight, 0 elsewhere with
 * confidence 1, solved with the YᵀY + Yᵀ(C−I)Y trick so a row costs its own entries only. Row solves
 * run over `options.pool` when given. Folds in an unseen user by solving their factors from the query.
 *
 * @example const model = ALS.create({ implicit: true, factors: 64, alpha: 10 });
 */
export class Als extends BaseRecommender {
  readonly name = 'als';
  readonly capabilities: { ratings: boolean; foldIn: boolean; content: boolean; sequential: boolean };
  readonly params: AlsParams;
  /** Predicted rating clamped to the training range; explicit mode only (undefined when implicit). */
  readonly predict?: (user: number, item: number) => number;
  // Plain or shared memory (a fit over a pool leaves its arrays shared).
  private userFactors: Float32Array = new Float32Array(0);
  private itemFactors: Float32Array = new Float32Array(0);
  private userBias: Float32Array = new Float32Array(0);
  private itemBias: Float32Array = new Float32Array(0);
  private mean = 0;
  private ratingMax = 0;
  private ratingMin = 0;
  private itemNorms?: Float64Array;
  private itemGram?: Float64Array;

  constructor(params: Record<string, unknown> = {}) {
    super();
    const resolved = resolveParams('als', ALS_PARAMS, params);
    if (resolved.implicit && params.reg === undefined) resolved.reg = IMPLICIT_REG;
    this.params = resolved;
    this.capabilities = { ratings: !this.params.implicit, foldIn: true, content: false, sequential: false };
    if (!this.params.implicit) this.predict = (user, item) => this.predictRating(user, item);
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const started = this.begin(data);
    const p = this.params;
    const k = p.factors;
    if (!p.implicit && !data.explicit) {
      throw AppError.invalid('als: implicit: false fits ratings, but this data set holds implicit feedback (event weights); set implicit: true', { field: 'params.implicit' });
    }
    const withBias = !p.implicit && p.biases;
    const pool = options.pool;
    const byUser = this.rowsOf(data, pool);
    const byItem = share(byUser.transpose(), pool);
    const f32 = pool ? sharedFloat32 : (n: number) => new Float32Array(n);
    const rng = options.rng.fork('als:init');
    this.userFactors = f32(data.numUsers * k);
    this.itemFactors = f32(data.numItems * k);
    for (const f of [this.userFactors, this.itemFactors]) for (let i = 0; i < f.length; i++) f[i] = rng.normal(0, 0.1);
    this.userBias = f32(withBias ? data.numUsers : 0);
    this.itemBias = f32(withBias ? data.numItems : 0);
    this.itemNorms = undefined;
    this.itemGram = undefined;
    const ratings = byUser.values;
    let sum = 0;
    this.ratingMin = Infinity;
    this.ratingMax = -Infinity;
    for (let e = 0; e < ratings.length; e++) {
      sum += ratings[e]!;
      this.ratingMin = Math.min(this.ratingMin, ratings[e]!);
      this.ratingMax = Math.max(this.ratingMax, ratings[e]!);
    }
    if (ratings.length === 0) this.ratingMin = this.ratingMax = 0;
    this.mean = withBias && ratings.length > 0 ? sum / ratings.length : 0;
    const gram = pool ? sharedFloat64(k * k) : new Float64Array(k * k);
    const solver = !p.implicit ? ALS_SOLVE.explicit : p.solver === 'cg' ? ALS_SOLVE.implicitCg : ALS_SOLVE.implicitCholesky;
    const common = { k, solver, reg: p.reg, biases: withBias, mean: this.mean, gram, alpha: p.alpha, cgSteps: p.cgSteps };
    const userHalf: AlsRowsArgs = { ...common, ...csrArgs(byUser), other: this.itemFactors, own: this.userFactors, ownBias: this.userBias, otherBias: this.itemBias };
    const itemHalf: AlsRowsArgs = { ...common, ...csrArgs(byItem), other: this.userFactors, own: this.itemFactors, ownBias: this.itemBias, otherBias: this.userBias };
    if (pool) await pool.warmup(ALS_ROWS);
    const losses: number[] = [];
    const epochSeconds: number[] = [];
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      const epochStart = performance.now();
      checkCancelled(options.signal);
      if (p.implicit) fillGram(this.itemFactors, data.numItems, k, p.reg, gram);
      await runHalf(userHalf, data.numUsers, pool);
      checkCancelled(options.signal);
      if (p.implicit) fillGram(this.userFactors, data.numUsers, k, p.reg, gram);
      await runHalf(itemHalf, data.numItems, pool);
      epochSeconds.push(secondsSince(epochStart));
      const loss = p.implicit ? this.implicitLoss(byUser) : this.trainingRmse(byUser);
      losses.push(loss);
      options.onProgress?.({ step: epoch + 1, steps: p.epochs, unit: 'epoch', loss });
      // Inline epochs never await: yield so a cancel (or a progress display) gets a turn.
      if (!pool) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { seconds: secondsSince(started), epochs: p.epochs, losses, epochSeconds };
  }

  /** Users × items of what is fitted: ratings (explicit) or positive preference weights (implicit). */
  private rowsOf(data: TrainingData, pool: WorkerPool | undefined): CsrMatrix<Float32Array> {
    if (this.params.implicit) return share(data.matrix(), pool);
    const r = data.ratings();
    return share(csrFromCoo(data.numUsers, data.numItems, r.user, r.item, r.value, 'float32') as CsrMatrix<Float32Array>, pool);
  }

  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    const k = this.params.factors;
    const known = query.user >= 0 && query.user < this.numUsers;
    const x = known ? this.userFactors.subarray(query.user * k, query.user * k + k) : this.foldIn(query);
    const withBias = this.itemBias.length > 0;
    for (let i = 0; i < this.numItems; i++) out[i] = dotAt(x, 0, this.itemFactors, i * k, k) + (withBias ? this.itemBias[i]! : 0);
  }

  /**
   * Factors of a user the model has not seen, solved from the query's items with the item side fixed.
   * Implicit: the weights are the query's values. Explicit: a query carries which items the user liked,
   * not ratings (its values are 1), so each item counts as rated at the top of the training scale.
   */
  private foldIn(query: UserQuery): Float32Array {
    const k = this.params.factors;
    const n = query.items.length;
    const own = new Float32Array(k);
    const values = this.params.implicit ? query.values : new Float32Array(n).fill(this.ratingMax);
    const gram = this.params.implicit ? (this.itemGram ??= fillGram(this.itemFactors, this.numItems, k, this.params.reg, new Float64Array(k * k))) : new Float64Array(0);
    alsRows(0, 1, {
      indptr: Int32Array.of(0, n), indices: query.items, values, other: this.itemFactors, own, k,
      solver: this.params.implicit ? ALS_SOLVE.implicitCholesky : ALS_SOLVE.explicit,
      reg: this.params.reg, biases: this.itemBias.length > 0, ownBias: new Float32Array(1), otherBias: this.itemBias, mean: this.mean,
      gram, alpha: this.params.alpha, cgSteps: this.params.cgSteps,
    });
    return own;
  }

  private predictRating(user: number, item: number): number {
    this.requireFitted();
    if (!(Number.isInteger(user) && user >= 0 && user < this.numUsers)) throw AppError.notFound(`als: no user at index ${user}`, { field: 'user' });
    if (!(Number.isInteger(item) && item >= 0 && item < this.numItems)) throw AppError.notFound(`als: no item at index ${item}`, { field: 'item' });
    const k = this.params.factors;
    const bias = this.itemBias.length > 0 ? this.mean + this.userBias[user]! + this.itemBias[item]! : 0;
    const raw = bias + dotAt(this.userFactors, user * k, this.itemFactors, item * k, k);
    return Math.min(this.ratingMax, Math.max(this.ratingMin, raw));
  }

  protected override similarScores(item: number, out: Float32Array): void {
    const k = this.params.factors;
    this.itemNorms ??= rowNormsDense(this.itemFactors, this.numItems, k);
    cosineRows(this.itemFactors.subarray(item * k, item * k + k), this.itemFactors, this.numItems, k, out, this.itemNorms);
  }

  /** Root mean squared error of the fitted ratings (unclamped). */
  private trainingRmse(byUser: CsrMatrix<Float32Array>): number {
    const k = this.params.factors;
    const withBias = this.itemBias.length > 0;
    let sse = 0;
    for (let u = 0; u < byUser.rows; u++) {
      for (let e = byUser.indptr[u]!, end = byUser.indptr[u + 1]!; e < end; e++) {
        const i = byUser.indices[e]!;
        const bias = withBias ? this.mean + this.userBias[u]! + this.itemBias[i]! : 0;
        const err = byUser.values[e]! - bias - dotAt(this.userFactors, u * k, this.itemFactors, i * k, k);
        sse += err * err;
      }
    }
    return byUser.nnz === 0 ? 0 : Math.sqrt(sse / byUser.nnz);
  }

  /**
   * The HKV objective per cell, Σ c(p − x·y)² + λ(‖X‖² + ‖Y‖²) over users × items, computed from the
   * entries only: Σ_u xᵀ(YᵀY)x = ⟨XᵀX, YᵀY⟩ covers every cell as if p = 0, c = 1, and each entry
   * corrects its cell.
   */
  private implicitLoss(byUser: CsrMatrix<Float32Array>): number {
    const { factors: k, reg, alpha } = this.params;
    const xtx = fillGram(this.userFactors, this.numUsers, k, 0, new Float64Array(k * k));
    const yty = fillGram(this.itemFactors, this.numItems, k, 0, new Float64Array(k * k));
    let loss = 0;
    for (let a = 0; a < k * k; a++) loss += xtx[a]! * yty[a]!;
    for (let u = 0; u < byUser.rows; u++) {
      for (let e = byUser.indptr[u]!, end = byUser.indptr[u + 1]!; e < end; e++) {
        const s = dotAt(this.userFactors, u * k, this.itemFactors, byUser.indices[e]! * k, k);
        const c = 1 + alpha * byUser.values[e]!;
        loss += c * (1 - s) * (1 - s) - s * s;
      }
    }
    // ‖X‖² + ‖Y‖² are the traces of the two Gram matrices.
    let squares = 0;
    for (let a = 0; a < k; a++) squares += xtx[a * k + a]! + yty[a * k + a]!;
    return (loss + reg * squares) / Math.max(1, this.numUsers * this.numItems);
  }

  save(): Uint8Array {
    return encodeModel({
      model: this.name, params: this.params,
      state: { numUsers: this.numUsers, numItems: this.numItems, mean: this.mean, ratingMin: this.ratingMin, ratingMax: this.ratingMax },
      arrays: { userFactors: this.userFactors, itemFactors: this.itemFactors, userBias: this.userBias, itemBias: this.itemBias },
    });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    const k = this.params.factors;
    const users = Number(file.state.numUsers ?? 0);
    const items = Number(file.state.numItems ?? 0);
    this.userFactors = arrayOf(file, 'userFactors', Float32Array, users * k);
    this.itemFactors = arrayOf(file, 'itemFactors', Float32Array, items * k);
    const withBias = !this.params.implicit && this.params.biases;
    this.userBias = arrayOf(file, 'userBias', Float32Array, withBias ? users : 0);
    this.itemBias = arrayOf(file, 'itemBias', Float32Array, withBias ? items : 0);
    this.mean = Number(file.state.mean ?? 0);
    this.ratingMin = Number(file.state.ratingMin ?? 0);
    this.ratingMax = Number(file.state.ratingMax ?? 0);
    this.numUsers = users;
    this.numItems = items;
    this.itemNorms = undefined;
    this.itemGram = undefined;
  }
}

/** One half-epoch: every row of one side, over the pool's workers or inline. */
async function runHalf(args: AlsRowsArgs, rows: number, pool: WorkerPool | undefined): Promise<void> {
  // 8 ranges per thread: rows differ a lot in entries, so small ranges keep both threads busy to the end.
  if (pool) await pool.parallelFor(rows, ALS_ROWS, args, { chunks: pool.size * 8, grain: 16 });
  else alsRows(0, rows, args);
}

/** gram ← FᵀF + λI for the factors F (rows × k). */
function fillGram(factors: Float32Array, rows: number, k: number, reg: number, gram: Float64Array): Float64Array {
  matmul(factors, factors, gram, k, rows, k, { transA: true });
  for (let a = 0; a < k; a++) gram[a * k + a] = gram[a * k + a]! + reg;
  return gram;
}

/** The matrix with its arrays in shared memory when a pool will read them. */
function share(m: CsrMatrix<Float32Array>, pool: WorkerPool | undefined): CsrMatrix<Float32Array> {
  return pool ? new CsrMatrix(m.rows, m.cols, toShared(m.indptr), toShared(m.indices), toShared(m.values)) : m;
}

function csrArgs(m: CsrMatrix<Float32Array>): Pick<AlsRowsArgs, 'indptr' | 'indices' | 'values'> {
  return { indptr: m.indptr, indices: m.indices, values: m.values };
}

export const ALS: ModelEntry = {
  name: 'als',
  description: 'alternating least squares: explicit ratings (Cholesky per row, biases) or implicit confidence-weighted (Hu, Koren & Volinsky)',
  spec: ALS_PARAMS,
  // The flags of the default params (explicit); an instance with implicit: true has ratings: false.
  capabilities: { ratings: true, foldIn: true, content: false, sequential: false },
  create: (params) => new Als(params),
};
