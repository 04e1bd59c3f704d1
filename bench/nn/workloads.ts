// The three workloads of bench/nn.ts, with the shapes of ../shared/peers/torch_nn_bench.py. Each builds
// its training step and its batch-1 inference graph once on a given backend, and pre-draws a few random
// batches (the peer draws one per step with torch.randint; we keep our RNG out of the timed loop).
import { SeededRandom } from '../../src/math/random.js';
import { Graph } from '../../src/nn/graph.js';
import { conv1d, maxPoolTime } from '../../src/nn/layers/conv1d.js';
import { dense } from '../../src/nn/layers/dense.js';
import { EmbeddingTable } from '../../src/nn/layers/embedding-table.js';
import { softmaxCrossEntropy } from '../../src/nn/layers/losses.js';
import { NetBuilder } from '../../src/nn/layers/net-builder.js';
import { ParamStore } from '../../src/nn/layers/param-store.js';
import { BiGruTagger, oneHot } from '../../src/nn/models/bigru-tagger.js';
import { GraphTrainer, type GraphTrainerOptions } from '../../src/nn/models/graph-trainer.js';
import { Sasrec } from '../../src/nn/models/sasrec.js';
import type { ExecutorFactory } from '../../src/nn/executor.js';

export type WorkloadName = 'text-cnn' | 'bigru-attention-tagger' | 'sasrec';

/** A workload built on one backend: one training step on the next pre-drawn batch, one single-request inference. */
export interface BuiltWorkload {
  step(): Promise<number>;
  infer(): Promise<unknown>;
  /** Nodes of the training graph (forward + backward [+ update]). */
  trainNodes: number;
  /** The workload's trainer (for its per-phase timing). */
  trainer: GraphTrainer;
}

/** Executors for the training step and for the batch-1 inference graph (they may differ, e.g. in threads). */
export interface Backend {
  train: ExecutorFactory;
  infer: ExecutorFactory;
}

export interface Workload {
  name: WorkloadName;
  shapes: string;
  build(backend: Backend, adam: GraphTrainerOptions['adam']): BuiltWorkload;
}

const POOL = 4;
const ids = (rng: SeededRandom, n: number, from: number, to: number) => Int32Array.from({ length: n }, () => from + rng.int(to - from));
const cycle = <T>(items: T[]) => {
  let i = 0;
  return () => items[i++ % items.length]!;
};

/** (a) Kim's text CNN, the layers of src/nn/train/text-cnn.ts, trained through GraphTrainer. */
const textCnn: Workload = {
  name: 'text-cnn',
  shapes: 'vocab 20k, emb 128, widths 3/4/5 × 128 filters, 20 classes, batch 64, length 24',
  build(backend, adam) {
    const [V, E, F, C, B, L] = [20000, 128, 128, 20, 64, 24];
    const rng = new SeededRandom('bench-nn/text-cnn');
    const store = new ParamStore();
    const table = EmbeddingTable.create(store, 'embedding', V, E, rng, { paddingIndex: 0 });
    const network = (b: NetBuilder, rows: number) => {
      const g = b.graph;
      const emb = table.input(g, [rows, L]);
      const pooled = [3, 4, 5].map((w) => maxPoolTime(g, conv1d(b.scope(`conv${w}`), emb, { width: w, filters: F, activation: 'relu' })));
      return { emb, logits: dense(b.scope('out'), g.concat(pooled, 1), { units: C }) };
    };
    const train = new Graph();
    const tb = new NetBuilder(train, store, rng, { training: true });
    const net = network(tb, B);
    const loss = softmaxCrossEntropy(train, net.logits, train.input('labels', [B, C]));
    const trainer = new GraphTrainer(train, loss, store, [{ input: net.emb, table }], tb.dropouts, rng, { executor: backend.train, adam });
    const infer = new Graph();
    const ib = new NetBuilder(infer, store, rng);
    const one = network(ib, 1);
    const predict = Promise.resolve(backend.infer(infer, [infer.softmax(one.logits, -1)]));
    const inferNames = ib.paramNames();
    const batches = cycle(Array.from({ length: POOL }, () => ({ ids: ids(rng, B * L, 1, V), labels: oneHot(ids(rng, B, 0, C), C) })));
    const single = ids(rng, L, 1, V);
    return {
      trainNodes: train.nodes.length,
      trainer,
      step: () => {
        const batch = batches();
        return trainer.step({ labels: batch.labels }, { embedding: batch.ids });
      },
      infer: async () => (await predict).run({ embedding: table.gather(single) }, store.tensors(inferNames)),
    };
  },
};

/** (b) The BiGRU-attention joint tagger (src/nn/models/bigru-tagger.ts). */
const tagger: Workload = {
  name: 'bigru-attention-tagger',
  shapes: 'vocab 20k, emb 128, BiGRU 2 × 128, length 24, 70 tags + 20 intents, batch 64',
  build(backend, adam) {
    const rng = new SeededRandom('bench-nn/tagger');
    const config = { vocab: 20000, embDim: 128, hidden: 128, length: 24, tags: 70, intents: 20, batchSize: 64 };
    const model = new BiGruTagger(config, rng.fork('model'), { executor: backend.train, inferenceExecutor: backend.infer, adam });
    const n = config.batchSize * config.length;
    const batches = cycle(Array.from({ length: POOL }, () => ({ ids: ids(rng, n, 1, config.vocab), tags: ids(rng, n, 0, config.tags), intents: ids(rng, config.batchSize, 0, config.intents) })));
    const single = ids(rng, config.length, 1, config.vocab);
    return { trainNodes: model.trainGraph.nodes.length, trainer: model.trainer, step: () => model.trainStep(batches()), infer: () => model.predict(single) };
  },
};

/** (c) SASRec (src/nn/models/sasrec.ts). */
const sasrec: Workload = {
  name: 'sasrec',
  shapes: '3,000 items, dim 64, 2 blocks × 2 heads, ff 64, dropout 0.2, length 50, batch 128',
  build(backend, adam) {
    const rng = new SeededRandom('bench-nn/sasrec');
    const config = { items: 3000, dim: 64, blocks: 2, heads: 2, length: 50, batchSize: 128 };
    const model = new Sasrec(config, rng.fork('model'), { executor: backend.train, inferenceExecutor: backend.infer, adam });
    const n = config.batchSize * config.length;
    const draw = () => ids(rng, n, 1, config.items + 1);
    const batches = cycle(Array.from({ length: POOL }, () => ({ sequences: draw(), positives: draw(), negatives: draw() })));
    const single = ids(rng, config.length, 1, config.items + 1);
    return { trainNodes: model.trainGraph.nodes.length, trainer: model.trainer, step: () => model.trainStep(batches()), infer: () => model.encode(single) };
  },
};

export const WORKLOADS: Workload[] = [textCnn, tagger, sasrec];
