import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { checkGradients } from './check-gradients.js';
import { dense } from './dense.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';
import { residual } from './residual.js';

const TOLERANCE = 5e-3;

describe('dense', () => {
  it('computes x·W + b', () => {
    const g = new Graph();
    const store = new ParamStore();
    const y = dense(new NetBuilder(g, store, new SeededRandom(1)), g.input('x', [2, 3]), { units: 2 });
    store.get('w').set([1, 2, 3, 4, 5, 6]);
    store.get('b').set([0.5, -1]);
    const [out] = new CpuExecutor(g, [y]).run({ x: Float32Array.from([1, 0, -1, 2, 1, 0]) }, store.tensors());
    expect([...out!]).toEqual([1 - 5 + 0.5, 2 - 6 - 1, 2 + 3 + 0.5, 4 + 4 - 1]);
  });

  it.each(['linear', 'tanh', 'sigmoid'] as const)('gradients match finite differences (%s)', (activation) => {
    const { maxError, checked } = checkGradients(`dense-${activation}`, (b) => dense(b, b.graph.input('x', [3, 4]), { units: 3, activation }));
    expect(checked).toBe(12 + 12 + 3);
    expect(maxError).toBeLessThan(TOLERANCE);
  });

  it('folds leading axes of a rank-3 input into rows', () => {
    const { maxError } = checkGradients('dense-3d', (b) => dense(b, b.graph.input('x', [2, 3, 4]), { units: 2, activation: 'tanh' }));
    expect(maxError).toBeLessThan(TOLERANCE);
  });

  it('a residual block with pre- and post-LayerNorm has correct gradients and keeps the shape', () => {
    for (const norm of ['pre', 'post'] as const) {
      const { maxError } = checkGradients(`residual-${norm}`, (b) => {
        const y = residual(b, b.graph.input('x', [2, 2, 4]), (s, x) => dense(s.scope('ff'), x, { units: 4, activation: 'tanh' }), { norm });
        expect(y.shape).toEqual([2, 2, 4]);
        return y;
      });
      expect(maxError).toBeLessThan(TOLERANCE);
    }
  });

  it('reuses the store params when a second graph is built over it, and rejects a shape clash', () => {
    const store = new ParamStore();
    const rng = new SeededRandom(3);
    const g1 = new Graph();
    dense(new NetBuilder(g1, store, rng).scope('d'), g1.input('x', [8, 4]), { units: 2 });
    const w = store.get('d/w');
    const g2 = new Graph();
    dense(new NetBuilder(g2, store, rng).scope('d'), g2.input('x', [1, 4]), { units: 2 });
    expect(store.get('d/w')).toBe(w);
    const g3 = new Graph();
    expect(() => dense(new NetBuilder(g3, store, rng).scope('d'), g3.input('x', [1, 5]), { units: 2 })).toThrow(/exists with shape \[4,2\]/);
  });
});
