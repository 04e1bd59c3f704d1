import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { gradients } from '../autodiff.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { OnnxExecutor } from '../onnx/onnx-executor.js';
import { checkGradients } from './check-gradients.js';
import { conv2d, globalAvgPool2d, maxPool2d } from './conv2d.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';

const TOLERANCE = 5e-3;

/** The textbook loop: out[b, y, x, f] = bias[f] + Σ w[(dy·k + dx)·C + c, f] · in[b, y + dy − p, x + dx − p, c]. */
function directConv(x: Float32Array, [B, H, W, C]: [number, number, number, number], w: Float32Array, bias: Float32Array, k: number, F: number, pad: number): Float32Array {
  const outH = H + 2 * pad - k + 1;
  const outW = W + 2 * pad - k + 1;
  const out = new Float32Array(B * outH * outW * F);
  for (let b = 0; b < B; b++) for (let y = 0; y < outH; y++) for (let xx = 0; xx < outW; xx++) for (let f = 0; f < F; f++) {
    let s = bias[f]!;
    for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) {
      const sy = y + dy - pad;
      const sx = xx + dx - pad;
      if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
      for (let c = 0; c < C; c++) s += x[((b * H + sy) * W + sx) * C + c]! * w[((dy * k + dx) * C + c) * F + f]!;
    }
    out[((b * outH + y) * outW + xx) * F + f] = s;
  }
  return out;
}

describe('conv2d', () => {
  for (const padding of ['same', 'valid'] as const) {
    it(`matches a direct convolution loop (${padding} padding)`, () => {
      const [B, H, W, C, K, F] = [2, 5, 6, 3, 3, 4];
      const g = new Graph();
      const store = new ParamStore();
      const rng = new SeededRandom(`conv2d-${padding}`);
      const y = conv2d(new NetBuilder(g, store, rng), g.input('x', [B, H, W, C]), { kernel: K, filters: F, padding });
      const pad = padding === 'same' ? 1 : 0;
      expect(y.shape).toEqual([B, H + 2 * pad - K + 1, W + 2 * pad - K + 1, F]);
      const x = Float32Array.from({ length: B * H * W * C }, () => rng.range(-1, 1));
      store.get('b').set([0.1, -0.2, 0.3, 0.05]);
      const [out] = new CpuExecutor(g, [y]).run({ x }, store.tensors());
      const expected = directConv(x, [B, H, W, C], store.get('w'), store.get('b'), K, F, pad);
      expect(out!.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) expect(out![i]).toBeCloseTo(expected[i]!, 5);
    });
  }

  it('2×2 max pooling takes the max of each window; global average pooling the mean', () => {
    const g = new Graph();
    const x = g.input('x', [1, 2, 4, 1]);
    const [mx, mean] = new CpuExecutor(g, [maxPool2d(g, x), globalAvgPool2d(g, x)]).run({ x: Float32Array.from([1, 5, -1, -2, 3, 2, -3, -4]) }, {});
    expect([...mx!]).toEqual([5, -1]);
    expect(mean![0]).toBeCloseTo(1 / 8, 6);
  });

  it('rejects shapes it cannot convolve or pool', () => {
    const g = new Graph();
    const b = new NetBuilder(g, new ParamStore(), new SeededRandom(1));
    expect(() => conv2d(b, g.input('flat', [2, 3, 4]), { kernel: 3, filters: 2 })).toThrow(/channels-last/);
    expect(() => conv2d(b, g.input('tiny', [1, 2, 2, 1]), { kernel: 3, filters: 2, padding: 'valid' })).toThrow(/does not fit/);
    expect(() => maxPool2d(g, g.input('odd', [1, 3, 4, 1]))).toThrow(/even/);
  });

  it('gradients of conv + relu + max pool + conv + global average pool match finite differences (cpu)', () => {
    const { maxError, checked } = checkGradients('conv2d-stack', (b) => {
      const g = b.graph;
      const h = maxPool2d(g, conv2d(b.scope('c1'), g.input('x', [2, 4, 4, 2]), { kernel: 3, filters: 3, activation: 'relu' }));
      return globalAvgPool2d(g, conv2d(b.scope('c2'), h, { kernel: 2, filters: 2, activation: 'tanh', padding: 'same' }));
    }, { epsilon: 1e-3 });
    // c1: 3·3·2·3 + 3, c2: 2·2·3·2 + 2, x: 2·4·4·2
    expect(checked).toBe(54 + 3 + 24 + 2 + 64);
    expect(maxError).toBeLessThan(TOLERANCE);
  });

  it('the onnx backend computes the same forward pass and gradients as the cpu backend', async () => {
    const g = new Graph();
    const store = new ParamStore();
    const rng = new SeededRandom('conv2d-onnx');
    const b = new NetBuilder(g, store, rng);
    const x = g.input('x', [2, 6, 6, 3]);
    const h = maxPool2d(g, conv2d(b.scope('c1'), x, { kernel: 3, filters: 4, activation: 'relu' }));
    const out = globalAvgPool2d(g, conv2d(b.scope('c2'), h, { kernel: 3, filters: 5, activation: 'relu' }));
    const loss = g.sum(g.mul(out, out), [0, 1]);
    const params = [...g.params()].map(([, id]) => ({ id, shape: g.node(id).shape }));
    const grads = gradients(g, loss, params);
    const outputs = [loss, ...params.map((p) => grads.get(p.id)!)];
    const feed = { x: Float32Array.from({ length: 2 * 6 * 6 * 3 }, () => rng.range(-1, 1)) };
    const cpu = new CpuExecutor(g, outputs).run(feed, store.tensors());
    const onnx = await OnnxExecutor.create(g, outputs);
    const fast = await onnx.run(feed, store.tensors());
    await onnx.release();
    cpu.forEach((expected, i) => {
      for (let j = 0; j < expected.length; j++) expect(fast[i]![j]).toBeCloseTo(expected[j]!, 4);
    });
  });
});
