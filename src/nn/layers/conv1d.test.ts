import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { checkGradients } from './check-gradients.js';
import { conv1d, maxPoolTime, meanPoolTime } from './conv1d.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';

const TOLERANCE = 5e-3;

describe('conv1d', () => {
  it('matches a direct convolution loop', () => {
    const [B, L, E, W, F] = [2, 6, 3, 3, 4];
    const g = new Graph();
    const store = new ParamStore();
    const rng = new SeededRandom('conv');
    const y = conv1d(new NetBuilder(g, store, rng), g.input('x', [B, L, E]), { width: W, filters: F });
    expect(y.shape).toEqual([B, L - W + 1, F]);
    const x = Float32Array.from({ length: B * L * E }, () => rng.range(-1, 1));
    store.get('b').set([0.1, 0.2, 0.3, 0.4]);
    const [out] = new CpuExecutor(g, [y]).run({ x }, store.tensors());
    const w = store.get('w');
    for (let b = 0; b < B; b++) for (let t = 0; t <= L - W; t++) for (let f = 0; f < F; f++) {
      let s = store.get('b')[f]!;
      for (let k = 0; k < W; k++) for (let e = 0; e < E; e++) s += x[(b * L + t + k) * E + e]! * w[(k * E + e) * F + f]!;
      expect(out![(b * (L - W + 1) + t) * F + f]).toBeCloseTo(s, 5);
    }
  });

  it('same padding keeps the length', () => {
    const g = new Graph();
    const y = conv1d(new NetBuilder(g, new ParamStore(), new SeededRandom(1)), g.input('x', [2, 7, 3]), { width: 4, filters: 2, padding: 'same' });
    expect(y.shape).toEqual([2, 7, 2]);
  });

  it('gradients of conv + relu + max pooling match finite differences', () => {
    const { maxError, checked } = checkGradients('conv-max', (b) => maxPoolTime(b.graph, conv1d(b, b.graph.input('x', [2, 5, 3]), { width: 2, filters: 3, activation: 'relu' })), { epsilon: 1e-3 });
    expect(checked).toBe(18 + 3 + 30);
    expect(maxError).toBeLessThan(TOLERANCE);
  });

  it('gradients of conv + tanh + mean pooling (with and without a mask) match finite differences', () => {
    const mask = Float32Array.from([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
    for (const masked of [false, true]) {
      const { maxError } = checkGradients(`conv-mean-${masked}`, (b) => {
        const h = conv1d(b, b.graph.input('x', [2, 5, 3]), { width: 3, filters: 2, activation: 'tanh', padding: 'same' });
        return meanPoolTime(b.graph, h, masked ? b.graph.input('mask', [2, 5]) : undefined);
      }, { fixed: { mask } });
      expect(maxError).toBeLessThan(TOLERANCE);
    }
  });

  it('masked max pooling ignores padded steps and the mean divides by real steps', () => {
    const g = new Graph();
    const x = g.input('x', [1, 4, 1]);
    const m = g.input('mask', [1, 4]);
    const [mx, mean] = new CpuExecutor(g, [maxPoolTime(g, x, m), meanPoolTime(g, x, m)]).run({ x: Float32Array.from([-3, -2, 5, 7]), mask: Float32Array.from([1, 1, 0, 0]) }, {});
    expect([...mx!]).toEqual([-2]);
    expect(mean![0]).toBeCloseTo(-2.5, 6);
  });
});
