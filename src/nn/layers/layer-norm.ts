import type { Value } from '../graph.js';
import { constantInit, zerosInit } from './init.js';
import type { NetBuilder } from './net-builder.js';

/**
 * Layer normalisation over the last axis: (x − mean) / √(var + eps) ⊙ gain + bias, the mean and
 * variance from sums. Params: `gain` [D] (ones), `bias` [D] (zeros).
 *
 * @example const y = layerNorm(b.scope('ln1'), h); // same shape as h
 */
export function layerNorm(b: NetBuilder, x: Value, eps = 1e-5): Value {
  const g = b.graph;
  const d = x.shape[x.shape.length - 1]!;
  const centred = g.sub(x, g.mean(x, [-1], true));
  const variance = g.mean(g.mul(centred, centred), [-1], true);
  const normed = g.div(centred, g.sqrt(g.add(variance, g.constant(eps))));
  return g.add(g.mul(normed, b.param('gain', [d], constantInit(1))), b.param('bias', [d], zerosInit()));
}
