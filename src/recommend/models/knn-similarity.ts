import { AppError } from '../../core/errors.js';
import { CsrMatrix, csrFromCoo, type CscMatrix } from '../../math/sparse.js';
import { kthLargest } from '../../math/topk.js';
import { checkCancelled } from '../recommender.js';
import type { TrainingData } from '../training-data.js';
import type { Baselines } from './baseline-only.js';

/** The similarities the k-NN models offer. */
export const SIMILARITY_KINDS = ['cosine', 'pearson', 'jaccard'] as const;
export type SimilarityKind = (typeof SIMILARITY_KINDS)[number];

export interface SimilarityOptions {
  /**
   * cosine: x·y / (‖x‖‖y‖) over the full rows; pearson: the correlation over the co-rated columns only
   * (each side centred on its mean over those columns, as Surprise's `pearson`); jaccard: |x ∩ y| /
   * |x ∪ y| of the stored patterns (values ignored).
   */
  kind: SimilarityKind;
  /** Every similarity is multiplied by n / (n + shrinkage), n = co-rated count (default 0: none). */
  shrinkage?: number;
  /** Keep the `k` most similar rows of every row (ties: lower index); 0 keeps every positive one. */
  k: number;
  signal?: AbortSignal;
  /** Called every few hundred rows with rows done and rows in all. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Similarities of sparse vectors to the rows of X, one vector at a time, by a row of the sparse product
 * q·Xᵀ (Gustavson: a dense accumulator over X's rows, walking X by columns). One pass gathers every
 * sum a kind needs (co-count, dot, and for Pearson the co-rated sums and squares), so shrinkage and
 * the co-rated Pearson cost no second product. Only positive similarities are kept: k-NN predictions
 * ignore the others (Surprise does too).
 *
 * @example
 * const sim = new RowSimilarity(userItem, { kind: 'cosine', shrinkage: 10, k: 50 });
 * const { ids, sims } = sim.query(items, values); // the 50 users most similar to the vector
 */
export class RowSimilarity {
  private readonly byColumn: CscMatrix;
  private readonly norms: Float64Array;
  private readonly sizes: Int32Array;
  private readonly touched: Int32Array;
  private readonly count: Float64Array;
  private readonly dot: Float64Array;
  private readonly sumQ: Float64Array;
  private readonly sumX: Float64Array;
  private readonly sqQ: Float64Array;
  private readonly sqX: Float64Array;
  private readonly scratch: Float64Array;
  private readonly picked: Int32Array;
  readonly kind: SimilarityKind;
  readonly shrinkage: number;
  readonly k: number;

  constructor(readonly x: CsrMatrix, options: SimilarityOptions) {
    if (!SIMILARITY_KINDS.includes(options.kind)) throw AppError.invalid(`similarity must be one of ${SIMILARITY_KINDS.join(', ')}, got ${JSON.stringify(options.kind)}`, { field: 'similarity' });
    const shrinkage = options.shrinkage ?? 0;
    if (!(shrinkage >= 0 && Number.isFinite(shrinkage))) throw AppError.invalid(`similarity shrinkage must be a finite number ≥ 0, got ${shrinkage}`, { field: 'shrinkage' });
    if (!(Number.isInteger(options.k) && options.k >= 0)) throw AppError.invalid(`similarity k must be an integer ≥ 0 (0 keeps all), got ${options.k}`, { field: 'k' });
    this.kind = options.kind;
    this.shrinkage = shrinkage;
    this.k = options.k === 0 ? x.rows : Math.min(options.k, x.rows);
    this.byColumn = x.toCsc();
    this.norms = x.rowNorms();
    this.sizes = Int32Array.from({ length: x.rows }, (_, i) => x.rowNnz(i));
    const n = x.rows;
    this.touched = new Int32Array(n);
    this.count = new Float64Array(n);
    this.dot = new Float64Array(n);
    const pearson = this.kind === 'pearson';
    this.sumQ = new Float64Array(pearson ? n : 0);
    this.sumX = new Float64Array(pearson ? n : 0);
    this.sqQ = new Float64Array(pearson ? n : 0);
    this.sqX = new Float64Array(pearson ? n : 0);
    this.scratch = new Float64Array(n);
    this.picked = new Int32Array(n);
  }

