import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { gradients } from '../autodiff.js';
import { Graph, type Value } from '../graph.js';
import { conv1d, maxPoolTime } from '../layers/conv1d.js';
import { dense } from '../layers/dense.js';
import { dropout, dropoutFeeds } from '../layers/dropout.js';
import { EmbeddingTable } from '../layers/embedding-table.js';
import { softmaxCrossEntropy } from '../layers/losses.js';
import { NetBuilder } from '../layers/net-builder.js';
import { ParamStore } from '../layers/param-store.js';
import { Adam } from '../optim/adam.js';
import { clipGlobalNorm } from '../optim/clip.js';
import type { LrSchedule } from '../optim/schedules.js';
import { SparseAdam } from '../optim/sparse.js';
import { cpuExecutor, type Executor, type ExecutorFactory } from '../executor.js';

export interface TextCnnConfig {
  vocab: number;
  embDim: number;
  /** Fixed sequence length L: ids are truncated or padded to it. */
  length: number;
  /** Kernel widths, e.g. [3, 4, 5]. */
  widths: number[];
  /** Filters per width. */
  filters: number;
  classes: number;
  /** Fixed training batch size B. */
  batchSize: number;
  /** Dropout on the pooled features (default 0). */
  dropout?: number;
  /** Id of the padding token (default 0). */
  paddingIndex?: number;
}

export interface TextCnnOptions {
  executor?: ExecutorFactory;
  /** Adam rate for the conv and dense params (default 1e-3). */
  lr?: number | LrSchedule;
  /** Rate of the sparse Adam on the embedding table (default: `lr`). */
  embeddingLr?: number | LrSchedule;
  /** Global-norm clipping over all gradients, sparse rows included (off by default). */
  clipNorm?: number;
}

export interface LabelledText {
  /** Token ids (any length; truncated or padded to the configured length). */
  ids: ArrayLike<number>;
  label: number;
}

export interface FitReport {
  steps: number;
  /** Mean training loss per epoch. */
  epochLoss: number[];
  msPerStep: number;
}

/**
 * Kim's text CNN: embedding table (outside the graph, sparse Adam) → conv over time per width with relu
 * → max-pool over time → concat → dropout → dense → class logits, trained with softmax cross-entropy and
 * Adam. Two graphs over one `ParamStore`, each built once: a training graph for [batchSize, length]
 * (loss, param gradients, gradient w.r.t. the gathered embeddings) and a batch-1 inference graph.
 * The executor is injected, so the cpu backend can be swapped for the ONNX one.
 *
 * @example
 * const cnn = new TextCnn({ vocab: 20000, embDim: 128, length: 24, widths: [3, 4, 5], filters: 128, classes: 20, batchSize: 64 }, rng);
 * await cnn.fit(examples, { epochs: 3 });
 * const probabilities = await cnn.predict(ids);
 */
export class TextCnn {
  readonly store = new ParamStore();
  readonly table: EmbeddingTable;
  private readonly paramNames: string[];
  private readonly dropouts: NetBuilder['dropouts'];
  private readonly trainStepRun: Promise<Executor>;
  private readonly forwardRun: Promise<Executor>;
  private readonly predictRun: Promise<Executor>;
  private readonly adam: Adam;
  private readonly sparseAdam: SparseAdam;
  private readonly pad: number;

  constructor(readonly config: TextCnnConfig, private readonly rng: SeededRandom, private readonly options: TextCnnOptions = {}) {
    const { vocab, embDim, length, batchSize, classes } = config;
    this.pad = config.paddingIndex ?? 0;
    if (config.widths.some((w) => w > length)) throw AppError.invalid(`conv widths [${config.widths}] must not exceed the length ${length}`, { field: 'widths' });
    this.table = EmbeddingTable.create(this.store, 'embedding', vocab, embDim, rng, { paddingIndex: this.pad });
    const executor = options.executor ?? cpuExecutor;
    const make = (g: Graph, outputs: Value[]) => {
      const made = Promise.resolve(executor(g, outputs));
      made.catch(() => undefined); // a failed build surfaces at the first run, not as an unhandled rejection
      return made;
    };

    const train = new Graph();
    const tb = new NetBuilder(train, this.store, rng, { training: true });
    const emb = this.table.input(train, [batchSize, length]);
    const logits = this.network(tb, emb);
    const loss = softmaxCrossEntropy(train, logits, train.input('labels', [batchSize, classes]));
    this.paramNames = tb.paramNames();
    this.dropouts = tb.dropouts;
    const params = [...train.params()].map(([, id]) => ({ id, shape: train.node(id).shape }));
    const grads = gradients(train, loss, [...params, emb]);
    this.trainStepRun = make(train, [loss, ...params.map((p) => grads.get(p.id)!), grads.get(emb.id)!]);
    this.forwardRun = make(train, [logits]);

    const infer = new Graph();
    const ib = new NetBuilder(infer, this.store, rng, { training: false });
    this.predictRun = make(infer, [infer.softmax(this.network(ib, this.table.input(infer, [1, length])), -1)]);

    const lr = options.lr ?? 1e-3;
    this.adam = new Adam({ lr });
    this.sparseAdam = new SparseAdam({ lr: options.embeddingLr ?? lr });
  }

