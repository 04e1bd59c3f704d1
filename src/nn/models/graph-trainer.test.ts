import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { Graph } from '../graph.js';
import { dense } from '../layers/dense.js';
import { EmbeddingTable } from '../layers/embedding-table.js';
import { mse } from '../layers/losses.js';
import { NetBuilder } from '../layers/net-builder.js';
import { ParamStore } from '../layers/param-store.js';
import { cpuExecutor } from '../executor.js';
import { fillKeepMask, GraphTrainer } from './graph-trainer.js';

/** Two row inputs sharing one table, a dense layer, mse to a target. */
function setup(adam: 'ts' | 'graph') {
  const rng = new SeededRandom('trainer');
  const store = new ParamStore();
  const table = EmbeddingTable.create(store, 'emb', 10, 3, rng, { paddingIndex: 0 });
  const g = new Graph();
  const b = new NetBuilder(g, store, rng, { training: true });
  const a = table.input(g, [4]);
  const other = g.input('other', [4, 3]);
  const y = dense(b.scope('out'), g.concat([a, other], 1), { units: 2 });
  const loss = mse(g, y, g.input('target', [4, 2]));
  const trainer = new GraphTrainer(g, loss, store, [{ input: a, table }, { input: other, table }], b.dropouts, rng, { executor: cpuExecutor, lr: 0.05, adam });
  return { store, table, trainer };
}

describe('GraphTrainer', () => {
  it('takes the same steps with Adam in TS and Adam inside the graph; shared tables get one summed update', async () => {
    const target = Float32Array.from([1, 0, 0, 1, 1, 1, 0, 0]);
    const ids = { emb: [1, 2, 3, 2], other: [2, 4, 0, 5] };
    const ts = setup('ts');
    const inGraph = setup('graph');
    const losses: number[] = [];
    for (let step = 0; step < 5; step++) {
      const l = await ts.trainer.step({ target }, ids);
      expect(await inGraph.trainer.step({ target }, ids)).toBeCloseTo(l, 5);
      losses.push(l);
    }
    expect(losses[4]!).toBeLessThan(losses[0]!);
    for (const name of ts.store.names()) [...ts.store.get(name)].forEach((v, i) => expect(inGraph.store.get(name)[i]).toBeCloseTo(v, 5));
    expect([...ts.table.row(0)]).toEqual([0, 0, 0]);
    expect(ts.table.row(6).some((v) => v !== 0)).toBe(true); // untouched row keeps its init
    await expect(ts.trainer.step({ target }, { emb: ids.emb })).rejects.toThrow(/no ids for the embedding input other/);
  });

  it('fills dropout keep-masks of mean 1 that drop about `rate`, reproducibly from the generator', () => {
    const mask = fillKeepMask(new Float32Array(200_001), 0.2, new SeededRandom('mask'));
    const dropped = mask.filter((v) => v === 0).length / mask.length;
    expect(dropped).toBeGreaterThan(0.19);
    expect(dropped).toBeLessThan(0.21);
    expect(new Set(mask).size).toBe(2);
    expect(mask.reduce((a, b) => a + b, 0) / mask.length).toBeCloseTo(1, 1);
    expect([...fillKeepMask(new Float32Array(9), 0.5, new SeededRandom(7))]).toEqual([...fillKeepMask(new Float32Array(9), 0.5, new SeededRandom(7))]);
    expect([...fillKeepMask(new Float32Array(4), 0, new SeededRandom(7))]).toEqual([1, 1, 1, 1]);
  });
});
