import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { BASELINE_ONLY, fitBaselines } from './baseline-only.js';

for (const method of ['als', 'sgd']) {
  recommenderContract(`baseline (${method})`, {
    make: (params) => BASELINE_ONLY.create({ method, ...params }),
    badParams: [{ method: 'newton' }, { epochs: 0 }, { regU: -1 }, { learningRate: 0 }],
    // Biases rank the same items first for everyone: barely better than chance as a ranker.
    minAuc: 0.5,
  });
}

function tiny(): TrainingData {
  const b = new InteractionsBuilder({ explicit: true });
  b.push('u0', 'i0', 4, 1);
  b.push('u0', 'i1', 2, 2);
  b.push('u1', 'i0', 5, 3);
  return new TrainingData(b.build());
}

describe('baseline', () => {
  it('one ALS epoch gives the hand-computed biases (items first, then users)', () => {
    const data = tiny();
    const b = fitBaselines(data.ratings(), 2, 2, { method: 'als', epochs: 1, regU: 1, regI: 1, reg: 0, learningRate: 0 });
    // μ = 11/3; b_i0 = (1/3 + 4/3) / (1 + 2); b_i1 = (2 − 11/3) / (1 + 1); then the users on those.
    expect(b.mean).toBeCloseTo(11 / 3, 12);
    expect(b.item[0]).toBeCloseTo(5 / 9, 12);
    expect(b.item[1]).toBeCloseTo(-5 / 6, 12);
    expect(b.user[0]).toBeCloseTo(-19 / 54, 12);
    expect(b.user[1]).toBeCloseTo(7 / 18, 12);
  });

  it('predicts mean + user bias + item bias, clipped to the rating range; an unknown user gets mean + item bias', async () => {
    const data = tiny();
    const model = BASELINE_ONLY.create({ epochs: 1, regU: 1, regI: 1 });
    await model.fit(data, { rng: new SeededRandom(1) });
    expect(model.predict!(1, 1)).toBeCloseTo(11 / 3 + 7 / 18 - 5 / 6, 6);
    expect(model.predict!(0, 0)).toBeCloseTo(11 / 3 - 19 / 54 + 5 / 9, 6);
    const out = new Float32Array(2);
    model.score({ user: -1, items: new Int32Array(0), values: new Float32Array(0), history: new Int32Array(0) }, out);
    expect(out[0]).toBeCloseTo(11 / 3 + 5 / 9, 5);
    expect(out[1]).toBeCloseTo(11 / 3 - 5 / 6, 5);
    const extreme = BASELINE_ONLY.create({ epochs: 5, regU: 0, regI: 0 });
    await extreme.fit(data, { rng: new SeededRandom(1) });
    for (const [u, i] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
      expect(extreme.predict!(u!, i!)).toBeGreaterThanOrEqual(2);
      expect(extreme.predict!(u!, i!)).toBeLessThanOrEqual(5);
    }
  });

  it('SGD lowers the training error epoch after epoch and lands near ALS', async () => {
    const b = new InteractionsBuilder({ explicit: true });
    const rng = new SeededRandom(4);
    for (let u = 0; u < 40; u++) for (let i = 0; i < 30; i++) if (rng.next() < 0.5) b.push(`u${u}`, `i${i}`, Math.min(5, Math.max(1, Math.round(3 + (u % 3) - 1 + (i % 5) / 2 - 1 + rng.normal(0, 0.3)))), u * 100 + i);
    const data = new TrainingData(b.build());
    const sgd = await BASELINE_ONLY.create({ method: 'sgd', epochs: 30, learningRate: 0.01 }).fit(data, { rng: new SeededRandom(1) });
    const als = await BASELINE_ONLY.create({ regU: 1, regI: 1 }).fit(data, { rng: new SeededRandom(1) });
    const losses = sgd.losses!;
    for (let e = 1; e < losses.length; e++) expect(losses[e]!).toBeLessThanOrEqual(losses[e - 1]! + 1e-9);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.95);
    expect(Math.abs(losses.at(-1)! - als.losses!.at(-1)!)).toBeLessThan(0.1);
  });
});
