import { AppError } from '../../core/errors.js';
import type { Graph, Value } from '../graph.js';
import { dense } from './dense.js';
import type { NetBuilder } from './net-builder.js';

/** The additive score of a masked position: exp(score − 1e9 − max) is exactly 0 in float32. */
export const MASKED = -1e9;

export interface AttentionOptions {
  heads: number;
  /** Keep-mask [B, L] (1 = token, 0 = padding): no query attends to a padded key. */
  mask?: Value;
  /** Step i attends only to steps ≤ i. */
  causal?: boolean;
  /** Any further additive score bias broadcastable to [B, heads, L, L] (0 = keep, MASKED = drop). */
  bias?: Value;
}

export interface AttentionResult {
  /** [B, L, D] */
  output: Value;
  /** Attention weights [B, heads, L, L] (rows sum to 1; masked keys get exactly 0). */
  weights: Value;
}

/**
 * Multi-head scaled dot-product self-attention over `x` [B, L, D]: Q, K, V projections (scopes q, k, v),
 * softmax(Q·Kᵀ / √d_k + masks) per head, the heads concatenated and projected (scope o). Masks are
 * additive: a keep-mask becomes (m − 1)·1e9 on the key axis, causality a constant upper triangle of −1e9.
 *
 * @example const { output } = selfAttention(b.scope('attn'), h, { heads: 4, mask, causal: true });
 */
export function selfAttention(b: NetBuilder, x: Value, options: AttentionOptions): AttentionResult {
  const g = b.graph;
  if (x.shape.length !== 3) throw AppError.invalid(`selfAttention needs [B, L, D], got [${x.shape}]`);
  const [batch, length, dim] = x.shape as [number, number, number];
  const { heads } = options;
  if (!Number.isInteger(heads) || heads < 1 || dim % heads !== 0) throw AppError.invalid(`model width ${dim} does not split into ${heads} heads`);
  const dk = dim / heads;
  const split = (v: Value) => g.transpose(g.reshape(v, [batch, length, heads, dk]), [0, 2, 1, 3]);
  const q = split(dense(b.scope('q'), x, { units: dim }));
  const k = split(dense(b.scope('k'), x, { units: dim }));
  const v = split(dense(b.scope('v'), x, { units: dim }));
  let scores = g.mul(g.matmul(q, g.transposeLast(k)), g.constant(1 / Math.sqrt(dk)));
  if (options.mask) scores = g.add(scores, paddingBias(g, options.mask, batch, length));
  if (options.causal) scores = g.add(scores, causalBias(g, length));
  if (options.bias) scores = g.add(scores, options.bias);
  const weights = g.softmax(scores, -1);
  const context = g.reshape(g.transpose(g.matmul(weights, v), [0, 2, 1, 3]), [batch, length, dim]);
  return { output: dense(b.scope('o'), context, { units: dim }), weights };
}

/**
 * The additive key mask [B, 1, 1, L] of a keep-mask [B, L]: 0 on tokens, −1e9 on padding.
 *
 * @example g.add(scores, paddingBias(g, mask, 64, 24))
 */
export function paddingBias(g: Graph, mask: Value, batch: number, length: number): Value {
  if (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== length) throw AppError.invalid(`attention mask must be [${batch}, ${length}], got [${mask.shape}]`);
  return g.mul(g.sub(g.reshape(mask, [batch, 1, 1, length]), g.constant(1)), g.constant(-MASKED));
}

/**
 * The constant causal mask [L, L]: 0 on and below the diagonal, −1e9 above.
 *
 * @example g.add(scores, causalBias(g, 24))
 */
export function causalBias(g: Graph, length: number): Value {
  const data = new Float32Array(length * length);
  for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) data[i * length + j] = MASKED;
  return g.constant(data, [length, length]);
}
