import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { checkGradients } from './check-gradients.js';
import { crfLogPartition, crfParams } from './crf.js';
import { crfLogPartitionScaled, crfLossScaled } from './crf-scaled.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';

describe('scaled CRF forward algorithm', () => {
  it('equals the log-space log Z, with and without a mask, for large emissions too', () => {
    const [B, L, T] = [3, 5, 4];
    const rng = new SeededRandom('crf-scaled');
    const g = new Graph();
    const store = new ParamStore();
    const crf = crfParams(new NetBuilder(g, store, rng), T);
    for (const name of ['transitions', 'start', 'end']) store.get(name).forEach((_, i, a) => (a[i] = rng.range(-3, 3)));
    const e = g.input('e', [B, L, T]);
    const mask = g.input('mask', [B, L]);
    const outputs = [crfLogPartition(g, crf, e), crfLogPartitionScaled(g, crf, e), crfLogPartition(g, crf, e, mask), crfLogPartitionScaled(g, crf, e, mask)];
    const run = new CpuExecutor(g, outputs);
    for (const scale of [2, 60]) {
      const emissions = Float32Array.from({ length: B * L * T }, () => rng.range(-scale, scale));
      const m = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
      const [z, zs, zm, zms] = run.run({ e: emissions, mask: m }, store.tensors());
      for (let b = 0; b < B; b++) {
        expect(zs![b]).toBeCloseTo(z![b]!, 2);
        expect(zms![b]).toBeCloseTo(zm![b]!, 2);
      }
    }
  });

  it.each([['without a mask', false], ['with a mask', true]])('its NLL gradient matches finite differences %s', (_name, masked) => {
    const [B, L, T] = [2, 3, 3];
    const y = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]);
    const { maxError, checked } = checkGradients(`crf-scaled-${masked}`, (b) => {
      const g = b.graph;
      return crfLossScaled(g, crfParams(b, T), g.input('e', [B, L, T]), g.input('y', [B, L, T]), masked ? g.input('mask', [B, L]) : undefined);
    }, { fixed: { y, mask: Float32Array.from([1, 1, 1, 1, 0, 0]) }, paramScale: 1 });
    expect(checked).toBe(9 + 3 + 3 + B * L * T);
    expect(maxError).toBeLessThan(5e-3);
  });
});
