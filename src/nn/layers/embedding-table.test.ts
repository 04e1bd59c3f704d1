import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { gradients } from '../autodiff.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { EmbeddingTable } from './embedding-table.js';
import { ParamStore } from './param-store.js';

describe('EmbeddingTable', () => {
  it('gathers rows (the padding row as zeros) and scatters summed gradients, skipping padding', () => {
    const store = new ParamStore();
    const table = EmbeddingTable.create(store, 'emb', 10, 3, new SeededRandom(1), { paddingIndex: 0 });
    expect([...table.row(0)]).toEqual([0, 0, 0]);
    expect(store.get('emb')).toBe(table.data);
    const ids = [4, 0, 4, 7];
    const x = table.gather(ids);
    expect([...x.subarray(0, 3)]).toEqual([...table.row(4)]);
    expect([...x.subarray(3, 6)]).toEqual([0, 0, 0]);
    const grad = Float32Array.from([1, 2, 3, 9, 9, 9, 10, 20, 30, -1, -2, -3]);
    const sparse = table.scatterGrad(ids, grad);
    expect([...sparse.rows]).toEqual([4, 7]);
    expect([...sparse.grad]).toEqual([11, 22, 33, -1, -2, -3]);
    expect(() => table.gather([10])).toThrow(/id 10 outside vocabulary of 10/);
  });

  it('the graph gradient w.r.t. the gathered input, scattered, is the gradient w.r.t. the table', () => {
    const store = new ParamStore();
    const rng = new SeededRandom(2);
    const table = EmbeddingTable.create(store, 'emb', 6, 2, rng);
    const ids = [1, 3, 1, 5];
    const g = new Graph();
    const emb = table.input(g, [2, 2]);
    const w = g.constant(Float32Array.from([1, -2]), [2, 1]);
    const y = g.matmul(g.reshape(emb, [4, 2]), w);
    const loss = g.sum(g.mul(y, y), [0, 1]);
    const run = new CpuExecutor(g, [loss, gradients(g, loss, [emb]).get(emb.id)!]);
    const [, dx] = run.run({ emb: table.gather(ids) }, {});
    const sparse = table.scatterGrad(ids, dx!);
    // Finite differences on the table itself.
    const eps = 1e-2;
    sparse.rows.forEach((row, r) => {
      for (let j = 0; j < 2; j++) {
        const saved = table.data[row * 2 + j]!;
        table.data[row * 2 + j] = saved + eps;
        const plus = run.run({ emb: table.gather(ids) }, {})[0]![0]!;
        table.data[row * 2 + j] = saved - eps;
        const minus = run.run({ emb: table.gather(ids) }, {})[0]![0]!;
        table.data[row * 2 + j] = saved;
        expect(sparse.grad[r * 2 + j]).toBeCloseTo((plus - minus) / (2 * eps), 2);
      }
    });
  });
});
