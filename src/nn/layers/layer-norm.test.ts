import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { checkGradients } from './check-gradients.js';
import { dropout, dropoutFeeds } from './dropout.js';
import { layerNorm } from './layer-norm.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';

describe('layerNorm', () => {
  it('normalises each row to mean 0 and variance 1 before gain and bias', () => {
    const g = new Graph();
    const store = new ParamStore();
    const y = layerNorm(new NetBuilder(g, store, new SeededRandom(1)), g.input('x', [2, 4]));
    const [out] = new CpuExecutor(g, [y]).run({ x: Float32Array.from([1, 2, 3, 4, -10, 0, 10, 20]) }, store.tensors());
    for (let r = 0; r < 2; r++) {
      const row = [...out!.subarray(r * 4, r * 4 + 4)];
      const mean = row.reduce((a, b) => a + b, 0) / 4;
      expect(mean).toBeCloseTo(0, 5);
      expect(row.reduce((a, v) => a + (v - mean) ** 2, 0) / 4).toBeCloseTo(1, 3);
    }
  });

  it('gradients match finite differences', () => {
    const { maxError, checked } = checkGradients('layer-norm', (b) => layerNorm(b, b.graph.input('x', [2, 3, 5])));
    expect(checked).toBe(5 + 5 + 30);
    expect(maxError).toBeLessThan(5e-3);
  });
});

describe('dropout', () => {
  it('is the identity at inference and a scaled keep-mask input in training', () => {
    const store = new ParamStore();
    const rng = new SeededRandom('dropout');
    const gi = new Graph();
    const x = gi.input('x', [1000]);
    expect(dropout(new NetBuilder(gi, store, rng), x, 0.25)).toBe(x);

    const g = new Graph();
    const b = new NetBuilder(g, store, rng, { training: true });
    const y = dropout(b.scope('block'), g.input('x', [1000]), 0.25);
    expect(b.dropouts).toEqual([{ name: 'block/dropout_0', shape: [1000], rate: 0.25 }]);
    const feeds = dropoutFeeds(b.dropouts, rng);
    const [out] = new CpuExecutor(g, [y]).run({ x: new Float32Array(1000).fill(1), ...feeds }, {});
    const kept = out!.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    expect(kept.length).toBeGreaterThan(700);
    expect(kept.length).toBeLessThan(800);
    expect(() => dropout(b, y, 1)).toThrow(/rate/);
  });
});
