import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { BucketedTextCnn, type BucketedTextCnnConfig } from './bucketed-text-cnn.js';

const config: BucketedTextCnnConfig = { vocab: 30, embDim: 8, length: 12, buckets: [6, 12], widths: [2, 3], filters: 6, classes: 3, batchSize: 8, dropout: 0.2 };

/** Texts of 2–12 ids; the class is the id of a marker token (1, 2 or 3 → class 0, 1, 2) somewhere in it. */
function toy(n: number, rng: SeededRandom) {
  return Array.from({ length: n }, () => {
    const len = 2 + rng.int(11);
    const ids = Int32Array.from({ length: len }, () => 4 + rng.int(26));
    const label = rng.int(3);
    ids[rng.int(len)] = 1 + label;
    return { ids, label };
  });
}

describe('BucketedTextCnn', () => {
  it('learns across buckets; predict agrees with classify', async () => {
    const rng = new SeededRandom('bucketed');
    const cnn = new BucketedTextCnn(config, rng.fork('model'), { lr: 0.02 });
    expect(cnn.bucketOf(3)).toBe(6);
    expect(cnn.bucketOf(7)).toBe(12);
    expect(cnn.bucketOf(40)).toBe(12);
    const train = toy(160, rng);
    const first = await cnn.fit(train, { epochs: 1 });
    const report = await cnn.fit(train, { epochs: 12 });
    expect(report.epochLoss[report.epochLoss.length - 1]!).toBeLessThan(first.epochLoss[0]! * 0.5);
    const test = toy(60, rng);
    expect(await cnn.accuracy(test)).toBeGreaterThan(0.8); // chance 1/3
    const predicted = await cnn.classify(test.map((e) => e.ids));
    for (let i = 0; i < 10; i++) {
      const p = await cnn.predict(test[i]!.ids);
      expect(p.indexOf(Math.max(...p))).toBe(predicted[i]);
    }
    expect([...cnn.table.row(0)].every((v) => v === 0)).toBe(true);
  });

  it('saves and loads; rejects buckets that do not end at the length', () => {
    const a = new BucketedTextCnn(config, new SeededRandom('a'));
    const b = new BucketedTextCnn(config, new SeededRandom('b'));
    b.load(a.save());
    expect(b.store.get('out/w')).toEqual(a.store.get('out/w'));
    expect(() => new BucketedTextCnn({ ...config, buckets: [6, 10] }, new SeededRandom('c'))).toThrow(/end at the length 12/);
    expect(() => new BucketedTextCnn({ ...config, buckets: [2, 12] }, new SeededRandom('c'))).toThrow(/shortest bucket/);
  });
});
