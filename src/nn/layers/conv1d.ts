import { AppError } from '../../core/errors.js';
import type { Graph, Value } from '../graph.js';
import { activate, type Activation } from './activation.js';
import { heNormal, xavierUniform, zerosInit } from './init.js';
import type { NetBuilder } from './net-builder.js';

export interface Conv1dOptions {
  /** Kernel width w (time steps per window). */
  width: number;
  filters: number;
  activation?: Activation;
  /** 'valid' (default): L − w + 1 outputs; 'same': zero-pads so there are L outputs. */
  padding?: 'valid' | 'same';
}

/**
 * A 1-D convolution over time of `x` [B, L, E] → [B, L', F], as im2col: the w shifted slices of x are
 * concatenated on the feature axis ([B, L', w·E]), folded to rows and multiplied by the kernel
 * `w` [w·E, F] in one matmul, plus bias `b` [F]. Only slice / concat / reshape / matmul, so both
 * backends run it and autodiff gives its gradient.
 *
 * @example const h = conv1d(b.scope('conv3'), emb, { width: 3, filters: 128, activation: 'relu' });
 */
export function conv1d(b: NetBuilder, x: Value, options: Conv1dOptions): Value {
  const g = b.graph;
  if (x.shape.length !== 3) throw AppError.invalid(`conv1d needs [B, L, E], got [${x.shape}]`);
  const { width, filters } = options;
  let input = x;
  if (options.padding === 'same' && width > 1) {
    const left = Math.floor((width - 1) / 2);
    input = g.pad(x, [0, left, 0, 0, width - 1 - left, 0]);
  }
  const [batch, length, features] = input.shape as [number, number, number];
  const out = length - width + 1;
  if (!(width >= 1) || out < 1) throw AppError.invalid(`conv1d width ${width} does not fit a sequence of ${length}`);
  const windows = width === 1 ? input : g.concat(Array.from({ length: width }, (_, k) => g.slice(input, 1, k, k + out)), 2);
  const rows = g.reshape(windows, [batch * out, width * features]);
  const kernel = b.param('w', [width * features, filters], options.activation === 'relu' ? heNormal() : xavierUniform());
  const y = g.add(g.matmul(rows, kernel), b.param('b', [filters], zerosInit()));
  return activate(g, g.reshape(y, [batch, out, filters]), options.activation);
}

/**
 * Max over time: [B, L, F] → [B, F]. With a keep-mask [B, L] (1 = token, 0 = padding) padded steps
 * are pushed down by 1e9 so they never win (a sequence must have at least one real step).
 *
 * @example const pooled = maxPoolTime(g, conv1d(b, emb, { width: 3, filters: 64 }));
 */
export function maxPoolTime(g: Graph, x: Value, mask?: Value): Value {
  if (x.shape.length !== 3) throw AppError.invalid(`maxPoolTime needs [B, L, F], got [${x.shape}]`);
  if (!mask) return g.max(x, [1]);
  const [batch, length] = x.shape as [number, number, number];
  checkMask(mask, batch, length);
  const penalty = g.mul(g.sub(g.reshape(mask, [batch, length, 1]), g.constant(1)), g.constant(1e9));
  return g.max(g.add(x, penalty), [1]);
}

/**
 * Mean over time: [B, L, F] → [B, F]; with a keep-mask [B, L] the mean is over real steps only.
 *
 * @example const pooled = meanPoolTime(g, gruOutputs, mask);
 */
export function meanPoolTime(g: Graph, x: Value, mask?: Value): Value {
  if (x.shape.length !== 3) throw AppError.invalid(`meanPoolTime needs [B, L, F], got [${x.shape}]`);
  if (!mask) return g.mean(x, [1]);
  const [batch, length] = x.shape as [number, number, number];
  checkMask(mask, batch, length);
  const m = g.reshape(mask, [batch, length, 1]);
  return g.div(g.sum(g.mul(x, m), [1]), g.sum(m, [1]));
}

function checkMask(mask: Value, batch: number, length: number): void {
  if (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== length) throw AppError.invalid(`a time mask must be [${batch}, ${length}], got [${mask.shape}]`);
}
