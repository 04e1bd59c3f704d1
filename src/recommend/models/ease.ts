import { AppError } from '../../core/errors.js';
import { invertSpd } from '../../math/linalg.js';
import type { CsrMatrix } from '../../math/sparse.js';
import { arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import { type FitOptions, type FitReport, type ModelEntry, BaseRecommender, checkCancelled, secondsSince } from '../recommender.js';
import type { TrainingData, UserQuery } from '../training-data.js';

export const EASE_PARAMS = {
  lambda: { type: 'float', default: 500, min: 1e-6, max: 1e9, doc: 'L2 regularisation of the item–item weights (added to the Gram diagonal)', tune: [10, 5000], log: true },
  maxItems: {
    type: 'int', default: 10_000, min: 1, max: 100_000,
    doc: 'largest catalogue to fit: EASE inverts a dense items×items matrix (10,000 items ≈ 2.4 GB while fitting and minutes of CPU)',
  },
} as const;

type EaseParams = ParamsOf<typeof EASE_PARAMS>;

/**
 * EASE (Steck 2019): a linear item–item model with a closed form. With X users × items,
 * P = (XᵀX + λI)⁻¹ and B = I − P·diagMat(1/diag(P)), i.e. B_ij = −P_ij / P_jj with a zero diagonal (an
 * item may not predict itself); a user's scores are x_u·B. Needs only the query's items, so it folds in
 * any user. The item×item matrix is dense, so `maxItems` refuses catalogues it could not fit.
 *
 * @example const model = EASE.create({ lambda: 300 });
 */
export class Ease extends BaseRecommender {
  readonly name = 'ease';
  readonly capabilities = { ratings: false, foldIn: true, content: false, sequential: false };
  readonly params: EaseParams;
  /** B, items × items row-major: row i holds how much item i adds to every item's score. */
  private weights = new Float32Array(0);

  constructor(params: Record<string, unknown> = {}) {
    super();
    this.params = resolveParams('ease', EASE_PARAMS, params);
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const n = data.numItems;
    const { lambda, maxItems } = this.params;
    if (n > maxItems) {
      const gb = ((3 * 8 * n * n) / 1e9).toFixed(1);
      throw AppError.invalid(
        `ease: the data has ${n} items, above maxItems ${maxItems}; EASE inverts a dense ${n}×${n} matrix (about ${gb} GB while fitting, ` +
          `time growing with items³). Use ALS (implicit: true) or BPR for a catalogue this large, fit EASE on the most popular ${maxItems} items, ` +
          `or raise maxItems if the machine has the memory and time`,
        { field: 'params.maxItems', items: n, maxItems },
      );
    }
    const started = this.begin(data);
    const steps = 3;
    const gram = gramLower(data.matrix(), n);
    for (let i = 0; i < n; i++) gram[i * n + i] = gram[i * n + i]! + lambda;
    options.onProgress?.({ step: 1, steps, unit: 'stage' });
    checkCancelled(options.signal);
    // invertSpd reads only the lower triangle, which is all gramLower fills.
    const p = invertSpd(gram, n);
    options.onProgress?.({ step: 2, steps, unit: 'stage' });
    checkCancelled(options.signal);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) b[row + j] = i === j ? 0 : -p[row + j]! / p[j * n + j]!;
    }
    this.weights = b;
    options.onProgress?.({ step: 3, steps, unit: 'stage' });
    return { seconds: secondsSince(started), items: n };
  }

  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    const n = this.numItems;
    const b = this.weights;
    out.fill(0, 0, n);
    // x_u·B: the query's rows of B, each scaled by the item's weight.
    for (let q = 0; q < query.items.length; q++) {
      const i = query.items[q]!;
      const v = query.values[q]!;
      if (i < 0 || i >= n || v === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) out[j] = out[j]! + v * b[row + j]!;
    }
  }

  protected override similarScores(item: number, out: Float32Array): void {
    // Column `item` of B: the weights with which every other item predicts this one (its regression).
    const n = this.numItems;
    for (let j = 0; j < n; j++) out[j] = this.weights[j * n + item]!;
  }

  save(): Uint8Array {
    return encodeModel({ model: this.name, params: this.params, state: { numUsers: this.numUsers, numItems: this.numItems }, arrays: { weights: this.weights } });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    const items = Number(file.state.numItems ?? 0);
    this.weights = arrayOf(file, 'weights', Float32Array, items * items);
    this.numItems = items;
    this.numUsers = Number(file.state.numUsers ?? 0);
  }
}

/**
 * The lower triangle of XᵀX (items × items, Float64) from the users × items CSR matrix: every user adds
 * the products of their pairs of entries, O(Σ n_u²) instead of a dense product's users × items².
 */
function gramLower(x: CsrMatrix<Float32Array>, n: number): Float64Array {
  const gram = new Float64Array(n * n);
  const { indptr, indices, values } = x;
  for (let u = 0; u < x.rows; u++) {
    const lo = indptr[u]!;
    const hi = indptr[u + 1]!;
    // Columns ascend within a row, so indices[b] ≤ indices[a] for b ≤ a: (a, b) lands in the lower triangle.
    for (let a = lo; a < hi; a++) {
      const row = indices[a]! * n;
      const va = values[a]!;
      for (let b = lo; b <= a; b++) gram[row + indices[b]!] = gram[row + indices[b]!]! + va * values[b]!;
    }
  }
  return gram;
}

export const EASE: ModelEntry = {
  name: 'ease',
  description: 'EASE (Steck 2019): closed-form item–item linear model with a zero diagonal, for catalogues up to maxItems',
  spec: EASE_PARAMS,
  capabilities: { ratings: false, foldIn: true, content: false, sequential: false },
  create: (params) => new Ease(params),
};
