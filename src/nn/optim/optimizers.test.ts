import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { gradients } from '../autodiff.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { dense } from '../layers/dense.js';
import { EmbeddingTable } from '../layers/embedding-table.js';
import { binaryCrossEntropy } from '../layers/losses.js';
import { NetBuilder } from '../layers/net-builder.js';
import { ParamStore } from '../layers/param-store.js';
import { Adam, AdamW } from './adam.js';
import { Sgd, type Optimizer } from './optimizer.js';
import { SparseAdagrad, SparseAdam } from './sparse.js';

/** f(p) = Σ cᵢ (pᵢ − tᵢ)², an ill-conditioned quadratic, and its gradient. */
const c = Float32Array.from([1, 10, 0.5, 4]);
const target = Float32Array.from([1, -2, 3, 0.5]);
const quadratic = (p: Float32Array) => p.reduce((s, v, i) => s + c[i]! * (v - target[i]!) ** 2, 0);
const quadraticGrad = (p: Float32Array) => p.map((v, i) => 2 * c[i]! * (v - target[i]!));

const dense_: [string, () => Optimizer][] = [
  ['SGD', () => new Sgd({ lr: 0.04 })],
  ['SGD with momentum', () => new Sgd({ lr: 0.02, momentum: 0.9 })],
  ['SGD with Nesterov momentum', () => new Sgd({ lr: 0.02, momentum: 0.9, nesterov: true })],
  ['Adam', () => new Adam({ lr: 0.05 })],
  ['AdamW', () => new AdamW({ lr: 0.05, weightDecay: 1e-4 })],
];

const logistic_: [string, () => Optimizer][] = [
  ['SGD', () => new Sgd({ lr: 0.5 })],
  ['SGD with momentum', () => new Sgd({ lr: 0.1, momentum: 0.9 })],
  ['SGD with Nesterov momentum', () => new Sgd({ lr: 0.1, momentum: 0.9, nesterov: true })],
  ['Adam', () => new Adam({ lr: 0.05 })],
  ['AdamW', () => new AdamW({ lr: 0.05 })],
];

describe('dense optimizers', () => {
  it.each(dense_)('%s minimises a quadratic', (_name, make) => {
    const opt = make();
    const p = new Float32Array(4);
    const start = quadratic(p);
    for (let i = 0; i < 300; i++) opt.step({ p }, { p: quadraticGrad(p) });
    expect(opt.steps).toBe(300);
    expect(quadratic(p)).toBeLessThan(start * 1e-3);
  });

  it.each(logistic_)('%s fits a logistic regression built as a graph', (_name, make) => {
    const rng = new SeededRandom('logistic');
    const [N, D] = [64, 3];
    const trueW = [2, -1, 0.5];
    const x = Float32Array.from({ length: N * D }, () => rng.normal());
    const y = Float32Array.from({ length: N }, (_, n) => (trueW.reduce((s, w, d) => s + w * x[n * D + d]!, 0) > 0 ? 1 : 0));
    const g = new Graph();
    const store = new ParamStore();
    const logits = dense(new NetBuilder(g, store, rng), g.input('x', [N, D]), { units: 1 });
    const loss = binaryCrossEntropy(g, logits, g.input('y', [N, 1]));
    const names = [...g.params().keys()];
    const grads = gradients(g, loss, names.map((n) => ({ id: g.params().get(n)!, shape: store.shape(n) })));
    const run = new CpuExecutor(g, [loss, ...[...grads.values()]]);
    const opt = make();
    const first = run.run({ x, y }, store.tensors())[0]![0]!;
    let last = first;
    for (let i = 0; i < 200; i++) {
      const [l, ...gs] = run.run({ x, y }, store.tensors());
      last = l![0]!;
      opt.step(store.tensors(names), new Map(names.map((n, k) => [n, gs[k]!])));
    }
    expect(last).toBeLessThan(first * 0.5);
    expect(last).toBeLessThan(0.25);
  });

  it('AdamW decays the weights apart from the moments; Adam’s L2 term goes through them', () => {
    const zero = { p: new Float32Array(1) };
    const w = { p: Float32Array.from([1]) };
    const adamw = new AdamW({ lr: 0.1, weightDecay: 0.5 });
    for (let i = 0; i < 3; i++) adamw.step(w, zero);
    expect(w.p[0]).toBeCloseTo(0.95 ** 3, 6);
    const l2 = { p: Float32Array.from([1]) };
    new Adam({ lr: 0.1, weightDecay: 0.5 }).step(l2, { p: new Float32Array(1) });
    expect(l2.p[0]).toBeCloseTo(0.9, 5); // the normalised step of a pure decay gradient: lr·sign
    const spared = { b: Float32Array.from([1]) };
    new AdamW({ lr: 0.1, weightDecay: 0.5, decays: (n) => n !== 'b' }).step(spared, { b: new Float32Array(1) });
    expect(spared.b[0]).toBe(1);
  });

  it('rejects a missing or mis-sized gradient', () => {
    expect(() => new Adam({ lr: 0.1 }).step({ w: new Float32Array(2) }, {})).toThrow(/no gradient for param w/);
    expect(() => new Sgd({ lr: 0.1 }).step({ w: new Float32Array(2) }, { w: new Float32Array(3) })).toThrow(/3 values, the param 2/);
  });
});

describe('sparse optimizers', () => {
  it.each([
    ['SparseAdagrad', () => new SparseAdagrad({ lr: 0.5 })],
    ['SparseAdam', () => new SparseAdam({ lr: 0.05 })],
  ])('%s updates only the given rows and minimises a per-row quadratic', (_name, make) => {
    const store = new ParamStore();
    const table = EmbeddingTable.create(store, 'emb', 50, 4, new SeededRandom(9), { paddingIndex: 0 });
    const before = table.data.slice();
    const opt = make();
    const ids = [3, 17, 0, 3, 42];
    const rowTarget = (row: number, j: number) => (row % 5) - j;
    const loss = () => [3, 17, 42].reduce((s, row) => s + [0, 1, 2, 3].reduce((a, j) => a + (table.data[row * 4 + j]! - rowTarget(row, j)) ** 2, 0), 0);
    const start = loss();
    for (let step = 0; step < 300; step++) {
      const x = table.gather(ids);
      const grad = x.map((v, i) => {
        const n = Math.floor(i / 4);
        return 2 * (v - rowTarget(ids[n]!, i % 4)) / 2; // row 3 appears twice: its summed gradient is the full one
      });
      opt.step(table, table.scatterGrad(ids, grad));
    }
    expect(loss()).toBeLessThan(start * 1e-3);
    for (let row = 0; row < 50; row++) {
      if (row === 3 || row === 17 || row === 42) continue;
      expect(table.data.subarray(row * 4, row * 4 + 4)).toEqual(before.subarray(row * 4, row * 4 + 4));
    }
    expect([...table.row(0)]).toEqual([0, 0, 0, 0]);
  });

  it('rejects rows outside the table', () => {
    const table = { name: 't', dim: 2, data: new Float32Array(4) };
    expect(() => new SparseAdam({ lr: 0.1 }).step(table, { rows: Int32Array.from([2]), grad: new Float32Array(2) })).toThrow(/row 2 of 2/);
  });
});
