import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { Graph, type Value } from '../graph.js';
import { MASKED } from '../layers/attention.js';
import { dense } from '../layers/dense.js';
import { dropout } from '../layers/dropout.js';
import { EmbeddingTable } from '../layers/embedding-table.js';
import { biGru } from '../layers/gru.js';
import { NetBuilder } from '../layers/net-builder.js';
import { ParamStore } from '../layers/param-store.js';
import type { FitReport, LabelledText } from '../train/text-cnn.js';
import { cpuExecutor, type Executor } from '../executor.js';
import { oneHot } from './bigru-tagger.js';
import { GraphTrainer, type ModelOptions } from './graph-trainer.js';

export interface BiGruClassifierConfig {
  vocab: number;
  embDim: number;
  /** GRU units per direction (the states are 2 × hidden wide). */
  hidden: number;
  /** Fixed sequence length L: ids are truncated or padded to it. */
  length: number;
  classes: number;
  /** Fixed training batch size B. */
  batchSize: number;
  /** Dropout on the embeddings and on the pooled vector (default 0). */
  dropout?: number;
}

/**
 * The classifier network on gathered embeddings `emb` [B, L, E] and a keep-mask [B, L]: a masked BiGRU
 * (scope `encoder`), attention pooling — softmax over the real tokens of a linear score (scope `att`)
 * weighting the states — then dropout and class logits (scope `out`). As the intent head of
 * `biGruTaggerNetwork`, without the tag head.
 *
 * @example const logits = biGruClassifierNetwork(b, table.input(g, [64, 24]), g.input('mask', [64, 24]), config);
 */
export function biGruClassifierNetwork(b: NetBuilder, emb: Value, mask: Value, config: BiGruClassifierConfig): Value {
  const g = b.graph;
  const [batch, length] = emb.shape as [number, number, number];
  const states = biGru(b.scope('encoder'), dropout(b, emb, config.dropout ?? 0), { units: config.hidden, mask }).outputs;
  const width = 2 * config.hidden;
  let scores = g.reshape(dense(b.scope('att'), states, { units: 1 }), [batch, length]);
  scores = g.add(scores, g.mul(g.sub(mask, g.constant(1)), g.constant(-MASKED)));
  const attention = g.softmax(scores, -1);
  const pooled = g.reshape(g.matmul(g.reshape(attention, [batch, 1, length]), states), [batch, width]);
  return dense(b.scope('out'), dropout(b, pooled, config.dropout ?? 0), { units: config.classes });
}

/**
 * A text classifier: embedding table outside the graph (sparse Adam), masked BiGRU + attention pooling,
 * softmax cross-entropy, Adam on the dense params through `GraphTrainer`. Three graphs over one store,
 * each built once: the training step [B, L], a batched forward pass without dropout (for `classify`) and
 * a batch-1 inference graph (for `predict`). Same data shapes as `TextCnn` (`LabelledText`).
 *
 * @example
 * const model = new BiGruClassifier({ vocab: 5000, embDim: 128, hidden: 64, length: 24, classes: 7, batchSize: 64 }, rng);
 * await model.fit(examples, { epochs: 1 });
 * const probabilities = await model.predict(ids);
 */
export class BiGruClassifier {
  readonly store = new ParamStore();
  readonly table: EmbeddingTable;
  private readonly trainer: GraphTrainer;
  private readonly forwardRun: Promise<Executor>;
  private readonly predictRun: Promise<Executor>;
  private readonly inferNames: string[];

  constructor(readonly config: BiGruClassifierConfig, private readonly rng: SeededRandom, options: ModelOptions = {}) {
    const { vocab, embDim, length, batchSize: B, classes } = config;
    this.table = EmbeddingTable.create(this.store, 'embedding', vocab, embDim, rng, { paddingIndex: 0 });
    const executor = options.executor ?? cpuExecutor;
    const make = (g: Graph, outputs: Value[], factory = executor) => {
      const made = Promise.resolve(factory(g, outputs));
      made.catch(() => undefined); // a failed build surfaces at the first run
      return made;
    };
    const g = new Graph();
    const tb = new NetBuilder(g, this.store, rng, { training: true });
    const emb = this.table.input(g, [B, length]);
    const logits = biGruClassifierNetwork(tb, emb, g.input('mask', [B, length]), config);
    const labels = g.input('labels', [B, classes]);
    const loss = g.neg(g.mean(g.sum(g.mul(g.logSoftmax(logits, -1), labels), [-1]), [0]));
    this.trainer = new GraphTrainer(g, loss, this.store, [{ input: emb, table: this.table }], tb.dropouts, rng, { ...options, executor });

    const forward = new Graph();
    const fb = new NetBuilder(forward, this.store, rng, { training: false });
    this.forwardRun = make(forward, [biGruClassifierNetwork(fb, this.table.input(forward, [B, length]), forward.input('mask', [B, length]), config)]);

    const infer = new Graph();
    const ib = new NetBuilder(infer, this.store, rng, { training: false });
    const inferLogits = biGruClassifierNetwork(ib, this.table.input(infer, [1, length]), infer.input('mask', [1, length]), config);
    this.inferNames = ib.paramNames();
    this.predictRun = make(infer, [infer.softmax(inferLogits, -1)], options.inferenceExecutor ?? executor);
  }

