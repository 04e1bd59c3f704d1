import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { modelBackend } from './model-backend.js';
import { Sasrec, type SasrecConfig } from './sasrec.js';
import { SasrecSoftmaxTrainer } from './sasrec-softmax.js';

const config: SasrecConfig = { items: 20, dim: 8, blocks: 1, heads: 2, length: 5, batchSize: 4, dropout: 0.1, masked: true };

/** Walks through the items (next = current + 1), left-padded by one position, and shared negatives. */
function toyBatch(rng: SeededRandom) {
  const n = config.batchSize * config.length;
  const sequences = new Int32Array(n);
  const positives = new Int32Array(n);
  for (let b = 0; b < config.batchSize; b++) {
    const start = 1 + rng.int(config.items - config.length);
    for (let t = 1; t < config.length; t++) {
      sequences[b * config.length + t] = start + t - 1;
      positives[b * config.length + t] = start + t;
    }
  }
  return { sequences, positives, negatives: Int32Array.from({ length: 6 }, () => 1 + rng.int(config.items)) };
}

describe('SasrecSoftmaxTrainer', () => {
  it('trains the weights Sasrec.scores reads: the loss falls and the next item comes first', async () => {
    const rng = new SeededRandom('sasrec-softmax');
    const backend = modelBackend('onnx');
    const net = new Sasrec(config, rng.fork('model'), { ...backend });
    const trainer = new SasrecSoftmaxTrainer(net, 6, rng.fork('softmax'), { ...backend, lr: 0.02 });
    const losses: number[] = [];
    for (let step = 0; step < 150; step++) losses.push(await trainer.trainStep(toyBatch(rng)));
    expect(losses.slice(-10).reduce((a, b) => a + b) / 10).toBeLessThan((losses.slice(0, 10).reduce((a, b) => a + b) / 10) * 0.5);
    let correct = 0;
    for (let k = 1; k <= 15; k++) {
      const scores = await net.scores([0, 0, k, k + 1, k + 2]);
      let best = 1;
      for (let id = 1; id < scores.length; id++) if (id !== k && id !== k + 1 && id !== k + 2 && scores[id]! > scores[best]!) best = id;
      if (best === k + 3) correct++; // the walk's next item, among the items not in the input
    }
    expect(correct).toBeGreaterThanOrEqual(12);
    expect([...net.table.row(0)].every((v) => v === 0)).toBe(true);
    await backend.releaseTraining();
  });
});
