import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { cpuExecutor, type Executor, type ExecutorFactory } from '../../nn/executor.js';
import { Graph, type Value } from '../../nn/graph.js';
import { conv2d, globalAvgPool2d, maxPool2d } from '../../nn/layers/conv2d.js';
import { dense } from '../../nn/layers/dense.js';
import { softmaxCrossEntropy } from '../../nn/layers/losses.js';
import { NetBuilder } from '../../nn/layers/net-builder.js';
import { ParamStore } from '../../nn/layers/param-store.js';
import { GraphTrainer } from '../../nn/models/graph-trainer.js';

export interface ImageCnnConfig {
  /** Input side: images are size × size × 3, channels last, values in [0, 1]. */
  size: number;
  /** Filters of each conv block (3 × 3 conv + relu + 2 × 2 max pool); size must divide by 2^blocks. */
  channels: number[];
  /** Width of the embedding (the layer both heads read, and what photo search compares). */
  embedDim: number;
  /** Category classes. */
  classes: number;
  /** Colour classes of the second head (0: no colour head). */
  colours: number;
  /** Fixed training batch size. */
  batchSize: number;
  /** Batch of the embedding graph (default 32). */
  embedBatch?: number;
  /** Weight of the colour loss (default 0.5). */
  colourWeight?: number;
}

export interface ImageCnnOptions {
  executor?: ExecutorFactory;
  /** Backend of the embedding graphs (default `executor`). */
  inferenceExecutor?: ExecutorFactory;
  lr?: number;
}

/** One training example: pixels (size · size · 3) and labels; -1 = unknown (no loss from that head). */
export interface LabelledImage {
  pixels: Float32Array;
  category: number;
  colour: number;
}

/** What `embed` returns for n images: L2-normalised embeddings [n, embedDim] and category probabilities [n, classes]. */
export interface Embedded {
  embeddings: Float32Array;
  probabilities: Float32Array;
  /** Colour probabilities [n, colours] (empty without a colour head). */
  colourProbabilities: Float32Array;
}

/**
 * The image CNN of photo search, on the nn engine: `channels.length` blocks of 3 × 3 conv (im2col,
 * `conv2d`) + relu + 2 × 2 max pool, global average pooling, a linear embedding layer, and two softmax
 * heads on it — the category, and the colour when the catalog has colours — trained together with
 * softmax cross-entropy and Adam (`GraphTrainer`). Search compares the L2-normalised embeddings by cosine,
 * so items close in it share category and colour. Graphs are built once: training [batchSize], embedding
 * [embedBatch] and [1] (a query photo); the executor is injected (the onnx backend in the service).
 *
 * @example
 * const cnn = new ImageCnn({ size: 32, channels: [16, 32, 64], embedDim: 64, classes: 38, colours: 10, batchSize: 32 }, rng);
 * await cnn.trainStep(batch);
 * const { embeddings } = await cnn.embed([pixels]);
 */
export class ImageCnn {
  readonly store = new ParamStore();
  private readonly trainer: GraphTrainer;
  private readonly embedRun: Promise<Executor>;
  private readonly queryRun: Promise<Executor>;
  private readonly paramNames: string[];
  private readonly pixels: number;

  constructor(readonly config: ImageCnnConfig, rng: SeededRandom, options: ImageCnnOptions = {}) {
    const { size, channels, batchSize, classes, colours } = config;
    if (!(Number.isInteger(size) && size >= 4)) throw AppError.invalid(`image size must be an integer ≥ 4, got ${size}`, { field: 'size' });
    if (channels.length < 1 || size % 2 ** channels.length !== 0) throw AppError.invalid(`image size ${size} must divide by 2^${channels.length} (one 2 × 2 pool per block)`, { field: 'channels' });
    if (!(Number.isInteger(classes) && classes >= 2)) throw AppError.invalid(`an image classifier needs ≥ 2 classes, got ${classes}`, { field: 'classes' });
    if (colours === 1 || colours < 0) throw AppError.invalid(`the colour head needs 0 (none) or ≥ 2 colours, got ${colours}`, { field: 'colours' });
    this.pixels = size * size * 3;
    const executor = options.executor ?? cpuExecutor;
    const inference = options.inferenceExecutor ?? executor;

    const train = new Graph();
    const tb = new NetBuilder(train, this.store, rng, { training: true });
    const { category, colour } = this.network(tb, train.input('images', [batchSize, size, size, 3]));
    let loss = softmaxCrossEntropy(train, category, train.input('categories', [batchSize, classes]));
    if (colour) {
      const colourLoss = softmaxCrossEntropy(train, colour, train.input('colours', [batchSize, colours]));
      loss = train.add(loss, train.mul(colourLoss, train.constant(config.colourWeight ?? 0.5)));
    }
    this.trainer = new GraphTrainer(train, loss, this.store, [], tb.dropouts, rng.fork('trainer'), { executor, lr: options.lr ?? 3e-3 });
    this.paramNames = this.trainer.paramNames;

    const make = (batch: number) => {
      const g = new Graph();
      const { embedding, category: logits, colour } = this.network(new NetBuilder(g, this.store, rng), g.input('images', [batch, size, size, 3]));
      const made = Promise.resolve(inference(g, [embedding, g.softmax(logits, -1), ...(colour ? [g.softmax(colour, -1)] : [])]));
      made.catch(() => undefined); // surfaces at the first run
      return made;
    };
    this.embedRun = make(config.embedBatch ?? 32);
    this.queryRun = make(1);
  }

