import { AppError } from '../../core/errors.js';
import type { Graph, Value } from '../graph.js';
import { xavierUniform, zerosInit } from './init.js';
import type { NetBuilder } from './net-builder.js';

/**
 * `x` [B, L, …] with its time axis (1) reversed: L slices and one concat, built once.
 *
 * @example const backwards = reverseTime(g, emb);
 */
export function reverseTime(g: Graph, x: Value): Value {
  const length = x.shape[1]!;
  if (length === 1) return x;
  return g.concat(Array.from({ length }, (_, i) => g.slice(x, 1, length - 1 - i, length - i)), 1);
}

/**
 * A bidirectional GRU whose two directions run as one: the forward GRU over `x` and the backward GRU
 * over `x` reversed in time are stacked on a leading axis of 2, so every step is one batched matmul
 * [2, B, H] · [2, H, 3H] and one set of gate ops for both directions — about half the graph nodes of
 * `biGru` (what an unrolled graph's run time mostly depends on), with the same maths (PyTorch gates,
 * keep-mask [B, L]: the state carries over padding and the output is 0 there). Params: `wx` [2, E, 3H],
 * `uh` [2, H, 3H], `bx` and `bh` [2, 1, 3H] (index 0 forward, 1 backward; gate order r, z, n).
 * Returns the per-step outputs [B, L, 2H], forward half first, as `biGru`.
 *
 * @example const states = fusedBiGru(b.scope('encoder'), emb, { units: 128, mask }); // [B, L, 256]
 */
export function fusedBiGru(b: NetBuilder, x: Value, options: { units: number; mask?: Value }): Value {
  const g = b.graph;
  if (x.shape.length !== 3) throw AppError.invalid(`fusedBiGru needs [B, L, E], got [${x.shape}]`);
  const [batch, length, features] = x.shape as [number, number, number];
  const h = options.units;
  const { mask } = options;
  if (mask && (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== length)) throw AppError.invalid(`fusedBiGru mask must be [${batch}, ${length}], got [${mask.shape}]`);
  const wx = b.param('wx', [2, features, 3 * h], xavierUniform());
  const uh = b.param('uh', [2, h, 3 * h], xavierUniform());
  const bx = b.param('bx', [2, 1, 3 * h], zerosInit());
  const bh = b.param('bh', [2, 1, 3 * h], zerosInit());
  const rows = batch * length;
  const both = g.concat([g.reshape(x, [1, rows, features]), g.reshape(reverseTime(g, x), [1, rows, features])], 0);
  const projected = g.reshape(g.add(g.matmul(both, wx), bx), [2, batch, length, 3 * h]);
  const masks = mask ? g.reshape(g.concat([g.reshape(mask, [1, batch, length]), g.reshape(reverseTime(g, mask), [1, batch, length])], 0), [2, batch, length, 1]) : undefined;
  const outputs = new Array<Value>(length);
  let state: Value | undefined;
  for (let t = 0; t < length; t++) {
    const xt = g.reshape(g.slice(projected, 2, t, t + 1), [2, batch, 3 * h]);
    const hp = state ? g.add(g.matmul(state, uh), bh) : g.broadcastTo(bh, [2, batch, 3 * h]);
    const rz = g.sigmoid(g.add(g.slice(xt, 2, 0, 2 * h), g.slice(hp, 2, 0, 2 * h)));
    const r = g.slice(rz, 2, 0, h);
    const z = g.slice(rz, 2, h, 2 * h);
    const n = g.tanh(g.add(g.slice(xt, 2, 2 * h, 3 * h), g.mul(r, g.slice(hp, 2, 2 * h, 3 * h))));
    const previous = state ?? g.constant(0, [2, batch, h]);
    let next = g.add(n, g.mul(z, g.sub(previous, n)));
    let out = next;
    if (masks) {
      const m = g.reshape(g.slice(masks, 2, t, t + 1), [2, batch, 1]);
      next = g.add(previous, g.mul(m, g.sub(next, previous)));
      out = g.mul(next, m);
    }
    state = next;
    outputs[t] = g.reshape(out, [2, batch, 1, h]);
  }
  const all = length === 1 ? outputs[0]! : g.concat(outputs, 2); // [2, B, L, H]; direction 1 in reversed time
  const forward = g.reshape(g.slice(all, 0, 0, 1), [batch, length, h]);
  const backward = reverseTime(g, g.reshape(g.slice(all, 0, 1, 2), [batch, length, h]));
  return g.concat([forward, backward], 2);
}