  /** Token ids truncated or padded (with 0) to the configured length. */
  encode(ids: ArrayLike<number>): Int32Array {
    const out = new Int32Array(this.config.length);
    for (let i = 0; i < Math.min(ids.length, out.length); i++) out[i] = ids[i]!;
    return out;
  }

  /** One Adam step on exactly `batchSize` examples; returns the batch loss. */
  async trainStep(batch: LabelledText[]): Promise<number> {
    const { batchSize: B, classes } = this.config;
    if (batch.length !== B) throw AppError.invalid(`a training batch holds ${B} examples, got ${batch.length}`);
    const ids = this.batchIds(batch.map((e) => e.ids));
    const labels = oneHot(batch.map((e) => e.label), classes, 'label');
    return this.trainer.step({ labels, mask: keepMask(ids) }, { [this.table.name]: ids });
  }

  /** `epochs` shuffled passes over `data` (the last partial batch filled from the start of the order). */
  async fit(data: LabelledText[], options: { epochs: number }): Promise<FitReport> {
    const B = this.config.batchSize;
    if (data.length === 0) throw AppError.invalid('no training examples');
    const order = Array.from({ length: data.length }, (_, i) => i);
    const epochLoss: number[] = [];
    let steps = 0;
    const started = performance.now();
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      this.rng.shuffle(order);
      let total = 0;
      let count = 0;
      for (let at = 0; at < order.length; at += B) {
        total += await this.trainStep(Array.from({ length: B }, (_, k) => data[order[(at + k) % order.length]!]!));
        count++;
        steps++;
      }
      epochLoss.push(total / count);
    }
    return { steps, epochLoss, msPerStep: (performance.now() - started) / Math.max(1, steps) };
  }

  /** Class probabilities of one text (batch-1 graph). */
  async predict(ids: ArrayLike<number>): Promise<Float32Array> {
    const padded = this.encode(ids);
    const [p] = await (await this.predictRun).run({ [this.table.name]: this.table.gather(padded), mask: keepMask(padded) }, this.store.tensors(this.inferNames));
    return p!;
  }

  /** Logits of many texts, in batches of `batchSize` (no dropout); row-major [texts, classes]. */
  async logits(texts: ArrayLike<number>[]): Promise<Float32Array> {
    const { batchSize: B, classes } = this.config;
    const out = new Float32Array(texts.length * classes);
    const run = await this.forwardRun;
    for (let at = 0; at < texts.length; at += B) {
      const ids = this.batchIds(Array.from({ length: B }, (_, k) => texts[Math.min(at + k, texts.length - 1)]!));
      const [logits] = await run.run({ [this.table.name]: this.table.gather(ids), mask: keepMask(ids) }, this.store.tensors(this.inferNames));
      out.set(logits!.subarray(0, Math.min(B, texts.length - at) * classes), at * classes);
    }
    return out;
  }

  /** Arg-max classes of many texts. */
  async classify(texts: ArrayLike<number>[]): Promise<number[]> {
    const { classes } = this.config;
    const logits = await this.logits(texts);
    return texts.map((_, i) => {
      let best = 0;
      for (let c = 1; c < classes; c++) if (logits[i * classes + c]! > logits[i * classes + best]!) best = c;
      return best;
    });
  }

  /** Share of `data` classified correctly. */
  async accuracy(data: LabelledText[]): Promise<number> {
    const predicted = await this.classify(data.map((e) => e.ids));
    return predicted.filter((p, i) => p === data[i]!.label).length / Math.max(1, data.length);
  }

  /** The param file with the config as metadata. */
  save(): Uint8Array {
    return this.store.save({ model: 'bigru-classifier', config: this.config });
  }

  load(bytes: Uint8Array): void {
    this.store.load(bytes);
  }

  private batchIds(texts: ArrayLike<number>[]): Int32Array {
    const L = this.config.length;
    const ids = new Int32Array(texts.length * L);
    texts.forEach((t, i) => ids.set(this.encode(t), i * L));
    return ids;
  }
}

function keepMask(ids: ArrayLike<number>): Float32Array {
  return Float32Array.from({ length: ids.length }, (_, i) => (ids[i] === 0 ? 0 : 1));
}
