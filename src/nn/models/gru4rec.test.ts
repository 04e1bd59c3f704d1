import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { Gru4rec, type Gru4recConfig } from './gru4rec.js';
import { modelBackend } from './model-backend.js';

const config: Gru4recConfig = { items: 20, dim: 8, hidden: 8, length: 5, batchSize: 4, negatives: 6 };

/** Sequences that walk the items in order (next item = current + 1), left-padded by one, and shared negatives. */
function toyBatch(rng: SeededRandom, c: Gru4recConfig) {
  const n = c.batchSize * c.length;
  const sequences = new Int32Array(n);
  const positives = new Int32Array(n);
  for (let b = 0; b < c.batchSize; b++) {
    const start = 1 + rng.int(c.items - c.length);
    for (let t = 1; t < c.length; t++) {
      sequences[b * c.length + t] = start + t - 1;
      positives[b * c.length + t] = start + t;
    }
  }
  const negatives = Int32Array.from({ length: c.negatives }, () => 1 + rng.int(c.items));
  return { sequences, positives, negatives };
}

describe('Gru4rec', () => {
  it('builds both tables with a zero padding row and scores every item from the last state', async () => {
    const model = new Gru4rec(config, new SeededRandom('shapes'));
    expect(model.table.vocab).toBe(21);
    expect(model.output.dim).toBe(9);
    expect(model.store.shape('gru/wx')).toEqual([8, 24]);
    expect(model.trainer.rowNames).toEqual(['items', 'positives', 'negatives']);
    expect([...model.output.row(0)].every((v) => v === 0)).toBe(true);
    const state = await model.encode([0, 0, 3, 4, 5]);
    expect(state.length).toBe(8);
    const scores = await model.scores([0, 0, 3, 4, 5]);
    expect(scores.length).toBe(21);
    expect(scores.every(Number.isFinite)).toBe(true);
    // Left padding leaves the state at zero, so the padded and unpadded encodings agree.
    const short = new Gru4rec({ ...config, length: 3 }, new SeededRandom('shapes'));
    expect(Array.from(await short.encode([3, 4, 5]))).toEqual(Array.from(state));
    await expect(model.encode([1])).rejects.toThrow(/needs 5 ids/);
  });

  it('trains: the loss on walks through the items goes down, the padding rows stay zero', async () => {
    const rng = new SeededRandom('gru4rec-train');
    const model = new Gru4rec({ ...config, dropout: 0.1 }, rng.fork('model'), { lr: 0.02 });
    const batches = Array.from({ length: 4 }, () => toyBatch(rng, config));
    const losses: number[] = [];
    for (let step = 0; step < 60; step++) losses.push(await model.trainStep(batches[step % 4]!));
    const first = losses.slice(0, 4).reduce((a, b) => a + b) / 4;
    const last = losses.slice(-4).reduce((a, b) => a + b) / 4;
    expect(first).toBeGreaterThan(1);
    expect(last).toBeLessThan(first * 0.5);
    expect([...model.table.row(0)].every((v) => v === 0)).toBe(true);
    expect([...model.output.row(0)].every((v) => v === 0)).toBe(true);
  });

  it('gives the same losses on the onnx backend as on the cpu reference', async () => {
    const rng = new SeededRandom('gru4rec-backends');
    const batches = Array.from({ length: 3 }, () => toyBatch(rng, config));
    const backend = modelBackend('onnx');
    const cpu = new Gru4rec(config, new SeededRandom('same'), { lr: 0.01 });
    const onnx = new Gru4rec(config, new SeededRandom('same'), { ...backend, lr: 0.01 });
    for (const batch of batches) expect(await onnx.trainStep(batch)).toBeCloseTo(await cpu.trainStep(batch), 4);
    const a = await cpu.scores([0, 1, 2, 3, 4]);
    const b = await onnx.scores([0, 1, 2, 3, 4]);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
    await backend.releaseTraining();
  });

  it('refuses malformed batches', async () => {
    const model = new Gru4rec(config, new SeededRandom(1));
    const batch = toyBatch(new SeededRandom(2), config);
    await expect(model.trainStep({ ...batch, negatives: Int32Array.of(1) })).rejects.toThrow(/6 negatives/);
    await expect(model.trainStep({ ...batch, positives: new Int32Array(20) })).rejects.toThrow(/no next item/);
    await expect(model.trainStep({ ...batch, sequences: new Int32Array(20), positives: new Int32Array(20) })).rejects.toThrow(/at least one position/);
    expect(() => new Gru4rec({ ...config, negatives: 0 }, new SeededRandom(1))).toThrow(/negatives must be/);
  });
});