  /**
   * The (up to) k rows most similar to the vector (`indices` ascending, with `values`), `skip` left out;
   * ids ascending with their similarities. The arrays are views into reused memory: copy them before
   * the next call.
   */
  query(indices: ArrayLike<number>, values: ArrayLike<number>, skip = -1): { ids: Int32Array; sims: Float64Array } {
    const { touched, count, dot, sumQ, sumX, sqQ, sqX } = this;
    const { indptr, indices: rowsOf, values: vals } = this.byColumn;
    const pearson = this.kind === 'pearson';
    let m = 0;
    let qNormSq = 0;
    for (let p = 0; p < indices.length; p++) {
      const u = indices[p]!;
      const a = values[p]!;
      qNormSq += a * a;
      const start = indptr[u]!;
      const end = indptr[u + 1]!;
      if (pearson) {
        for (let q = start; q < end; q++) {
          const j = rowsOf[q]!;
          const b = vals[q]!;
          if (count[j] === 0) {
            touched[m++] = j;
            count[j] = 1; dot[j] = a * b; sumQ[j] = a; sumX[j] = b; sqQ[j] = a * a; sqX[j] = b * b;
          } else {
            count[j]!++; dot[j]! += a * b; sumQ[j]! += a; sumX[j]! += b; sqQ[j]! += a * a; sqX[j]! += b * b;
          }
        }
      } else {
        for (let q = start; q < end; q++) {
          const j = rowsOf[q]!;
          if (count[j] === 0) {
            touched[m++] = j;
            count[j] = 1;
            dot[j] = a * vals[q]!;
          } else {
            count[j]!++;
            dot[j]! += a * vals[q]!;
          }
        }
      }
    }
    // Turn the sums into similarities, keeping the positive ones (in `touched` order) in scratch.
    const { scratch, norms, sizes, shrinkage } = this;
    const qNorm = Math.sqrt(qNormSq);
    const qSize = indices.length;
    let kept = 0;
    for (let t = 0; t < m; t++) {
      const j = touched[t]!;
      const n = count[j]!;
      count[j] = 0; // a zero count marks an untouched row for the next query
      if (j === skip) continue;
      let s: number;
      if (this.kind === 'cosine') {
        const denom = qNorm * norms[j]!;
        s = denom > 0 ? dot[j]! / denom : 0;
      } else if (this.kind === 'jaccard') {
        s = n / (qSize + sizes[j]! - n);
      } else {
        const varQ = n * sqQ[j]! - sumQ[j]! * sumQ[j]!;
        const varX = n * sqX[j]! - sumX[j]! * sumX[j]!;
        const denom = Math.sqrt(varQ * varX);
        s = denom > 0 ? (n * dot[j]! - sumQ[j]! * sumX[j]!) / denom : 0;
      }
      if (shrinkage > 0) s *= n / (n + shrinkage);
      if (s > 0) {
        touched[kept] = j;
        scratch[kept++] = s;
      }
    }
    return this.best(kept);
  }

