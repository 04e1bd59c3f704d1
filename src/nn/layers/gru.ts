import { AppError } from '../../core/errors.js';
import type { Value } from '../graph.js';
import { xavierUniform, zerosInit } from './init.js';
import type { NetBuilder } from './net-builder.js';

export interface GruOptions {
  units: number;
  /** Keep-mask [B, L] (1 = token, 0 = padding): at padded steps the state carries over and the output is 0. */
  mask?: Value;
  /** Runs from the last step to the first (the backward half of a bidirectional GRU). */
  reverse?: boolean;
}

export interface GruResult {
  /** Hidden state at every step, [B, L, H] (zeros at masked steps). */
  outputs: Value;
  /** State after the last step processed (the last real token with a mask), [B, H]. */
  last: Value;
}

/**
 * A GRU unrolled over the static length L of `x` [B, L, E] (gates as in PyTorch):
 * r = σ(x·Wr + br + h·Ur + cr), z = σ(x·Wz + bz + h·Uz + cz), n = tanh(x·Wn + bn + r ⊙ (h·Un + cn)),
 * h' = (1 − z) ⊙ n + z ⊙ h. The input projections of all steps are one matmul. Params: `wx` [E, 3H],
 * `uh` [H, 3H], `bx` [3H], `bh` [3H] (gate order r, z, n).
 *
 * @example const { outputs, last } = gru(b.scope('gru'), emb, { units: 64, mask });
 */
export function gru(b: NetBuilder, x: Value, options: GruOptions): GruResult {
  const g = b.graph;
  if (x.shape.length !== 3) throw AppError.invalid(`gru needs [B, L, E], got [${x.shape}]`);
  const [batch, length, features] = x.shape as [number, number, number];
  const h = options.units;
  const { mask } = options;
  if (mask && (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== length)) throw AppError.invalid(`gru mask must be [${batch}, ${length}], got [${mask.shape}]`);
  const wx = b.param('wx', [features, 3 * h], xavierUniform());
  const uh = b.param('uh', [h, 3 * h], xavierUniform());
  const bx = b.param('bx', [3 * h], zerosInit());
  const bh = b.param('bh', [3 * h], zerosInit());
  const projected = g.reshape(g.add(g.matmul(g.reshape(x, [batch * length, features]), wx), bx), [batch, length, 3 * h]);
  const outputs = new Array<Value>(length);
  let state: Value | undefined;
  for (let i = 0; i < length; i++) {
    const t = options.reverse ? length - 1 - i : i;
    const xt = g.reshape(g.slice(projected, 1, t, t + 1), [batch, 3 * h]);
    // With a zero initial state h·U vanishes: the recurrent part is the bias alone.
    const hp = state ? g.add(g.matmul(state, uh), bh) : g.broadcastTo(g.reshape(bh, [1, 3 * h]), [batch, 3 * h]);
    const r = g.sigmoid(g.add(g.slice(xt, 1, 0, h), g.slice(hp, 1, 0, h)));
    const z = g.sigmoid(g.add(g.slice(xt, 1, h, 2 * h), g.slice(hp, 1, h, 2 * h)));
    const n = g.tanh(g.add(g.slice(xt, 1, 2 * h, 3 * h), g.mul(r, g.slice(hp, 1, 2 * h, 3 * h))));
    const previous = state ?? g.constant(0, [batch, h]);
    let next = g.add(n, g.mul(z, g.sub(previous, n)));
    let out = next;
    if (mask) {
      const m = g.reshape(g.slice(mask, 1, t, t + 1), [batch, 1]);
      next = g.add(previous, g.mul(m, g.sub(next, previous)));
      out = g.mul(next, m);
    }
    state = next;
    outputs[t] = g.reshape(out, [batch, 1, h]);
  }
  return { outputs: length === 1 ? outputs[0]! : g.concat(outputs, 1), last: state! };
}

/**
 * A bidirectional GRU: a forward GRU (scope `fwd`) and a reversed one (scope `bwd`) over `x`; outputs
 * are concatenated per step ([B, L, 2H]) and so are the final states ([B, 2H]: forward after the last
 * real token, backward after the first).
 *
 * @example const { outputs } = biGru(b.scope('encoder'), emb, { units: 64, mask }); // [B, L, 128]
 */
export function biGru(b: NetBuilder, x: Value, options: Omit<GruOptions, 'reverse'>): GruResult {
  const g = b.graph;
  const forward = gru(b.scope('fwd'), x, { ...options, reverse: false });
  const backward = gru(b.scope('bwd'), x, { ...options, reverse: true });
  return { outputs: g.concat([forward.outputs, backward.outputs], 2), last: g.concat([forward.last, backward.last], 1) };
}
