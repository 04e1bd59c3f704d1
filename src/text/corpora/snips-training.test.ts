// Trains a small text CNN on the real SNIPS files of ../shared/datasets/nlu/snips (never copied into the
// repository) on the ONNX Runtime backend and checks that it learns the intents. Behaviour, not timing:
// bench/snips-textcnn.ts measures the full run. Skipped, saying so, when the directory is absent.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { SeededRandom } from '../../math/random.js';
import { OnnxExecutor } from '../../nn/onnx/onnx-executor.js';
import { TextCnn } from '../../nn/train/text-cnn.js';
import { IntentEncoding } from './intent-examples.js';
import { readSeqInOut } from './seq-in-out.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const datasetsDir = loadConfig().datasetsDir;
const snips = join(isAbsolute(datasetsDir) ? datasetsDir : resolve(repoRoot, datasetsDir), 'nlu', 'snips');
const present = existsSync(join(snips, 'train')) && existsSync(join(snips, 'valid'));
if (!present) console.warn(`snips-training.test.ts: SKIPPED, ${snips}/{train,valid} do not exist (set SHOPWISE_DATASETS_DIR to run it)`);

describe.skipIf(!present)(`text CNN on SNIPS in ${snips}`, () => {
  it('reads both splits, and learns the intents from a 3,000-utterance subset in one epoch to > 80% on valid', async () => {
    const [train, valid] = await Promise.all([readSeqInOut(join(snips, 'train')), readSeqInOut(join(snips, 'valid'))]);
    expect(train.tokens.length).toBe(13_084);
    expect(valid.tokens.length).toBe(700);
    train.tokens.forEach((t, i) => expect(train.tags[i]!.length).toBe(t.length));

    const rng = new SeededRandom('snips-training-test');
    const order = rng.fork('subset').shuffle(Array.from({ length: train.tokens.length }, (_, i) => i)).slice(0, 3000);
    const subset = { tokens: order.map((i) => train.tokens[i]!), intents: order.map((i) => train.intents[i]!) };
    const encoding = IntentEncoding.fromTraining(subset, { minCount: 2 });
    expect(encoding.intents.size).toBe(7); // read from the data, not listed here
    const cnn = new TextCnn(
      { vocab: encoding.vocabulary.size, embDim: 32, length: encoding.length, widths: [3, 4, 5], filters: 32, classes: encoding.intents.size, batchSize: 32, dropout: 0.5 },
      rng.fork('model'),
      { executor: (g, outputs) => OnnxExecutor.create(g, outputs), lr: 3e-3 },
    );
    const validSet = encoding.encode(valid);
    const before = await cnn.accuracy(validSet);
    const report = await cnn.fit(encoding.encode(subset), { epochs: 1 });
    const after = await cnn.accuracy(validSet);
    console.log(`SNIPS subset: valid accuracy ${(before * 100).toFixed(1)}% → ${(after * 100).toFixed(1)}% after ${report.steps} steps (${report.msPerStep.toFixed(1)} ms/step)`);
    expect(before).toBeLessThan(0.4); // 7 balanced intents: chance is about 14%
    expect(after).toBeGreaterThan(0.8);
  });
});
