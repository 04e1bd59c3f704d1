import { AppError } from '../../core/errors.js';
import type { Value } from '../graph.js';
import { activate, type Activation } from './activation.js';
import { heNormal, xavierUniform, zerosInit, type Initializer } from './init.js';
import type { NetBuilder } from './net-builder.js';

export interface DenseOptions {
  units: number;
  activation?: Activation;
  /** Default true. */
  bias?: boolean;
  /** Default: He normal before relu, Xavier uniform otherwise. */
  init?: Initializer;
}

/**
 * A fully connected layer `act(x·W + b)` over the last axis of `x` (any rank ≥ 2; leading axes are
 * folded into rows so one 2-D matmul does the work). Params: `w` [in, units], `b` [units].
 *
 * @example const logits = dense(b.scope('out'), features, { units: 20 }); // [B, 384] → [B, 20]
 */
export function dense(b: NetBuilder, x: Value, options: DenseOptions): Value {
  const g = b.graph;
  if (x.shape.length < 2) throw AppError.invalid(`dense needs an input of rank ≥ 2, got [${x.shape}]`);
  const inDim = x.shape[x.shape.length - 1]!;
  const units = options.units;
  const init = options.init ?? (options.activation === 'relu' ? heNormal() : xavierUniform());
  const w = b.param('w', [inDim, units], init);
  const lead = x.shape.slice(0, -1);
  const rows = x.shape.length === 2 ? x : g.reshape(x, [lead.reduce((n, d) => n * d, 1), inDim]);
  let y = g.matmul(rows, w);
  if (options.bias ?? true) y = g.add(y, b.param('b', [units], zerosInit()));
  if (x.shape.length !== 2) y = g.reshape(y, [...lead, units]);
  return activate(g, y, options.activation);
}
