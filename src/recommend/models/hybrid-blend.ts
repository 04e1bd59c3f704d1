import { solveSpd } from '../../math/linalg.js';
import type { SeededRandom } from '../../math/random.js';
import { subset } from '../interactions.js';
import { TrainingData } from '../training-data.js';

/** The training data with one interaction of some users held out, to learn blend weights on. */
export interface ValidationSplit {
  train: TrainingData;
  /** The validation users and, at the same position, the item held out of each. */
  users: Int32Array;
  positives: Int32Array;
}

/**
 * Holds out the newest positive interaction (by time; every row of that user–item pair, so the item
 * is really unseen) of a random `share` of the users with at least two positive items, at most
 * `maxUsers` of them. The rest of the rows train the components.
 *
 * @example const { train, users, positives } = validationSplit(data, 0.3, 5000, rng);
 */
export function validationSplit(data: TrainingData, share: number, maxUsers: number, rng: SeededRandom): ValidationSplit {
  const s = data.source;
  const m = data.matrix();
  const newest = new Int32Array(data.numUsers).fill(-1);
  for (let r = 0; r < s.user.length; r++) {
    const u = s.user[r]!;
    if (!(data.explicit || s.value[r]! > 0)) continue;
    if (m.get(u, s.item[r]!) <= 0 && !data.explicit) continue;
    const prev = newest[u]!;
    if (prev < 0 || s.time[r]! >= s.time[prev]!) newest[u] = r;
  }
  const candidates: number[] = [];
  for (let u = 0; u < data.numUsers; u++) if (newest[u]! >= 0 && m.rowNnz(u) >= 2) candidates.push(u);
  rng.shuffle(candidates);
  const chosen = candidates.slice(0, Math.min(maxUsers, Math.round(share * candidates.length))).sort((a, b) => a - b);
  const heldItem = new Int32Array(data.numUsers).fill(-1);
  for (const u of chosen) heldItem[u] = s.item[newest[u]!]!;
  const rows: number[] = [];
  for (let r = 0; r < s.user.length; r++) if (heldItem[s.user[r]!] !== s.item[r]) rows.push(r);
  return { train: new TrainingData(subset(s, rows)), users: Int32Array.from(chosen), positives: Int32Array.from(chosen, (u) => heldItem[u]!) };
}

/**
 * Standardises one user's scores in place: (s − mean) / sd over the items not in `skip` (the user's
 * own items, which are never recommended and would skew the spread). Constant scores become 0, so a
 * component that cannot tell the items apart for this user adds nothing.
 *
 * @example zScores(scores, query.items);
 */
export function zScores(scores: Float32Array, skip: Int32Array): void {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < scores.length; i++) {
    const x = scores[i]!;
    sum += x;
    sq += x * x;
  }
  for (let k = 0; k < skip.length; k++) {
    const x = scores[skip[k]!]!;
    sum -= x;
    sq -= x * x;
  }
  const n = scores.length - skip.length;
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? Math.max(0, sq / n - mean * mean) : 0;
  const sd = Math.sqrt(variance);
  // Relative guard: float round-off of a constant vector must not be blown up into ±1 scores.
  if (!(sd > 1e-6 * (Math.abs(mean) + 1e-12)) || !Number.isFinite(sd)) {
    scores.fill(0);
    return;
  }
  const inv = 1 / sd;
  for (let i = 0; i < scores.length; i++) scores[i] = Number.isFinite(scores[i]!) ? (scores[i]! - mean) * inv : 0;
}

/** What the blend fit found: the weights, the mean log-likelihood, and how often pairs are ordered right. */
export interface BlendFit {
  weights: Float64Array;
  logLikelihood: number;
  /** Share of (positive, negative) pairs the blend orders correctly. */
  pairAccuracy: number;
}

/**
 * Fits weights w of a pairwise logistic model: for each row d of `diffs` (the z-scores of a
 * validation positive minus those of a sampled negative, one column per component), maximise
 * mean log σ(w·d) − (reg / 2)·|w|². Newton's method with step halving: the problem is concave and has
 * as many unknowns as components, so a few iterations solve it exactly.
 *
 * @example const { weights } = fitPairwiseLogistic(diffs, pairs, components, 1e-3, 30);
 */
export function fitPairwiseLogistic(diffs: Float64Array, pairs: number, dims: number, reg: number, iterations: number): BlendFit {
  const w = new Float64Array(dims);
  const objective = (x: Float64Array): number => {
    let ll = 0;
    for (let p = 0; p < pairs; p++) {
      let z = 0;
      for (let c = 0; c < dims; c++) z += x[c]! * diffs[p * dims + c]!;
      ll -= z >= 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
    }
    let norm = 0;
    for (let c = 0; c < dims; c++) norm += x[c]! * x[c]!;
    return ll / Math.max(1, pairs) - 0.5 * reg * norm;
  };
  let current = objective(w);
  const grad = new Float64Array(dims);
  const hess = new Float64Array(dims * dims);
  for (let it = 0; it < iterations && pairs > 0; it++) {
    grad.fill(0);
    hess.fill(0);
    for (let p = 0; p < pairs; p++) {
      const o = p * dims;
      let z = 0;
      for (let c = 0; c < dims; c++) z += w[c]! * diffs[o + c]!;
      const sig = 1 / (1 + Math.exp(-z));
      const g = 1 - sig;
      const h = sig * g;
      for (let a = 0; a < dims; a++) {
        grad[a]! += g * diffs[o + a]!;
        for (let b = 0; b <= a; b++) hess[a * dims + b]! += h * diffs[o + a]! * diffs[o + b]!;
      }
    }
    for (let a = 0; a < dims; a++) {
      grad[a] = grad[a]! / pairs - reg * w[a]!;
      for (let b = 0; b <= a; b++) hess[a * dims + b] = hess[a * dims + b]! / pairs + (a === b ? reg + 1e-12 : 0);
    }
    const step = solveSpd(hess, grad, dims);
    let t = 1;
    let next = new Float64Array(dims);
    let value = -Infinity;
    for (let halving = 0; halving < 30; halving++, t /= 2) {
      for (let c = 0; c < dims; c++) next[c] = w[c]! + t * step[c]!;
      value = objective(next);
      if (value >= current) break;
    }
    if (!(value >= current)) break;
    const gain = value - current;
    w.set(next);
    current = value;
    if (gain < 1e-10) break;
    next = new Float64Array(dims);
  }
  let right = 0;
  for (let p = 0; p < pairs; p++) {
    let z = 0;
    for (let c = 0; c < dims; c++) z += w[c]! * diffs[p * dims + c]!;
    if (z > 0) right++;
    else if (z === 0) right += 0.5;
  }
  return { weights: w, logLikelihood: current, pairAccuracy: pairs > 0 ? right / pairs : 0 };
}