  /** One Adam step on exactly `batchSize` examples (pixels already augmented); returns the loss. */
  async trainStep(batch: readonly LabelledImage[]): Promise<number> {
    const { batchSize, classes, colours } = this.config;
    if (batch.length !== batchSize) throw AppError.invalid(`a training batch holds ${batchSize} images, got ${batch.length}`);
    const images = new Float32Array(batchSize * this.pixels);
    const categories = new Float32Array(batchSize * classes);
    const colourLabels = new Float32Array(batchSize * Math.max(1, colours));
    batch.forEach((e, i) => {
      this.checkPixels(e.pixels, i);
      images.set(e.pixels, i * this.pixels);
      if (e.category >= classes || e.colour >= Math.max(colours, 1)) throw AppError.invalid(`labels ${e.category} / ${e.colour} outside ${classes} classes / ${colours} colours`, { index: i });
      if (e.category >= 0) categories[i * classes + e.category] = 1;
      if (colours > 0 && e.colour >= 0) colourLabels[i * colours + e.colour] = 1;
    });
    const feeds: Record<string, Float32Array> = { images, categories };
    if (colours > 0) feeds.colours = colourLabels;
    return this.trainer.step(feeds, {});
  }

  /**
   * The mean embedding of the catalog, subtracted before normalising (see `fitCenter`): a relu network's
   * raw embeddings share a large common component that would make every cosine close to 1.
   */
  center: Float32Array | undefined;

  /** Sets `center` to the mean raw embedding of `images` (the catalog's pictures). */
  async fitCenter(images: readonly Float32Array[]): Promise<void> {
    const { embedDim: d } = this.config;
    const { embeddings } = await this.run(images);
    const center = new Float32Array(d);
    for (let i = 0; i < images.length; i++) for (let k = 0; k < d; k++) center[k]! += embeddings[i * d + k]! / images.length;
    this.center = center;
  }

  /** Embeddings (minus `center`, L2-normalised) and category and colour probabilities of any number of images. */
  async embed(images: readonly Float32Array[]): Promise<Embedded> {
    const out = await this.run(images);
    const d = this.config.embedDim;
    for (let i = 0; i < images.length; i++) {
      const row = out.embeddings.subarray(i * d, (i + 1) * d);
      if (this.center) for (let k = 0; k < d; k++) row[k] = row[k]! - this.center[k]!;
      normalise(row);
    }
    return out;
  }

  private async run(images: readonly Float32Array[]): Promise<Embedded> {
    const { embedDim: d, classes, colours } = this.config;
    const embeddings = new Float32Array(images.length * d);
    const probabilities = new Float32Array(images.length * classes);
    const colourProbabilities = new Float32Array(images.length * colours);
    const params = this.store.tensors(this.paramNames);
    if (images.length === 1) {
      this.checkPixels(images[0]!, 0);
      const [e, p, c] = await (await this.queryRun).run({ images: images[0]! }, params);
      embeddings.set(e!);
      probabilities.set(p!);
      if (c) colourProbabilities.set(c);
    } else {
      const B = this.config.embedBatch ?? 32;
      const buffer = new Float32Array(B * this.pixels);
      const run = await this.embedRun;
      for (let at = 0; at < images.length; at += B) {
        const count = Math.min(B, images.length - at);
        for (let k = 0; k < count; k++) {
          this.checkPixels(images[at + k]!, at + k);
          buffer.set(images[at + k]!, k * this.pixels);
        }
        const [e, p, c] = await run.run({ images: buffer }, params);
        embeddings.set(e!.subarray(0, count * d), at * d);
        probabilities.set(p!.subarray(0, count * classes), at * classes);
        if (c) colourProbabilities.set(c.subarray(0, count * colours), at * colours);
        // onnxruntime runs synchronously: let waiting requests in between batches.
        if (at + B < images.length) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return { embeddings, probabilities, colourProbabilities };
  }

  /** The weights with the config as metadata; `load` checks names and shapes. */
  save(meta: Record<string, unknown> = {}): Uint8Array {
    return this.store.save({ ...meta, model: 'image-cnn', config: this.config, center: this.center ? [...this.center] : undefined });
  }

  load(bytes: Uint8Array): Record<string, unknown> {
    const meta = this.store.load(bytes);
    this.center = Array.isArray(meta.center) && meta.center.length === this.config.embedDim ? Float32Array.from(meta.center as number[]) : undefined;
    return meta;
  }

  /** The metadata of a saved model (its `config` among it) without loading the weights. */
  static peekMeta(bytes: Uint8Array): Record<string, unknown> {
    return ParamStore.fromBytes(bytes).meta;
  }

  private network(b: NetBuilder, images: Value): { embedding: Value; category: Value; colour?: Value } {
    const g = b.graph;
    let h = g.mul(g.sub(images, g.constant(0.5)), g.constant(2)); // [0, 1] → [-1, 1]
    this.config.channels.forEach((filters, i) => {
      h = maxPool2d(g, conv2d(b.scope(`conv${i + 1}`), h, { kernel: 3, filters, activation: 'relu' }));
    });
    const embedding = dense(b.scope('embed'), globalAvgPool2d(g, h), { units: this.config.embedDim });
    const category = dense(b.scope('category'), embedding, { units: this.config.classes });
    const colour = this.config.colours > 0 ? dense(b.scope('colour'), embedding, { units: this.config.colours }) : undefined;
    return { embedding, category, colour };
  }

  private checkPixels(pixels: Float32Array, index: number): void {
    if (!(pixels instanceof Float32Array) || pixels.length !== this.pixels) throw AppError.invalid(`an image must be ${this.config.size} × ${this.config.size} × 3 floats, got ${pixels?.length}`, { index });
  }
}

function normalise(v: Float32Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
}