  /** The k best of touched[0..m) with scores in scratch, ids ascending; ties go to the lower id. */
  private best(m: number): { ids: Int32Array; sims: Float64Array } {
    const { touched, scratch, picked, dot } = this;
    // The similarity of each candidate sits in `dot` from here on, so scratch may be reordered.
    for (let t = 0; t < m; t++) dot[touched[t]!] = scratch[t]!;
    let out = m;
    if (m > this.k) {
      const kth = kthLargest(scratch, m, this.k);
      out = 0;
      let tied = 0;
      for (let t = 0; t < m; t++) {
        const j = touched[t]!;
        const s = dot[j]!;
        if (s > kth) touched[out++] = j;
        else if (s === kth) picked[tied++] = j;
      }
      const ties = picked.subarray(0, tied).sort();
      for (let t = 0; out < this.k && t < ties.length; t++) touched[out++] = ties[t]!;
    }
    const ids = touched.subarray(0, out).sort();
    for (let t = 0; t < out; t++) scratch[t] = dot[ids[t]!]!;
    return { ids, sims: scratch.subarray(0, out) };
  }
}

/**
 * The k nearest neighbours of every row of X among X's rows (never itself), as a square CSR matrix:
 * row i holds its neighbours' ids ascending with their similarity (Float32). See {@link RowSimilarity}
 * for the kinds and shrinkage. X is rows × features: items × users for item–item, users × items for
 * user–user.
 *
 * @example
 * const neighbours = knnSimilarity(data.itemUsers(), { kind: 'jaccard', shrinkage: 100, k: 50 });
 * neighbours.rowIndices(item); // its (up to) 50 nearest items; rowValues(item) their similarities
 */
export function knnSimilarity(x: CsrMatrix, options: SimilarityOptions): CsrMatrix<Float32Array> {
  const sim = new RowSimilarity(x, options);
  const rows = x.rows;
  const indptr = new Int32Array(rows + 1);
  let capacity = Math.max(16, Math.min(rows * sim.k, 1 << 22));
  let ids = new Int32Array(capacity);
  let sims = new Float32Array(capacity);
  let length = 0;
  for (let i = 0; i < rows; i++) {
    if ((i & 255) === 0) {
      checkCancelled(options.signal);
      if (i > 0) options.onProgress?.(i, rows);
    }
    const row = sim.query(x.rowIndices(i), x.rowValues(i), i);
    if (length + row.ids.length > capacity) {
      capacity = Math.max(length + row.ids.length, capacity * 2);
      const grownIds = new Int32Array(capacity);
      grownIds.set(ids.subarray(0, length));
      const grownSims = new Float32Array(capacity);
      grownSims.set(sims.subarray(0, length));
      ids = grownIds;
      sims = grownSims;
    }
    ids.set(row.ids, length);
    sims.set(row.sims, length);
    length += row.ids.length;
    indptr[i + 1] = length;
  }
  options.onProgress?.(rows, rows);
  return new CsrMatrix(rows, rows, indptr, ids.slice(0, length), sims.slice(0, length));
}

/**
 * The users × items values the k-NN models compare and predict from: ratings on explicit data, the
 * positive preference weights otherwise; with `baselines`, each value minus its baseline
 * μ + b_u + b_i (the "baseline-adjusted" ratings of KNNBaseline's pearson_baseline).
 *
 * @example const x = knnValues(data, data.explicit ? baselines : undefined);
 */
export function knnValues(data: TrainingData, baselines?: Baselines): CsrMatrix<Float64Array> {
  let x: CsrMatrix<Float64Array>;
  if (data.explicit) {
    const r = data.ratings();
    x = csrFromCoo(data.numUsers, data.numItems, r.user, r.item, r.value, 'float64') as CsrMatrix<Float64Array>;
  } else {
    const m = data.matrix();
    x = new CsrMatrix(m.rows, m.cols, m.indptr, m.indices, Float64Array.from(m.values));
  }
  return baselines ? residuals(x, baselines) : x;
}

/** `x` minus the baseline of every stored entry (same pattern, new values). */
export function residuals(x: CsrMatrix, baselines: Baselines): CsrMatrix<Float64Array> {
  const values = new Float64Array(x.nnz);
  for (let u = 0; u < x.rows; u++) {
    const base = baselines.mean + baselines.user[u]!;
    for (let p = x.indptr[u]!, end = x.indptr[u + 1]!; p < end; p++) values[p] = x.values[p]! - base - baselines.item[x.indices[p]!]!;
  }
  return new CsrMatrix(x.rows, x.cols, x.indptr, x.indices, values);
}

/**
 * The k-NN vote of one prediction: of the candidates offered (neighbour similarity, value), the k most
 * similar (ties: the one offered first) vote; `num` = Σ sim·value, `den` = Σ sim, `voters` how many.
 * Reused across predictions, so scoring allocates nothing.
 *
 * @example
 * vote.reset();
 * for (…each neighbour that rated the item…) vote.offer(sim, rating - baseline);
 * vote.finish(k);
 * const estimate = baseline + (vote.voters >= minK ? vote.num / vote.den : 0);
 */
export class NeighbourVote {
  num = 0;
  den = 0;
  voters = 0;
  private m = 0;
  private sims: Float64Array;
  private values: Float64Array;
  private readonly select: Float64Array;

