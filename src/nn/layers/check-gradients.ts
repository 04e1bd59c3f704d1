import { SeededRandom } from '../../math/random.js';
import { gradients } from '../autodiff.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph, type Value } from '../graph.js';
import { sizeOf } from '../shape.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';

export interface CheckGradientsOptions {
  /** Data for inputs that are held fixed (masks, labels); every other input is drawn and checked. */
  fixed?: Record<string, Float32Array>;
  /** Central-difference step (default 1e-2). */
  epsilon?: number;
  /** Redraw params U(−scale, scale) instead of their initialisers' values (default 0.5; 0 keeps them). */
  paramScale?: number;
}

/**
 * The layer-level counterpart of `gradCheck`: builds `build` with a `NetBuilder` over a fresh store,
 * takes the loss Σ(output ⊙ R) for a fixed random R (or the output itself when it is a scalar), and
 * compares the graph gradient w.r.t. every param and every non-fixed input with central differences on
 * the cpu backend. Error per element: |analytic − numeric| / max(1, |numeric|).
 *
 * @example checkGradients('dense', (b) => dense(b, b.graph.input('x', [2, 3]), { units: 4 })).maxError < 5e-3
 */
export function checkGradients(seed: string, build: (b: NetBuilder) => Value, options: CheckGradientsOptions = {}): { maxError: number; checked: number } {
  const rng = new SeededRandom(seed);
  const g = new Graph();
  const store = new ParamStore();
  const out = build(new NetBuilder(g, store, rng.fork('init')));
  const draw = rng.fork('data');
  const loss = out.shape.length === 0 ? out : g.sum(g.mul(out, g.constant(Float32Array.from({ length: sizeOf(out.shape) }, () => draw.range(-1, 1)), out.shape)), out.shape.map((_, i) => i));
  const fixed = options.fixed ?? {};
  const params = [...g.params()];
  const inputs = [...g.inputs()].filter(([name]) => !(name in fixed));
  const scale = options.paramScale ?? 0.5;
  const paramData: Record<string, Float32Array> = {};
  for (const [name] of params) {
    const data = store.get(name);
    if (scale > 0) for (let i = 0; i < data.length; i++) data[i] = draw.range(-scale, scale);
    paramData[name] = data;
  }
  const inputData: Record<string, Float32Array> = { ...fixed };
  for (const [name, id] of inputs) inputData[name] = Float32Array.from({ length: sizeOf(g.node(id).shape) }, () => draw.range(-1, 1));
  const wrt = [...params, ...inputs].map(([, id]) => ({ id, shape: g.node(id).shape }));
  const grads = gradients(g, loss, wrt);
  const analytic = new CpuExecutor(g, wrt.map((v) => grads.get(v.id)!)).run(inputData, paramData);
  const lossOnly = new CpuExecutor(g, [loss]);
  const eps = options.epsilon ?? 1e-2;
  let maxError = 0;
  let checked = 0;
  [...params, ...inputs].forEach(([name], k) => {
    const data = paramData[name] ?? inputData[name]!;
    for (let j = 0; j < data.length; j++) {
      const saved = data[j]!;
      data[j] = saved + eps;
      const plus = lossOnly.run(inputData, paramData)[0]![0]!;
      data[j] = saved - eps;
      const minus = lossOnly.run(inputData, paramData)[0]![0]!;
      data[j] = saved;
      const numeric = (plus - minus) / (2 * eps);
      maxError = Math.max(maxError, Math.abs(analytic[k]![j]! - numeric) / Math.max(1, Math.abs(numeric)));
      checked++;
    }
  });
  return { maxError, checked };
}
