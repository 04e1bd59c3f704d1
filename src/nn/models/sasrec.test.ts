import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { Sasrec, type SasrecBatch, type SasrecConfig } from './sasrec.js';

const config: SasrecConfig = { items: 30, dim: 8, blocks: 2, heads: 2, length: 6, batchSize: 4, dropout: 0.1 };

/** Sequences that walk the items in order (next item = current + 1), negatives at random. */
function toyBatch(rng: SeededRandom, c: SasrecConfig): SasrecBatch & { sequences: Int32Array } {
  const n = c.batchSize * c.length;
  const sequences = new Int32Array(n);
  const positives = new Int32Array(n);
  const negatives = new Int32Array(n);
  for (let b = 0; b < c.batchSize; b++) {
    const start = rng.int(c.items - c.length) + 1;
    for (let t = 0; t < c.length; t++) {
      sequences[b * c.length + t] = start + t;
      positives[b * c.length + t] = start + t + 1;
      negatives[b * c.length + t] = 1 + rng.int(c.items);
    }
  }
  return { sequences, positives, negatives };
}

describe('Sasrec', () => {
  it('builds graphs of the right shapes; encode and scores use the batch-1 graph', async () => {
    const model = new Sasrec(config, new SeededRandom('shapes'));
    expect(model.hidden.shape).toEqual([4, 6, 8]);
    expect(model.table.vocab).toBe(31);
    expect(model.store.shape('position')).toEqual([6, 8]);
    expect(model.store.shape('block1/ff1/w')).toEqual([8, 8]);
    expect(model.trainer.rowNames).toEqual(['items', 'positives', 'negatives']);
    const hidden = await model.encode([1, 2, 3, 4, 5, 6]);
    expect(hidden.length).toBe(6 * 8);
    const scores = await model.scores([1, 2, 3, 4, 5, 6]);
    expect(scores.length).toBe(31);
    await expect(model.encode([1])).rejects.toThrow(/needs 6 ids/);
  });

  it('trains: the BPR loss on a tiny random problem goes down', async () => {
    const rng = new SeededRandom('sasrec-train');
    const model = new Sasrec({ ...config, masked: true }, rng.fork('model'), { lr: 0.01 });
    const batches = Array.from({ length: 4 }, () => toyBatch(rng, config));
    batches[0]!.sequences[0] = 0; // one padded position
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) losses.push(await model.trainStep(batches[step % 4]!));
    const first = losses.slice(0, 4).reduce((a, b) => a + b) / 4;
    const last = losses.slice(-4).reduce((a, b) => a + b) / 4;
    expect(first).toBeGreaterThan(0.5);
    expect(last).toBeLessThan(first * 0.7);
    expect([...model.table.row(0)].every((v) => v === 0)).toBe(true);
  });
});
