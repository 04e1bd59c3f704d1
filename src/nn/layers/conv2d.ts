import { AppError } from '../../core/errors.js';
import type { Graph, Value } from '../graph.js';
import { activate, type Activation } from './activation.js';
import { heNormal, xavierUniform, zerosInit } from './init.js';
import type { NetBuilder } from './net-builder.js';

export interface Conv2dOptions {
  /** Square kernel size k (k × k window). */
  kernel: number;
  filters: number;
  activation?: Activation;
  /** 'same' (default): zero-pads so the output keeps H × W; 'valid': (H − k + 1) × (W − k + 1). */
  padding?: 'same' | 'valid';
}

/**
 * A 2-D convolution of channels-last images `x` [B, H, W, C] → [B, H', W', F], as im2col: the k·k
 * shifted windows (a slice along H, then along W) are concatenated on the channel axis
 * ([B, H', W', k·k·C], ordered (dy, dx, c)), folded to rows and multiplied by the kernel `w` [k·k·C, F]
 * in one matmul, plus bias `b` [F]. Only pad / slice / concat / reshape / matmul, so both backends run
 * it and autodiff gives its gradient (the same construction as `conv1d`).
 *
 * @example const h = conv2d(b.scope('conv1'), images, { kernel: 3, filters: 16, activation: 'relu' }); // [B, 32, 32, 3] → [B, 32, 32, 16]
 */
export function conv2d(b: NetBuilder, x: Value, options: Conv2dOptions): Value {
  const g = b.graph;
  if (x.shape.length !== 4) throw AppError.invalid(`conv2d needs channels-last images [B, H, W, C], got [${x.shape}]`);
  const { kernel: k, filters } = options;
  if (!Number.isInteger(k) || k < 1) throw AppError.invalid(`conv2d kernel must be a positive integer, got ${k}`, { field: 'kernel' });
  if (!Number.isInteger(filters) || filters < 1) throw AppError.invalid(`conv2d filters must be a positive integer, got ${filters}`, { field: 'filters' });
  let input = x;
  if ((options.padding ?? 'same') === 'same' && k > 1) {
    const before = Math.floor((k - 1) / 2);
    const after = k - 1 - before;
    input = g.pad(x, [0, before, before, 0, 0, after, after, 0]);
  }
  const [batch, height, width, channels] = input.shape as [number, number, number, number];
  const outH = height - k + 1;
  const outW = width - k + 1;
  if (outH < 1 || outW < 1) throw AppError.invalid(`conv2d kernel ${k} does not fit an image of ${height} × ${width}`, { field: 'kernel' });
  let windows = input;
  if (k > 1) {
    const parts: Value[] = [];
    for (let dy = 0; dy < k; dy++) {
      const rows = g.slice(input, 1, dy, dy + outH);
      for (let dx = 0; dx < k; dx++) parts.push(g.slice(rows, 2, dx, dx + outW));
    }
    windows = g.concat(parts, 3);
  }
  const rows = g.reshape(windows, [batch * outH * outW, k * k * channels]);
  const w = b.param('w', [k * k * channels, filters], options.activation === 'relu' ? heNormal() : xavierUniform());
  const y = g.add(g.matmul(rows, w), b.param('b', [filters], zerosInit()));
  return activate(g, g.reshape(y, [batch, outH, outW, filters]), options.activation);
}

/**
 * 2 × 2 max pooling with stride 2: [B, H, W, C] → [B, H/2, W/2, C] (H and W even), as a reshape to
 * [B, H/2, 2, W/2, 2, C] and a max over the two window axes. The gradient goes to the arg-max of each
 * window (to every tied position, as `max` does).
 *
 * @example const pooled = maxPool2d(g, conv2d(b, x, { kernel: 3, filters: 16, activation: 'relu' }));
 */
export function maxPool2d(g: Graph, x: Value): Value {
  if (x.shape.length !== 4) throw AppError.invalid(`maxPool2d needs [B, H, W, C], got [${x.shape}]`);
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  if (height % 2 !== 0 || width % 2 !== 0) throw AppError.invalid(`maxPool2d needs an even height and width, got ${height} × ${width}`);
  const windows = g.reshape(x, [batch, height / 2, 2, width / 2, 2, channels]);
  return g.max(windows, [2, 4]);
}

/**
 * Global average pooling: [B, H, W, C] → [B, C], the mean of every channel over the image.
 *
 * @example const features = globalAvgPool2d(g, lastConv); // [B, 64]
 */
export function globalAvgPool2d(g: Graph, x: Value): Value {
  if (x.shape.length !== 4) throw AppError.invalid(`globalAvgPool2d needs [B, H, W, C], got [${x.shape}]`);
  return g.mean(x, [1, 2]);
}
