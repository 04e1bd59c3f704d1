import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { checkGradients } from './check-gradients.js';
import { fusedBiGru } from './fused-bigru.js';
import { biGru } from './gru.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';

describe('fusedBiGru', () => {
  it('computes what biGru computes with the same weights, masked and not', () => {
    const [B, L, E, H] = [2, 4, 3, 5];
    const rng = new SeededRandom('fused-bigru');
    const g = new Graph();
    const store = new ParamStore();
    const b = new NetBuilder(g, store, rng);
    const x = g.input('x', [B, L, E]);
    const mask = g.input('mask', [B, L]);
    const reference = [biGru(b.scope('ref'), x, { units: H }).outputs, biGru(b.scope('refm'), x, { units: H, mask }).outputs];
    const fused = [fusedBiGru(b.scope('fused'), x, { units: H }), fusedBiGru(b.scope('fusedm'), x, { units: H, mask })];
    for (const name of store.names()) store.get(name).forEach((_, i, a) => (a[i] = rng.range(-0.5, 0.5)));
    // Copy the reference weights into the fused layout: direction d of wx [2, E, 3H] is fwd / bwd wx [E, 3H].
    for (const [ref, fu] of [['ref', 'fused'], ['refm', 'fusedm']] as const) {
      ['fwd', 'bwd'].forEach((dir, d) => {
        for (const p of ['wx', 'uh', 'bx', 'bh']) {
          const src = store.get(`${ref}/${dir}/${p}`);
          store.get(`${fu}/${p}`).set(src, d * src.length);
        }
      });
    }
    const data = { x: Float32Array.from({ length: B * L * E }, () => rng.range(-1, 1)), mask: Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0]) };
    const [r, rm, f, fm] = new CpuExecutor(g, [...reference, ...fused]).run(data, store.tensors());
    expect(f!.length).toBe(B * L * 2 * H);
    f!.forEach((v, i) => expect(v).toBeCloseTo(r![i]!, 5));
    fm!.forEach((v, i) => expect(v).toBeCloseTo(rm![i]!, 5));
  });

  it('has the gradients of finite differences', () => {
    const { maxError, checked } = checkGradients('fused-bigru-grad', (b) => fusedBiGru(b, b.graph.input('x', [2, 3, 2]), { units: 2, mask: b.graph.input('mask', [2, 3]) }), {
      fixed: { mask: Float32Array.from([1, 1, 1, 1, 0, 0]) },
    });
    expect(checked).toBeGreaterThan(0);
    expect(maxError).toBeLessThan(5e-3);
  });
});
