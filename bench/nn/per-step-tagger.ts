// Experiment for bench/nn/profile.ts: the BiGRU tagger with its embeddings fed as one [B, E] input per
// time step instead of one [B, L, E] input. The layer's GRU slices step t out of the projected inputs
// [B, L, 3H]; autodiff turns each slice's gradient into a Pad back to [B, L, 3H] plus an Add, so the
// backward pass moves O(L²·B·3H) floats. With per-step inputs (each projected by its own matmul) no
// step slices a [B, L, ·] tensor, which shows what accumulating slice gradients into one Concat in
// autodiff would save. Same maths and params as src/nn/models/bigru-tagger.ts (no mask).
import { SeededRandom } from '../../src/math/random.js';
import { Graph, type Value } from '../../src/nn/graph.js';
import { EmbeddingTable } from '../../src/nn/layers/embedding-table.js';
import { xavierUniform, zerosInit } from '../../src/nn/layers/init.js';
import { NetBuilder } from '../../src/nn/layers/net-builder.js';
import { ParamStore } from '../../src/nn/layers/param-store.js';
import { oneHot, taggerHeads, taggerLoss } from '../../src/nn/models/bigru-tagger.js';
import { GraphTrainer } from '../../src/nn/models/graph-trainer.js';
import type { Workload } from './workloads.js';

/** A GRU over per-step inputs xs[t] [B, E] (PyTorch gates, the layer's param names); returns per-step states [B, H]. */
function gruPerStep(b: NetBuilder, xs: Value[], units: number, reverse: boolean): Value[] {
  const g = b.graph;
  const [batch, features] = xs[0]!.shape as [number, number];
  const h = units;
  const wx = b.param('wx', [features, 3 * h], xavierUniform());
  const uh = b.param('uh', [h, 3 * h], xavierUniform());
  const bx = b.param('bx', [3 * h], zerosInit());
  const bh = b.param('bh', [3 * h], zerosInit());
  const states = new Array<Value>(xs.length);
  let state: Value | undefined;
  for (let i = 0; i < xs.length; i++) {
    const t = reverse ? xs.length - 1 - i : i;
    const xt = g.add(g.matmul(xs[t]!, wx), bx);
    const hp = state ? g.add(g.matmul(state, uh), bh) : g.broadcastTo(g.reshape(bh, [1, 3 * h]), [batch, 3 * h]);
    const r = g.sigmoid(g.add(g.slice(xt, 1, 0, h), g.slice(hp, 1, 0, h)));
    const z = g.sigmoid(g.add(g.slice(xt, 1, h, 2 * h), g.slice(hp, 1, h, 2 * h)));
    const n = g.tanh(g.add(g.slice(xt, 1, 2 * h, 3 * h), g.mul(r, g.slice(hp, 1, 2 * h, 3 * h))));
    const previous = state ?? g.constant(0, [batch, h]);
    state = g.add(n, g.mul(z, g.sub(previous, n)));
    states[t] = state;
  }
  return states;
}

export const perStepTagger: Workload = {
  name: 'bigru-attention-tagger',
  shapes: 'as bigru-attention-tagger, embeddings fed per time step (experiment)',
  build(backend, adam) {
    const [V, E, H, L, T, I, B] = [20000, 128, 128, 24, 70, 20, 64];
    const rng = new SeededRandom('bench-nn/tagger-per-step');
    const store = new ParamStore();
    const table = EmbeddingTable.create(store, 'embedding', V, E, rng, { paddingIndex: 0 });
    const g = new Graph();
    const b = new NetBuilder(g, store, rng, { training: true });
    const xs = Array.from({ length: L }, (_, t) => g.input(`embedding@${t}`, [B, E]));
    const fwd = gruPerStep(b.scope('encoder').scope('fwd'), xs, H, false);
    const bwd = gruPerStep(b.scope('encoder').scope('bwd'), xs, H, true);
    const states = g.concat(fwd.map((f, t) => g.reshape(g.concat([f, bwd[t]!], 1), [B, 1, 2 * H])), 1);
    const heads = taggerHeads(b, states, { tags: T, intents: I });
    const loss = taggerLoss(g, heads, g.input('tags', [B, L, T]), g.input('intents', [B, I]));
    const trainer = new GraphTrainer(g, loss, store, xs.map((input) => ({ input, table })), b.dropouts, rng, { executor: backend.train, adam });
    const draw = (n: number, to: number, from = 0) => Int32Array.from({ length: n }, () => from + rng.int(to - from));
    const batches = Array.from({ length: 4 }, () => {
      const ids = draw(B * L, V, 1);
      const columns = Object.fromEntries(xs.map((_, t) => [`embedding@${t}`, Int32Array.from({ length: B }, (_, k) => ids[k * L + t]!)]));
      return { columns, tags: oneHot(draw(B * L, T), T), intents: oneHot(draw(B, I), I) };
    });
    let i = 0;
    return {
      trainNodes: g.nodes.length,
      trainer,
      step: () => {
        const batch = batches[i++ % batches.length]!;
        return trainer.step({ tags: batch.tags, intents: batch.intents }, batch.columns);
      },
      infer: async () => undefined,
    };
  },
};
