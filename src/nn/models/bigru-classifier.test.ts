import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { BiGruClassifier, type BiGruClassifierConfig } from './bigru-classifier.js';

const config: BiGruClassifierConfig = { vocab: 30, embDim: 8, hidden: 6, length: 8, classes: 3, batchSize: 8, dropout: 0.1 };

/** Texts of 2–8 ids; the class is the marker token (1, 2 or 3) somewhere in it. */
function toy(n: number, rng: SeededRandom) {
  return Array.from({ length: n }, () => {
    const ids = Int32Array.from({ length: 2 + rng.int(7) }, () => 4 + rng.int(26));
    const label = rng.int(3);
    ids[rng.int(ids.length)] = 1 + label;
    return { ids, label };
  });
}

describe('BiGruClassifier', () => {
  it('learns a marker task; predict gives probabilities that agree with classify; padding does not matter', async () => {
    const rng = new SeededRandom('bigru-classifier');
    const model = new BiGruClassifier(config, rng.fork('model'), { lr: 0.02 });
    const train = toy(120, rng);
    const first = await model.fit(train, { epochs: 1 });
    const last = await model.fit(train, { epochs: 10 });
    expect(last.epochLoss[last.epochLoss.length - 1]!).toBeLessThan(first.epochLoss[0]! * 0.5);
    const test = toy(40, rng);
    expect(await model.accuracy(test)).toBeGreaterThan(0.8); // chance 1/3
    const p = await model.predict(test[0]!.ids);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(p.indexOf(Math.max(...p))).toBe((await model.classify([test[0]!.ids]))[0]);
    // The mask keeps padding out: the same ids with explicit trailing zeros give the same probabilities.
    const withZeros = Int32Array.from([...test[0]!.ids, 0]);
    expect([...(await model.predict(withZeros))].map((x) => x.toFixed(5))).toEqual([...p].map((x) => x.toFixed(5)));
    await expect(model.trainStep(train.slice(0, 3))).rejects.toThrow(/holds 8 examples/);
  });
});
