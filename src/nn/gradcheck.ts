import type { SeededRandom } from '../math/random.js';
import { gradients } from './autodiff.js';
import { CpuExecutor } from './cpu/cpu-executor.js';
import { Graph, type Value } from './graph.js';
import { sizeOf, type Shape } from './shape.js';

export interface GradCheckResult {
  /** Largest |analytic − numeric| / max(1, |numeric|) over every checked element. */
  maxError: number;
  checked: number;
}

/**
 * Checks the graph gradient of `build` against central finite differences on the cpu backend.
 * `build` receives one param per shape; the scalar loss is Σ(output ⊙ R) with a fixed random R, so
 * every output element's gradient is exercised. `positive` draws params in (0.5, 1.5) (for log, sqrt).
 *
 * @example gradCheck(rng, [[3, 4], [4, 2]], (g, [a, b]) => g.matmul(a, b)).maxError < 1e-2
 */
export function gradCheck(rng: SeededRandom, shapes: Shape[], build: (g: Graph, params: Value[]) => Value, options: { positive?: boolean; epsilon?: number } = {}): GradCheckResult {
  const { g, params, loss, grads, values } = checkGraph(rng, shapes, build, options);
  const analytic = new CpuExecutor(g, params.map((p) => grads.get(p.id)!)).run({}, values);
  const lossOnly = new CpuExecutor(g, [loss]);
  const eps = options.epsilon ?? 1e-2;
  let maxError = 0;
  let checked = 0;
  params.forEach((_, i) => {
    const data = values[`p${i}`]!;
    for (let j = 0; j < data.length; j++) {
      const saved = data[j]!;
      data[j] = saved + eps;
      const plus = lossOnly.run({}, values)[0]![0]!;
      data[j] = saved - eps;
      const minus = lossOnly.run({}, values)[0]![0]!;
      data[j] = saved;
      const numeric = (plus - minus) / (2 * eps);
      maxError = Math.max(maxError, Math.abs(analytic[i]![j]! - numeric) / Math.max(1, Math.abs(numeric)));
      checked++;
    }
  });
  return { maxError, checked };
}

export interface CheckGraph {
  g: Graph;
  params: Value[];
  out: Value;
  /** Σ(out ⊙ R) for a fixed random R. */
  loss: Value;
  grads: Map<number, Value>;
  /** Random param values `p0`, `p1`, … (in (0.5, 1.5) when positive, else (−1, 1)). */
  values: Record<string, Float32Array>;
}

/**
 * The gradient-check construction shared by the finite-difference check and the cross-backend suite:
 * one param per shape, the built output, a scalar loss exercising every output element, its gradients.
 *
 * @example const { g, loss, grads, values } = checkGraph(rng, [[2, 3]], (g, [a]) => g.tanh(a!));
 */
export function checkGraph(rng: SeededRandom, shapes: Shape[], build: (g: Graph, params: Value[]) => Value, options: { positive?: boolean } = {}): CheckGraph {
  const g = new Graph();
  const params = shapes.map((s, i) => g.param(`p${i}`, s));
  const out = build(g, params);
  const weights = Float32Array.from({ length: sizeOf(out.shape) }, () => rng.range(-1, 1));
  const loss = g.sum(g.mul(out, g.constant(weights, out.shape)), out.shape.map((_, i) => i));
  const grads = gradients(g, loss, params);
  const values = Object.fromEntries(shapes.map((s, i) => [`p${i}`, Float32Array.from({ length: sizeOf(s) }, () => (options.positive ? rng.range(0.5, 1.5) : rng.range(-1, 1)))]));
  return { g, params, out, loss, grads, values };
}
