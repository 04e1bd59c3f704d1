import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { OnnxExecutor } from '../../nn/onnx/onnx-executor.js';
import type { ExecutorFactory } from '../../nn/executor.js';
import { productPicture } from './demo-images.js';
import { ImageCnn } from './image-cnn.js';
import { toTensor } from './image-codec.js';
import { FIXTURE_COLOURS, FIXTURE_LEAVES, fixtureItems } from './photo.fixtures.js';
import { augment, categoryAccuracy, trainImageCnn } from './train-image-cnn.js';

const onnx: ExecutorFactory = (g, outputs) => OnnxExecutor.create(g, outputs, { intraOpNumThreads: 1 });
const SIZE = 16;

function examples(items: ReturnType<typeof fixtureItems>, shot?: string) {
  return items.map((item) => ({
    pixels: toTensor(productPicture(item, { shot }), SIZE),
    category: FIXTURE_LEAVES.findIndex((p) => p[2] === item.categoryPath[2]),
    colour: FIXTURE_COLOURS.indexOf(String(item.attributes.colorEn)),
  }));
}

describe('ImageCnn', () => {
  it('learns generated product pictures: held-out products of 4 categories far above chance', async () => {
    const train = examples(fixtureItems(30, 'shop', 'train'));
    const test = examples(fixtureItems(12, 'shop', 'test'), 'another photo');
    const { cnn, report } = await trainImageCnn(train, new SeededRandom('cnn-test'), {
      config: { channels: [8, 16], embedDim: 16, batchSize: 16, size: SIZE }, classes: 4, colours: 3,
      executor: onnx, maxEpochs: 40, budgetSeconds: 30, holdout: 0.15, patience: 8,
    });
    expect(report.steps).toBeGreaterThan(0);
    const accuracy = await categoryAccuracy(cnn, test);
    expect(accuracy).toBeGreaterThan(0.65); // chance: 0.25
    // Embeddings are unit vectors; an item is nearer another photo of its own kind than of another kind.
    const { embeddings } = await cnn.embed(test.map((e) => e.pixels));
    let norm = 0;
    for (let k = 0; k < 16; k++) norm += embeddings[k]! ** 2;
    expect(norm).toBeCloseTo(1, 4);
  }, 60_000);

  it('the embedding batch and the single-query graph agree', async () => {
    const cnn = new ImageCnn({ size: SIZE, channels: [4, 8], embedDim: 8, classes: 3, colours: 0, batchSize: 4, embedBatch: 4 }, new SeededRandom('agree'), { executor: onnx });
    const pixels = examples(fixtureItems(2)).map((e) => e.pixels).slice(0, 5);
    const batch = await cnn.embed(pixels);
    const one = await cnn.embed([pixels[4]!]);
    for (let k = 0; k < 8; k++) expect(one.embeddings[k]).toBeCloseTo(batch.embeddings[4 * 8 + k]!, 4);
    for (let c = 0; c < 3; c++) expect(one.probabilities[c]).toBeCloseTo(batch.probabilities[4 * 3 + c]!, 4);
  });

  it('rejects configs and inputs it cannot take', async () => {
    const rng = new SeededRandom(1);
    expect(() => new ImageCnn({ size: 20, channels: [4, 8, 8], embedDim: 8, classes: 3, colours: 0, batchSize: 2 }, rng)).toThrow(/divide by 2\^3/);
    expect(() => new ImageCnn({ size: 16, channels: [4], embedDim: 8, classes: 1, colours: 0, batchSize: 2 }, rng)).toThrow(/≥ 2 classes/);
    const cnn = new ImageCnn({ size: 8, channels: [4], embedDim: 4, classes: 2, colours: 0, batchSize: 2 }, rng);
    await expect(cnn.embed([new Float32Array(5)])).rejects.toThrow(/8 × 8 × 3/);
    await expect(cnn.trainStep([{ pixels: new Float32Array(192), category: 0, colour: -1 }])).rejects.toThrow(/holds 2 images/);
  });

  it('augment mirrors, shifts and relights but keeps the picture in [0, 1]', () => {
    const pixels = examples(fixtureItems(1)).at(0)!.pixels;
    const rng = new SeededRandom('aug');
    const seen = augment(pixels, SIZE, rng);
    expect(seen.length).toBe(pixels.length);
    expect(seen.some((v, i) => Math.abs(v - pixels[i]!) > 0.05)).toBe(true);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(1);
  });
});
