import { AppError } from '../../core/errors.js';
import type { Value } from '../graph.js';
import { layerNorm } from './layer-norm.js';
import type { NetBuilder } from './net-builder.js';

/**
 * A residual block x + f(x). `norm: 'pre'` gives x + f(LayerNorm(x)), `'post'` LayerNorm(x + f(x))
 * (LayerNorm in scope `ln`); f builds its layers in the block's scope and must keep the shape.
 *
 * @example const h2 = residual(b.scope('block1'), h, (s, y) => dense(s.scope('ff'), y, { units: 64, activation: 'relu' }), { norm: 'pre' });
 */
export function residual(b: NetBuilder, x: Value, f: (b: NetBuilder, x: Value) => Value, options: { norm?: 'pre' | 'post' | 'none' } = {}): Value {
  const g = b.graph;
  const norm = options.norm ?? 'none';
  const y = f(b, norm === 'pre' ? layerNorm(b.scope('ln'), x) : x);
  if (y.shape.join() !== x.shape.join()) throw AppError.invalid(`a residual branch must keep the shape [${x.shape}], got [${y.shape}]`);
  const sum = g.add(x, y);
  return norm === 'post' ? layerNorm(b.scope('ln'), sum) : sum;
}
