import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import type { ExecutorFactory } from '../../nn/executor.js';
import { EarlyStopping } from '../../nn/optim/early-stopping.js';
import { ImageCnn, type ImageCnnConfig, type LabelledImage } from './image-cnn.js';

export interface TrainImageCnnOptions {
  /** Model shape; `classes`, `colours` and `size` are given by the data. */
  config: Omit<ImageCnnConfig, 'classes' | 'colours' | 'size'> & Partial<Pick<ImageCnnConfig, 'size'>>;
  classes: number;
  colours: number;
  /** Most epochs (default 30). */
  maxEpochs?: number;
  /** Training time budget in seconds: no epoch starts that would probably end after it (default 60). */
  budgetSeconds?: number;
  /** Share of examples held out for early stopping and the reported accuracy (default 0.1; 0: none). */
  holdout?: number;
  /** Epochs without a better held-out score before stopping (default 4); never before `minSteps` steps (default 400) and 8 epochs. */
  patience?: number;
  minSteps?: number;
  executor?: ExecutorFactory;
  inferenceExecutor?: ExecutorFactory;
  lr?: number;
  onEpoch?: (report: EpochReport) => void;
  /** Checked before every step: true cancels the training (AppError unavailable). */
  cancelled?: () => boolean;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  seconds: number;
  heldOutAccuracy?: number;
  heldOutColourAccuracy?: number;
}

export interface TrainImageCnnReport {
  epochs: number;
  steps: number;
  trainSeconds: number;
  msPerStep: number;
  /** Category accuracy of the best epoch on the held-out examples (undefined without a holdout). */
  heldOutAccuracy?: number;
  /** Colour accuracy of that epoch on the held-out examples that have a colour (undefined without). */
  heldOutColourAccuracy?: number;
  heldOut: number;
  /** Why training stopped: 'epochs', 'early-stopping' or 'budget'. */
  stopped: 'epochs' | 'early-stopping' | 'budget';
}

/**
 * Trains an `ImageCnn` on labelled images with augmentation (mirror, shift, brightness / contrast,
 * noise; `augment`), Adam, early stopping on a seeded holdout (its best weights are kept) and a time
 * budget. Examples without a category label (-1) train the colour head only and are never held out.
 *
 * @example const { cnn, report } = await trainImageCnn(examples, rng, { config: { channels: [16, 32, 64], embedDim: 64, batchSize: 32 }, classes: 8, colours: 10 });
 */
export async function trainImageCnn(examples: readonly LabelledImage[], rng: SeededRandom, options: TrainImageCnnOptions): Promise<{ cnn: ImageCnn; report: TrainImageCnnReport }> {
  if (examples.length === 0) throw AppError.invalid('no images to train on');
  const size = options.config.size ?? Math.round(Math.sqrt(examples[0]!.pixels.length / 3));
  const cnn = new ImageCnn({ ...options.config, size, classes: options.classes, colours: options.colours }, rng.fork('model'), {
    executor: options.executor, inferenceExecutor: options.inferenceExecutor, lr: options.lr,
  });
  const order = rng.fork('split').shuffle(examples.map((_, i) => i));
  const labelled = order.filter((i) => examples[i]!.category >= 0);
  const holdoutShare = options.holdout ?? 0.1;
  const heldCount = Math.round(holdoutShare * labelled.length);
  const held = new Set(labelled.slice(0, heldCount));
  const train = order.filter((i) => !held.has(i)).map((i) => examples[i]!);
  const heldOut = [...held].map((i) => examples[i]!);
  const B = options.config.batchSize;
  const maxEpochs = options.maxEpochs ?? 30;
  const budget = (options.budgetSeconds ?? 60) * 1000;
  const stopper = new EarlyStopping({ patience: options.patience ?? 4, mode: 'max' });
  const minEpochs = Math.max(8, Math.ceil((options.minSteps ?? 400) / Math.max(1, Math.ceil(train.length / options.config.batchSize))));
  const draw = rng.fork('batches');
  const started = performance.now();
  let steps = 0;
  let epochs = 0;
  let lastEpochMs = 0;
  let stopped: TrainImageCnnReport['stopped'] = 'epochs';
  let best: { category: number; colour?: number } | undefined;
  const indices = train.map((_, i) => i);
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    if (epoch > 1 && performance.now() - started + lastEpochMs > budget) {
      stopped = 'budget';
      break;
    }
    const epochStart = performance.now();
    draw.shuffle(indices);
    let total = 0;
    let count = 0;
    for (let at = 0; at < indices.length; at += B) {
      if (options.cancelled?.()) throw AppError.unavailable('image CNN training was cancelled');
      const batch = Array.from({ length: B }, (_, k) => {
        const e = train[indices[(at + k) % indices.length]!]!;
        return { ...e, pixels: augment(e.pixels, size, draw) };
      });
      total += await cnn.trainStep(batch);
      count++;
      steps++;
    }
    epochs = epoch;
    lastEpochMs = performance.now() - epochStart;
    const scores = heldOut.length > 0 ? await heldOutScores(cnn, heldOut) : undefined;
    options.onEpoch?.({ epoch, loss: total / count, seconds: lastEpochMs / 1000, heldOutAccuracy: scores?.category, heldOutColourAccuracy: scores?.colour });
    if (scores) {
      // Early stopping watches both heads, since search relies on an embedding that knows both.
      const metric = scores.colour === undefined ? scores.category : (scores.category + scores.colour) / 2;
      const before = stopper.best;
      const stop = stopper.observe(metric, cnn.store);
      if (stopper.best !== before) best = scores;
      if (stop && epoch >= minEpochs) {
        stopped = 'early-stopping';
        break;
      }
    }
  }
  if (heldOut.length > 0) stopper.restoreBest(cnn.store);
  await cnn.fitCenter(examples.map((e) => e.pixels));
  const trainMs = performance.now() - started;
  return {
    cnn,
    report: {
      epochs, steps, trainSeconds: Math.round(trainMs) / 1000, msPerStep: Math.round((trainMs / Math.max(1, steps)) * 10) / 10,
      heldOutAccuracy: best?.category, heldOutColourAccuracy: best?.colour, heldOut: heldOut.length, stopped,
    },
  };
}

