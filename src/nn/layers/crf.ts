import { AppError } from '../../core/errors.js';
import type { Graph, Value } from '../graph.js';
import { normalInit } from './init.js';
import type { NetBuilder } from './net-builder.js';

/** The params of a linear-chain CRF over T tags. */
export interface CrfParams {
  /** [T, T]: score of tag i followed by tag j. */
  transitions: Value;
  /** [T]: score of starting with a tag. */
  start: Value;
  /** [T]: score of ending with a tag. */
  end: Value;
}

/**
 * Registers the CRF params `transitions` [T, T], `start` [T], `end` [T], drawn from N(0, 0.1²).
 *
 * @example const crf = crfParams(b.scope('crf'), 9);
 */
export function crfParams(b: NetBuilder, tags: number): CrfParams {
  const init = normalInit(0.1);
  return { transitions: b.param('transitions', [tags, tags], init), start: b.param('start', [tags], init), end: b.param('end', [tags], init) };
}

/**
 * Stable log Σ exp over one axis: the max is subtracted under stopGradient (the result does not depend
 * on it, so its gradient is exactly the softmax).
 *
 * @example logSumExp(g, scores, 1) // [B, T, T] → [B, T]
 */
export function logSumExp(g: Graph, x: Value, axis: number, keepDims = false): Value {
  const m = g.stopGradient(g.max(x, [axis], true));
  const y = g.add(g.log(g.sum(g.exp(g.sub(x, m)), [axis], true)), m);
  return keepDims ? y : g.reshape(y, y.shape.filter((_, i) => i !== (axis < 0 ? x.shape.length + axis : axis)));
}

/**
 * log Z per sequence, [B], by the forward algorithm over emissions [B, L, T]: α₀ = start + e₀,
 * αₜ = logsumexp_i(αₜ₋₁[i] + trans[i, ·]) + eₜ, log Z = logsumexp(α + end). With a keep-mask [B, L]
 * (right padding; the first step is real) α carries over at padded steps. Its gradient is autodiff's.
 *
 * @example const logZ = crfLogPartition(g, crf, emissions, mask);
 */
export function crfLogPartition(g: Graph, crf: CrfParams, emissions: Value, mask?: Value): Value {
  const [batch, length, tags] = checkShapes(crf, emissions, mask);
  const step = (t: number) => g.reshape(g.slice(emissions, 1, t, t + 1), [batch, tags]);
  let alpha = g.add(step(0), crf.start);
  for (let t = 1; t < length; t++) {
    const scores = g.add(g.add(g.reshape(alpha, [batch, tags, 1]), crf.transitions), g.reshape(step(t), [batch, 1, tags]));
    const next = logSumExp(g, scores, 1);
    alpha = mask ? g.add(alpha, g.mul(g.reshape(g.slice(mask, 1, t, t + 1), [batch, 1]), g.sub(next, alpha))) : next;
  }
  return logSumExp(g, g.add(alpha, crf.end), 1);
}

/**
 * The score of given tag sequences (one-hot [B, L, T]) per sequence, [B]: emissions + transitions
 * + start + end, counting only real steps under a keep-mask [B, L].
 *
 * @example const gold = crfSequenceScore(g, crf, emissions, tagsOneHot, mask);
 */
export function crfSequenceScore(g: Graph, crf: CrfParams, emissions: Value, tags: Value, mask?: Value): Value {
  const [batch, length, t] = checkShapes(crf, emissions, mask);
  if (tags.shape.join() !== emissions.shape.join()) throw AppError.invalid(`one-hot tags must be [${emissions.shape}], got [${tags.shape}]`);
  const m3 = mask ? g.reshape(mask, [batch, length, 1]) : undefined;
  const masked = (v: Value, m?: Value) => (m ? g.mul(v, m) : v);
  let score = g.sum(masked(g.mul(emissions, tags), m3), [1, 2]);
  if (length > 1) {
    const previous = g.reshape(g.slice(tags, 1, 0, length - 1), [batch * (length - 1), t]);
    const moved = g.mul(g.reshape(g.matmul(previous, crf.transitions), [batch, length - 1, t]), g.slice(tags, 1, 1, length));
    score = g.add(score, g.sum(masked(moved, m3 && g.slice(m3, 1, 1, length)), [1, 2]));
  }
  score = g.add(score, g.sum(g.mul(g.reshape(g.slice(tags, 1, 0, 1), [batch, t]), crf.start), [1]));
  let lastTag = g.reshape(g.slice(tags, 1, length - 1, length), [batch, t]);
  if (m3) {
    // The last real step is where the mask drops from 1 to 0 (m_t − m_{t+1}, with m_L = 0).
    const after = g.concat(length > 1 ? [g.slice(m3, 1, 1, length), g.constant(0, [batch, 1, 1])] : [g.constant(0, [batch, 1, 1])], 1);
    lastTag = g.sum(g.mul(tags, g.sub(m3, after)), [1]);
  }
  return g.add(score, g.sum(g.mul(lastTag, crf.end), [1]));
}

/**
 * Negative log-likelihood of the gold tags, averaged over the batch: mean(log Z − score(gold)).
 *
 * @example const loss = crfLoss(g, crf, emissions, g.input('tags', [B, L, T]), g.input('mask', [B, L]));
 */
export function crfLoss(g: Graph, crf: CrfParams, emissions: Value, tags: Value, mask?: Value): Value {
  return g.mean(g.sub(crfLogPartition(g, crf, emissions, mask), crfSequenceScore(g, crf, emissions, tags, mask)), [0]);
}

function checkShapes(crf: CrfParams, emissions: Value, mask?: Value): [number, number, number] {
  if (emissions.shape.length !== 3) throw AppError.invalid(`CRF emissions must be [B, L, T], got [${emissions.shape}]`);
  const [batch, length, tags] = emissions.shape as [number, number, number];
  if (crf.transitions.shape.join() !== `${tags},${tags}` || crf.start.shape.join() !== `${tags}` || crf.end.shape.join() !== `${tags}`) throw AppError.invalid(`CRF params do not match ${tags} tags`);
  if (mask && (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== length)) throw AppError.invalid(`CRF mask must be [${batch}, ${length}], got [${mask.shape}]`);
  return [batch, length, tags];
}