  /** Token ids truncated or padded to the configured length. */
  encode(ids: ArrayLike<number>): Int32Array {
    const out = new Int32Array(this.config.length).fill(this.pad);
    for (let i = 0; i < Math.min(ids.length, out.length); i++) out[i] = ids[i]!;
    return out;
  }

  /** One Adam step on a batch of exactly `batchSize` examples; returns the batch loss. */
  async trainStep(batch: LabelledText[]): Promise<number> {
    const { batchSize, classes } = this.config;
    if (batch.length !== batchSize) throw AppError.invalid(`a training batch holds ${batchSize} examples, got ${batch.length}`);
    const ids = this.batchIds(batch.map((e) => e.ids));
    const labels = new Float32Array(batchSize * classes);
    batch.forEach((e, i) => {
      if (!Number.isInteger(e.label) || e.label < 0 || e.label >= classes) throw AppError.invalid(`label ${e.label} outside ${classes} classes`, { index: i });
      labels[i * classes + e.label] = 1;
    });
    const inputs = { [this.table.name]: this.table.gather(ids), labels, ...dropoutFeeds(this.dropouts, this.rng) };
    const [loss, ...rest] = await (await this.trainStepRun).run(inputs, this.store.tensors(this.paramNames));
    const embGrad = rest.pop()!;
    const sparse = this.table.scatterGrad(ids, embGrad);
    const grads = new Map(this.paramNames.map((n, i) => [n, rest[i]!]));
    if (this.options.clipNorm) clipGlobalNorm([...grads.values(), sparse.grad], this.options.clipNorm);
    this.adam.step(this.store.tensors(this.paramNames), grads);
    this.sparseAdam.step(this.table, sparse);
    return loss![0]!;
  }

  /**
   * Trains for `epochs` passes over `data`, shuffled with the model's generator; a last partial batch
   * is filled from the start of the epoch's order, so every step has the fixed batch size.
   */
  async fit(data: LabelledText[], options: { epochs: number; onEpoch?: (epoch: number, loss: number) => void }): Promise<FitReport> {
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
        const batch = Array.from({ length: B }, (_, k) => data[order[(at + k) % order.length]!]!);
        total += await this.trainStep(batch);
        count++;
        steps++;
      }
      epochLoss.push(total / count);
      options.onEpoch?.(epoch, total / count);
    }
    return { steps, epochLoss, msPerStep: (performance.now() - started) / Math.max(1, steps) };
  }

  /** Class probabilities of one text, from the batch-1 inference graph. */
  async predict(ids: ArrayLike<number>): Promise<Float32Array> {
    const [probabilities] = await (await this.predictRun).run({ [this.table.name]: this.table.gather(this.encode(ids)) }, this.store.tensors(this.paramNames));
    return probabilities!;
  }

  /** Arg-max classes of many texts, in batches of `batchSize` on the training graph's forward pass (no dropout). */
  async classify(texts: ArrayLike<number>[]): Promise<number[]> {
    const { batchSize: B, classes } = this.config;
    const ones = Object.fromEntries(this.dropouts.map((d) => [d.name, new Float32Array(d.shape.reduce((n, x) => n * x, 1)).fill(1)]));
    const out: number[] = [];
    for (let at = 0; at < texts.length; at += B) {
      const chunk = Array.from({ length: B }, (_, k) => texts[Math.min(at + k, texts.length - 1)]!);
      const [logits] = await (await this.forwardRun).run({ [this.table.name]: this.table.gather(this.batchIds(chunk)), ...ones }, this.store.tensors(this.paramNames));
      for (let k = 0; k < B && at + k < texts.length; k++) {
        let best = 0;
        for (let c = 1; c < classes; c++) if (logits![k * classes + c]! > logits![k * classes + best]!) best = c;
        out.push(best);
      }
    }
    return out;
  }

  /** Share of `data` classified correctly. */
  async accuracy(data: LabelledText[]): Promise<number> {
    const predicted = await this.classify(data.map((e) => e.ids));
    return predicted.filter((p, i) => p === data[i]!.label).length / Math.max(1, data.length);
  }

  /** The param file (table and weights) with the config as metadata; `load` checks names and shapes. */
  save(): Uint8Array {
    return this.store.save({ model: 'text-cnn', config: this.config });
  }

  load(bytes: Uint8Array): void {
    this.store.load(bytes);
  }

  private network(b: NetBuilder, emb: Value): Value {
    const g = b.graph;
    const pooled = this.config.widths.map((w) => maxPoolTime(g, conv1d(b.scope(`conv${w}`), emb, { width: w, filters: this.config.filters, activation: 'relu' })));
    const features = pooled.length === 1 ? pooled[0]! : g.concat(pooled, 1);
    return dense(b.scope('out'), dropout(b, features, this.config.dropout ?? 0), { units: this.config.classes });
  }

  private batchIds(texts: ArrayLike<number>[]): Int32Array {
    const L = this.config.length;
    const ids = new Int32Array(texts.length * L);
    texts.forEach((t, i) => ids.set(this.encode(t), i * L));
    return ids;
  }
}
