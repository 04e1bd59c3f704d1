import { AppError } from '../../core/errors.js';
import type { Graph, Value } from '../graph.js';
import { crfSequenceScore, type CrfParams } from './crf.js';

/** Added to each step's normaliser so an underflow to 0 cannot give log 0. */
const TINY = 1e-30;

/**
 * log Z per sequence, [B], by the scaled forward algorithm (Rabiner's, in probability space): with
 * pₜ = exp(eₜ − max eₜ) and E = exp(transitions), aₜ = (aₜ₋₁ · E) ⊙ pₜ is renormalised to sum 1 at
 * every step and log Z = Σₜ (log cₜ + max eₜ) + log Σ a_L ⊙ exp(end), cₜ being the step's sum. Equal to
 * `crfLogPartition`, but each step is one [B, T] · [T, T] matmul and a few [B, T] ops instead of
 * log-sum-exp over [B, T, T] tensors, so the graph is smaller and faster. With a keep-mask [B, L]
 * (right padding; the first step real) a padded step leaves a unchanged, adding log 1 = 0. The
 * weights must stay moderate (|transitions|, |start|, |end| well under 80) for float32 exp.
 *
 * @example const logZ = crfLogPartitionScaled(g, crf, emissions, mask); // [B]
 */
export function crfLogPartitionScaled(g: Graph, crf: CrfParams, emissions: Value, mask?: Value): Value {
  if (emissions.shape.length !== 3) throw AppError.invalid(`CRF emissions must be [B, L, T], got [${emissions.shape}]`);
  const [batch, length, tags] = emissions.shape as [number, number, number];
  if (crf.transitions.shape.join() !== `${tags},${tags}`) throw AppError.invalid(`CRF params do not match ${tags} tags`);
  if (mask && (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== length)) throw AppError.invalid(`CRF mask must be [${batch}, ${length}], got [${mask.shape}]`);
  const top = g.stopGradient(g.max(emissions, [2], true)); // [B, L, 1]
  const p = g.exp(g.sub(emissions, top));
  const trans = g.exp(crf.transitions);
  const step = (t: number) => g.reshape(g.slice(p, 1, t, t + 1), [batch, tags]);
  const normalise = (pre: Value) => {
    const c = g.add(g.sum(pre, [1], true), g.constant(TINY));
    return { a: g.div(pre, c), logC: g.log(c) };
  };
  let { a, logC } = normalise(g.mul(step(0), g.exp(crf.start)));
  let logZ = logC; // [B, 1]
  for (let t = 1; t < length; t++) {
    let pre = g.mul(g.matmul(a, trans), step(t));
    if (mask) pre = g.add(a, g.mul(g.reshape(g.slice(mask, 1, t, t + 1), [batch, 1]), g.sub(pre, a)));
    ({ a, logC } = normalise(pre));
    logZ = g.add(logZ, logC);
  }
  const last = g.log(g.add(g.sum(g.mul(a, g.exp(crf.end)), [1], true), g.constant(TINY)));
  const offsets = g.reshape(top, [batch, length]);
  const offset = g.sum(mask ? g.mul(offsets, mask) : offsets, [1], true);
  return g.reshape(g.add(g.add(logZ, last), offset), [batch]);
}

/**
 * The CRF negative log-likelihood, mean over the batch, with the scaled forward algorithm:
 * mean(log Z − score(gold)); `tags` one-hot [B, L, T], `mask` [B, L].
 *
 * @example const loss = crfLossScaled(g, crf, emissions, g.input('tags', [B, L, T]), mask);
 */
export function crfLossScaled(g: Graph, crf: CrfParams, emissions: Value, tags: Value, mask?: Value): Value {
  return g.mean(g.sub(crfLogPartitionScaled(g, crf, emissions, mask), crfSequenceScore(g, crf, emissions, tags, mask)), [0]);
}
