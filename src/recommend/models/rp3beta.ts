import { csrMulTransposed } from '../../math/sparse-product.js';
import { CsrMatrix } from '../../math/sparse.js';
import { arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import { BaseRecommender, checkCancelled, type FitOptions, type FitReport, type ModelEntry, secondsSince } from '../recommender.js';
import type { TrainingData, UserQuery } from '../training-data.js';

export const RP3BETA_PARAMS = {
  alpha: { type: 'float', default: 1, min: 0, max: 3, doc: 'exponent of the transition probabilities (1 = plain random walk)', tune: [0.2, 2] },
  beta: { type: 'float', default: 0.5, min: 0, max: 2, doc: 'popularity penalty: a target item’s weight is divided by its degree^beta', tune: [0, 1] },
  k: { type: 'int', default: 100, min: 1, max: 100_000, doc: 'neighbours kept per item', tune: [10, 500], log: true },
  binary: { type: 'bool', default: true, doc: 'walk over who-interacted-with-what (true) or weight edges by preference' },
} as const;

const CAPABILITIES = { ratings: false, foldIn: true, content: false, sequential: false };

/**
 * RP3beta (Paudel et al. 2017; Christoffel et al. 2015): a three-step random walk item → user → item on
 * the interaction graph, W(i, j) = Σ_u P(u | i)^α · P(j | u)^α / degree(j)^β, keeping each item's k
 * strongest links; a user's score for j is Σ over their items i of W(i, j). The popularity penalty β
 * trades the walk's pull towards popular items for long-tail items, which makes it one of the
 * strongest simple baselines on sparse data (Dacrema et al. 2019). Folds in: a user is their items.
 *
 * @example const model = RP3BETA.create({ alpha: 0.8, beta: 0.4 });
 */
export class Rp3beta extends BaseRecommender {
  readonly name = 'rp3beta';
  readonly capabilities = CAPABILITIES;
  readonly params: ParamsOf<typeof RP3BETA_PARAMS>;
  /** Items × items walk weights, each row holding its k strongest targets. */
  private weights = new CsrMatrix(0, 0, new Int32Array(1), new Int32Array(0), new Float32Array(0));

  constructor(params: Record<string, unknown> = {}) {
    super();
    this.params = resolveParams('rp3beta', RP3BETA_PARAMS, params);
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const started = this.begin(data);
    const { alpha, beta, k, binary } = this.params;
    const byItem = data.itemUsers();
    const byUser = data.matrix();
    const edge = (v: number) => (binary ? 1 : v);
    // Row sums give the transition probabilities of each side.
    const userDegree = new Float64Array(data.numUsers);
    for (let u = 0; u < byUser.rows; u++) for (let e = byUser.indptr[u]!; e < byUser.indptr[u + 1]!; e++) userDegree[u]! += edge(byUser.values[e]!);
    const itemDegree = new Float64Array(data.numItems);
    for (let i = 0; i < byItem.rows; i++) for (let e = byItem.indptr[i]!; e < byItem.indptr[i + 1]!; e++) itemDegree[i]! += edge(byItem.values[e]!);
    // A[i, u] = P(u | i)^α; B[j, u] = P(j | u)^α / degree(j)^β, so (A·Bᵀ)[i, j] = W(i, j).
    const a = new Float32Array(byItem.nnz);
    const b = new Float32Array(byItem.nnz);
    for (let i = 0; i < byItem.rows; i++) {
      const penalty = itemDegree[i]! > 0 ? Math.pow(itemDegree[i]!, beta) : 1;
      for (let e = byItem.indptr[i]!; e < byItem.indptr[i + 1]!; e++) {
        const w = edge(byItem.values[e]!);
        a[e] = Math.pow(w / itemDegree[i]!, alpha);
        b[e] = Math.pow(w / userDegree[byItem.indices[e]!]!, alpha) / penalty;
      }
    }
    checkCancelled(options.signal);
    const left = new CsrMatrix(byItem.rows, byItem.cols, byItem.indptr, byItem.indices, a);
    const right = new CsrMatrix(byItem.rows, byItem.cols, byItem.indptr, byItem.indices, b);
    const w = csrMulTransposed(left, right, { k, excludeDiagonal: true });
    this.weights = new CsrMatrix(w.rows, w.cols, w.indptr, w.indices, Float32Array.from(w.values));
    options.onProgress?.({ step: 1, steps: 1, unit: 'pass' });
    return { seconds: secondsSince(started), links: this.weights.nnz };
  }

  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    out.fill(0);
    const w = this.weights;
    for (let q = 0; q < query.items.length; q++) {
      const i = query.items[q]!;
      const x = this.params.binary ? 1 : query.values[q] ?? 1;
      for (let e = w.indptr[i]!; e < w.indptr[i + 1]!; e++) out[w.indices[e]!]! += x * w.values[e]!;
    }
  }

  protected override similarScores(item: number, out: Float32Array): void {
    out.fill(0);
    const w = this.weights;
    for (let e = w.indptr[item]!; e < w.indptr[item + 1]!; e++) out[w.indices[e]!] = w.values[e]!;
  }

  save(): Uint8Array {
    const w = this.weights;
    return encodeModel({ model: this.name, params: this.params, state: { numUsers: this.numUsers, numItems: this.numItems }, arrays: { indptr: w.indptr, indices: w.indices, values: w.values as Float32Array } });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    const numItems = Number(file.state.numItems);
    const indptr = arrayOf(file, 'indptr', Int32Array, numItems + 1);
    this.weights = new CsrMatrix(numItems, numItems, indptr, arrayOf(file, 'indices', Int32Array), arrayOf(file, 'values', Float32Array));
    this.numItems = numItems;
    this.numUsers = Number(file.state.numUsers);
  }
}

export const RP3BETA: ModelEntry = {
  name: 'rp3beta',
  description: 'random walk item → user → item with a popularity penalty (RP3beta): strong on sparse data',
  spec: RP3BETA_PARAMS,
  capabilities: CAPABILITIES,
  create: (params) => new Rp3beta(params),
};
