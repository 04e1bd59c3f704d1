import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import type { ExecutorFactory } from '../executor.js';
import { TextCnn, type LabelledText, type TextCnnConfig } from './text-cnn.js';

/**
 * A separable toy task: every text is noise tokens with one or two keywords of its class somewhere in
 * it (keywords 1 + 4c … 4 + 4c of class c); lengths vary, so some texts are padded.
 */
function keywordTexts(rng: SeededRandom, n: number, classes: number, vocab: number, maxLength: number): LabelledText[] {
  const noiseFrom = 1 + 4 * classes;
  return Array.from({ length: n }, () => {
    const label = rng.int(classes);
    const length = 4 + rng.int(maxLength - 3);
    const ids = Array.from({ length }, () => noiseFrom + rng.int(vocab - noiseFrom));
    for (let k = 0, keys = 1 + rng.int(2); k < keys; k++) ids[rng.int(length)] = 1 + 4 * label + rng.int(4);
    return { ids, label };
  });
}

const config: TextCnnConfig = { vocab: 400, embDim: 16, length: 16, widths: [3, 4, 5], filters: 16, classes: 5, batchSize: 32, dropout: 0.2 };

describe('TextCnn on the cpu backend', () => {
  it('learns which keyword a text holds to > 95% held-out accuracy, and predicts with the batch-1 graph', async () => {
    const rng = new SeededRandom('text-cnn');
    const train = keywordTexts(rng.fork('train'), 1200, config.classes, config.vocab, config.length);
    const test = keywordTexts(rng.fork('test'), 300, config.classes, config.vocab, config.length);
    let built = 0;
    const counting: ExecutorFactory = (g, outputs) => {
      built++;
      return new CpuExecutor(g, outputs);
    };
    const cnn = new TextCnn(config, rng.fork('model'), { executor: counting, lr: 0.01 });
    expect(built).toBe(3); // training step, its forward pass, batch-1 inference: built once
    const padRow = cnn.table.row(0).slice();
    const before = await cnn.accuracy(test);
    const report = await cnn.fit(train, { epochs: 3 });
    expect(built).toBe(3);
    expect(report.steps).toBe(3 * Math.ceil(1200 / 32));
    expect(report.epochLoss[2]!).toBeLessThan(report.epochLoss[0]! * 0.5);
    const accuracy = await cnn.accuracy(test);
    expect(before).toBeLessThan(0.5);
    expect(accuracy).toBeGreaterThan(0.95);
    expect([...cnn.table.row(0)]).toEqual([...padRow]); // the padding row is never updated

    const single = await cnn.predict(test[0]!.ids);
    expect(single.length).toBe(config.classes);
    expect(single.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const agree = await Promise.all(test.slice(0, 40).map(async (e) => (await cnn.predict(e.ids)).indexOf(Math.max(...await cnn.predict(e.ids)))));
    expect(agree).toEqual((await cnn.classify(test.slice(0, 40).map((e) => e.ids))));

    // Save / load into a fresh model gives the same predictions.
    const copy = new TextCnn(config, new SeededRandom('other'));
    copy.load(cnn.save());
    expect([...await copy.predict(test[1]!.ids)]).toEqual([...await cnn.predict(test[1]!.ids)]);
  });

  it('works with an asynchronous executor (the ONNX backend’s contract)', async () => {
    const asyncCpu: ExecutorFactory = (g, outputs) => {
      const cpu = new CpuExecutor(g, outputs);
      return { run: async (inputs, params) => cpu.run(inputs, params) };
    };
    const small = { ...config, batchSize: 4, widths: [2], filters: 4 };
    const cnn = new TextCnn(small, new SeededRandom(1), { executor: asyncCpu, clipNorm: 1 });
    const data = keywordTexts(new SeededRandom(2), 8, small.classes, small.vocab, small.length);
    const loss = await cnn.trainStep(data.slice(0, 4));
    expect(Number.isFinite(loss)).toBe(true);
    expect(() => new TextCnn({ ...small, widths: [17] }, new SeededRandom(1))).toThrow(/must not exceed/);
    await expect(cnn.trainStep(data)).rejects.toThrow(/holds 4 examples, got 8/);
  });
});
