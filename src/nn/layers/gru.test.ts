import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { checkGradients } from './check-gradients.js';
import { biGru, gru } from './gru.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';

const TOLERANCE = 5e-3;
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** A direct GRU step loop in float64 for one sequence (PyTorch gate equations). */
function referenceGru(x: Float32Array, steps: number, E: number, H: number, p: Map<string, Float32Array>): number[][] {
  const [wx, uh, bx, bh] = ['wx', 'uh', 'bx', 'bh'].map((n) => p.get(n)!) as [Float32Array, Float32Array, Float32Array, Float32Array];
  let h = new Array<number>(H).fill(0);
  const states: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const xp = Array.from({ length: 3 * H }, (_, j) => bx[j]! + Array.from({ length: E }, (_, e) => x[t * E + e]! * wx[e * 3 * H + j]!).reduce((a, b) => a + b, 0));
    const hp = Array.from({ length: 3 * H }, (_, j) => bh[j]! + h.reduce((a, hv, i) => a + hv * uh[i * 3 * H + j]!, 0));
    h = h.map((hv, j) => {
      const r = sigmoid(xp[j]! + hp[j]!);
      const z = sigmoid(xp[H + j]! + hp[H + j]!);
      const n = Math.tanh(xp[2 * H + j]! + r * hp[2 * H + j]!);
      return (1 - z) * n + z * hv;
    });
    states.push(h);
  }
  return states;
}

describe('gru', () => {
  it('matches a direct step loop, and a mask carries the state over padding with zero outputs', () => {
    const [B, L, E, H] = [2, 4, 3, 2];
    const rng = new SeededRandom('gru-forward');
    const g = new Graph();
    const store = new ParamStore();
    const b = new NetBuilder(g, store, rng);
    const { outputs, last } = gru(b, g.input('x', [B, L, E]), { units: H, mask: g.input('mask', [B, L]) });
    for (const name of ['bx', 'bh']) store.get(name).forEach((_, i, a) => (a[i] = rng.range(-0.5, 0.5)));
    const x = Float32Array.from({ length: B * L * E }, () => rng.range(-1, 1));
    const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0]);
    const [out, fin] = new CpuExecutor(g, [outputs, last]).run({ x, mask }, store.tensors());
    const full = referenceGru(x.subarray(0, L * E), L, E, H, store.tensors());
    const short = referenceGru(x.subarray(L * E), 2, E, H, store.tensors());
    for (let t = 0; t < L; t++) for (let j = 0; j < H; j++) {
      expect(out![t * H + j]).toBeCloseTo(full[t]![j]!, 5);
      expect(out![(L + t) * H + j]).toBeCloseTo(t < 2 ? short[t]![j]! : 0, 5);
    }
    for (let j = 0; j < H; j++) {
      expect(fin![j]).toBeCloseTo(full[L - 1]![j]!, 5);
      expect(fin![H + j]).toBeCloseTo(short[1]![j]!, 5);
    }
  });

  it.each([
    ['forward', false, false],
    ['reversed', true, false],
    ['forward with a padding mask', false, true],
    ['reversed with a padding mask', true, true],
  ])('gradients match finite differences: %s', (_name, reverse, masked) => {
    const { maxError, checked } = checkGradients(`gru-${reverse}-${masked}`, (b) => {
      const g = b.graph;
      const r = gru(b, g.input('x', [2, 4, 3]), { units: 3, reverse, mask: masked ? g.input('mask', [2, 4]) : undefined });
      return g.concat([g.reshape(r.outputs, [2, 12]), r.last], 1);
    }, { fixed: { mask: Float32Array.from([1, 1, 1, 0, 1, 1, 1, 1]) } });
    expect(checked).toBe(27 + 27 + 9 + 9 + 24);
    expect(maxError).toBeLessThan(TOLERANCE);
  });

  it('bidirectional GRU: shapes, gradients with a mask, and the backward half starts at the last real token', () => {
    const mask = Float32Array.from([1, 1, 0, 1, 1, 1]);
    const { maxError } = checkGradients('bigru', (b) => {
      const g = b.graph;
      const r = biGru(b, g.input('x', [2, 3, 2]), { units: 2, mask: g.input('mask', [2, 3]) });
      expect(r.outputs.shape).toEqual([2, 3, 4]);
      expect(r.last.shape).toEqual([2, 4]);
      return g.concat([g.reshape(r.outputs, [2, 12]), r.last], 1);
    }, { fixed: { mask } });
    expect(maxError).toBeLessThan(TOLERANCE);

    // Padding after the real tokens changes nothing the backward GRU reports for them.
    const g = new Graph();
    const store = new ParamStore();
    const r = biGru(new NetBuilder(g, store, new SeededRandom(5)), g.input('x', [1, 3, 2]), { units: 2, mask: g.input('mask', [1, 3]) });
    const run = new CpuExecutor(g, [r.outputs, r.last]);
    const a = run.run({ x: Float32Array.from([0.3, -0.2, 0.5, 0.9, 7, 7]), mask: Float32Array.from([1, 1, 0]) }, store.tensors());
    const c = run.run({ x: Float32Array.from([0.3, -0.2, 0.5, 0.9, -4, 2]), mask: Float32Array.from([1, 1, 0]) }, store.tensors());
    expect([...a[0]!]).toEqual([...c[0]!]);
    expect([...a[1]!]).toEqual([...c[1]!]);
  });
});