  constructor(capacity: number) {
    this.sims = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.select = new Float64Array(capacity);
  }

  reset(): void {
    this.m = 0;
  }

  offer(sim: number, value: number): void {
    this.sims[this.m] = sim;
    this.values[this.m++] = value;
  }

  /** Sums the votes of the k most similar candidates offered since `reset`. */
  finish(k: number): void {
    const { sims, values, m } = this;
    let num = 0;
    let den = 0;
    if (m <= k) {
      for (let t = 0; t < m; t++) {
        num += sims[t]! * values[t]!;
        den += sims[t]!;
      }
      this.voters = m;
    } else {
      this.select.set(sims.subarray(0, m));
      const kth = kthLargest(this.select, m, k);
      let taken = 0;
      for (let t = 0; t < m; t++) {
        if (sims[t]! > kth) {
          num += sims[t]! * values[t]!;
          den += sims[t]!;
          taken++;
        }
      }
      for (let t = 0; t < m && taken < k; t++) {
        if (sims[t] === kth) {
          num += kth * values[t]!;
          den += kth;
          taken++;
        }
      }
      this.voters = taken;
    }
    this.num = num;
    this.den = den;
  }
}

/**
 * The hyper-parameters of the k-NN models; `neighbour` names what the neighbours are ('item' or
 * 'user') in the docs.
 *
 * @example export const ITEM_KNN_PARAMS = knnParams('item');
 */
export function knnParams(neighbour: 'item' | 'user') {
  return {
    similarity: { type: 'enum', default: 'cosine', values: SIMILARITY_KINDS, doc: `how ${neighbour}s are compared: cosine, pearson (over co-rated), jaccard (of the sets)`, tune: true },
    k: { type: 'int', default: 50, min: 1, max: 100_000, doc: `most similar ${neighbour}s that vote in one score or prediction`, tune: [10, 200], log: true },
    keep: { type: 'int', default: 200, min: 0, max: 1_000_000, doc: `most similar ${neighbour}s stored per ${neighbour} after fitting (0 = every positive one); the k voters are picked among them`, tune: [50, 1000], log: true },
    shrinkage: { type: 'float', default: 100, min: 0, max: 100_000, doc: 'similarity × n/(n + shrinkage), n = co-rated count: distrusts similarities from little overlap', tune: [1, 1000], log: true },
    baseline: { type: 'bool', default: false, doc: 'compare baseline-adjusted values r − (μ + b_u + b_i) instead of raw ones', tune: true },
    minK: { type: 'int', default: 1, min: 1, max: 1000, doc: 'ratings: fewer voters than this and the prediction is the baseline alone', tune: [1, 10] },
    normalize: { type: 'bool', default: false, doc: `ranking: scale each voting ${neighbour}'s similarities to sum to 1 over its stored list (Deshpande & Karypis), so hubs do not dominate`, tune: true },
  } as const;
}

/**
 * 1 / (sum of every row's stored similarities), 0 for an empty row: the normalisation of Deshpande &
 * Karypis (2004), which makes every neighbour's votes weigh the same in total.
 *
 * @example const scale = voteScales(neighbours); // weight of j's vote = sim(i, j) · scale[j]
 */
export function voteScales(neighbours: CsrMatrix): Float64Array {
  const scale = new Float64Array(neighbours.rows);
  for (let j = 0; j < neighbours.rows; j++) {
    let sum = 0;
    for (let p = neighbours.indptr[j]!, end = neighbours.indptr[j + 1]!; p < end; p++) sum += neighbours.values[p]!;
    scale[j] = sum > 0 ? 1 / sum : 0;
  }
  return scale;
}