/** Share of images whose most probable category is their label. */
export async function categoryAccuracy(cnn: ImageCnn, examples: readonly LabelledImage[]): Promise<number> {
  return (await heldOutScores(cnn, examples)).category;
}

/** Category accuracy, and colour accuracy over the examples with a colour label (undefined: none or no colour head). */
export async function heldOutScores(cnn: ImageCnn, examples: readonly LabelledImage[]): Promise<{ category: number; colour?: number }> {
  if (examples.length === 0) return { category: 0 };
  const { probabilities, colourProbabilities } = await cnn.embed(examples.map((e) => e.pixels));
  const argmax = (p: Float32Array, i: number, n: number) => {
    let best = 0;
    for (let c = 1; c < n; c++) if (p[i * n + c]! > p[i * n + best]!) best = c;
    return best;
  };
  const { classes, colours } = cnn.config;
  const category = examples.filter((e, i) => argmax(probabilities, i, classes) === e.category).length / examples.length;
  const coloured = examples.map((e, i) => [e, i] as const).filter(([e]) => e.colour >= 0);
  if (colours === 0 || coloured.length === 0) return { category };
  return { category, colour: coloured.filter(([e, i]) => argmax(colourProbabilities, i, colours) === e.colour).length / coloured.length };
}

/**
 * A random variant of an image (channels last, size × size × 3 in [0, 1]): mirrored half the time,
 * shifted up to size/10 pixels each way (edges repeat), brightness × [0.85, 1.15] and + [−0.06, 0.06],
 * and noise of σ up to 0.03.
 *
 * @example const seen = augment(pixels, 32, rng);
 */
export function augment(pixels: Float32Array, size: number, rng: SeededRandom): Float32Array {
  const out = new Float32Array(pixels.length);
  const flip = rng.bernoulli(0.5);
  const reach = Math.max(1, Math.round(size / 10));
  const dx = rng.int(2 * reach + 1) - reach;
  const dy = rng.int(2 * reach + 1) - reach;
  const gain = rng.range(0.85, 1.15);
  const offset = rng.range(-0.06, 0.06);
  // Noise from an inline xorshift32 seeded by `rng` (a normal draw per value was a tenth of a training step):
  // triangular, the sum of two uniforms, scaled to standard deviation sigma.
  const k = (rng.range(0, 0.03) * Math.sqrt(6)) / 4294967296;
  let s = rng.nextUint32() | 1;
  for (let y = 0; y < size; y++) {
    const sy = Math.min(size - 1, Math.max(0, y - dy));
    for (let x = 0; x < size; x++) {
      let sx = Math.min(size - 1, Math.max(0, x - dx));
      if (flip) sx = size - 1 - sx;
      const from = (sy * size + sx) * 3;
      const to = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const a = s >>> 0;
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const v = pixels[from + c]! * gain + offset + (a + (s >>> 0) - 4294967296) * k;
        out[to + c] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
  }
  return out;
}
