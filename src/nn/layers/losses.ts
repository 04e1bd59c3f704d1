import { AppError } from '../../core/errors.js';
import type { Graph, Value } from '../graph.js';

const allAxes = (v: Value) => v.shape.map((_, i) => i);

function sameShape(what: string, a: Value, b: Value): void {
  if (a.shape.join() !== b.shape.join()) throw AppError.invalid(`${what}: shapes [${a.shape}] and [${b.shape}] differ`);
}

/**
 * softplus(x) = log(1 + eˣ), stable for any x: it is logsumexp(0, x), computed as −logSoftmax([0, x])
 * at the zero (the kernel subtracts the max), so neither large nor very negative x overflows.
 *
 * @example softplus(g, logits) // same shape as logits
 */
export function softplus(g: Graph, x: Value): Value {
  const pair = g.concat([g.constant(0, [...x.shape, 1]), g.reshape(x, [...x.shape, 1])], -1);
  return g.reshape(g.neg(g.slice(g.logSoftmax(pair, -1), -1, 0, 1)), [...x.shape]);
}

/**
 * log σ(x) = −softplus(−x), stable.
 *
 * @example logSigmoid(g, g.sub(pos, neg))
 */
export function logSigmoid(g: Graph, x: Value): Value {
  return g.neg(softplus(g, g.neg(x)));
}

/**
 * Softmax cross-entropy over the last axis, averaged over the other axes: −mean Σ_c y_c · log softmax(z)_c.
 * `labels` are one-hot (or any distribution) with the logits' shape.
 *
 * @example const loss = softmaxCrossEntropy(g, logits, g.input('labels', [64, 20]));
 */
export function softmaxCrossEntropy(g: Graph, logits: Value, labels: Value): Value {
  sameShape('softmaxCrossEntropy', logits, labels);
  const perRow = g.sum(g.mul(g.logSoftmax(logits, -1), labels), [-1]);
  return g.neg(logits.shape.length === 1 ? perRow : g.mean(perRow, allAxes(perRow)));
}

/**
 * Binary cross-entropy on logits, mean over all elements, in the stable softplus form
 * softplus(z) − y·z (= −y·log σ(z) − (1 − y)·log(1 − σ(z))).
 *
 * @example const loss = binaryCrossEntropy(g, ctrLogits, g.input('clicked', [256, 1]));
 */
export function binaryCrossEntropy(g: Graph, logits: Value, labels: Value): Value {
  sameShape('binaryCrossEntropy', logits, labels);
  return g.mean(g.sub(softplus(g, logits), g.mul(labels, logits)), allAxes(logits));
}

/**
 * Bayesian personalised ranking: −mean log σ(pos − neg) over paired scores.
 *
 * @example const loss = bpr(g, scoreOfClicked, scoreOfSampled);
 */
export function bpr(g: Graph, positive: Value, negative: Value): Value {
  sameShape('bpr', positive, negative);
  return g.mean(softplus(g, g.sub(negative, positive)), allAxes(positive));
}

/**
 * Mean squared error over all elements.
 *
 * @example const loss = mse(g, predictedSpend, g.input('spend', [128, 1]));
 */
export function mse(g: Graph, predicted: Value, target: Value): Value {
  sameShape('mse', predicted, target);
  const d = g.sub(predicted, target);
  return g.mean(g.mul(d, d), allAxes(d));
}
