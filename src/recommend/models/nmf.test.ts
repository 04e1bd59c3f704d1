import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { syntheticInteractions } from '../fixtures.js';
import { InteractionsBuilder, subset } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { NMF, Nmf } from './nmf.js';

// Predicted ratings rank the fixture's next interactions only a little above chance (see svd.test.ts).
recommenderContract('nmf', {
  make: (params) => NMF.create(params),
  badParams: [{ factors: 0 }, { regUser: -0.1 }, { lrBias: -0.005 }, { epochs: 0 }, { biased: 2 }, { initHigh: 0 }],
  minAuc: 0.55,
});

describe('nmf', () => {
  for (const biased of [false, true]) {
    it(`keeps every factor ≥ 0 after fitting (biased: ${biased})`, async () => {
      const data = new TrainingData(syntheticInteractions({ users: 150, items: 120, perUser: 20, seed: 3 }));
      const model = NMF.create({ biased }) as Nmf;
      await model.fit(data, { rng: new SeededRandom(1) });
      const { users, items } = model.factors();
      expect(users.every((v) => v >= 0)).toBe(true);
      expect(items.every((v) => v >= 0)).toBe(true);
      expect(items.some((v) => v > 0)).toBe(true);
    });
  }

  it('fits a non-negative low-rank matrix closely and lowers its training RMSE epoch by epoch', async () => {
    const rng = new SeededRandom('nmf-low-rank');
    const a = Array.from({ length: 30 }, () => [rng.next(), rng.next()]);
    const c = Array.from({ length: 20 }, () => [1 + 2 * rng.next(), 1 + 2 * rng.next()]);
    const b = new InteractionsBuilder({ explicit: true });
    for (let u = 0; u < 30; u++) for (let i = 0; i < 20; i++) b.push(`u${u}`, `i${i}`, 1 + a[u]![0]! * c[i]![0]! + a[u]![1]! * c[i]![1]!, u * 20 + i);
    const model = NMF.create({ factors: 3, epochs: 400, regUser: 0, regItem: 0 });
    const report = await model.fit(new TrainingData(b.build()), { rng: new SeededRandom(1) });
    expect(report.losses!.at(-1)!).toBeLessThan(0.1);
    expect(report.losses!.at(-1)!).toBeLessThan(report.losses![0]!);
  });

  for (const biased of [false, true]) {
    it(`beats the global mean on held-out ratings (biased: ${biased})`, async () => {
      const data = syntheticInteractions({ users: 300, items: 200, perUser: 30, seed: 5 });
      const rng = new SeededRandom(5);
      const rows = Int32Array.from({ length: data.user.length }, (_, r) => r);
      const inTest = Array.from(rows, () => rng.next() < 0.2);
      const train = new TrainingData(subset(data, rows.filter((r) => !inTest[r])));
      const model = NMF.create({ biased });
      await model.fit(train, { rng: new SeededRandom(1) });
      const mean = train.meanRating();
      let model2 = 0;
      let mean2 = 0;
      for (const r of rows.filter((r) => inTest[r]!)) {
        model2 += (model.predict!(data.user[r]!, data.item[r]!) - data.value[r]!) ** 2;
        mean2 += (mean - data.value[r]!) ** 2;
      }
      expect(model2).toBeLessThan(0.9 * mean2);
    });
  }

  it('folds in an unseen user from their items and scores an empty query as the average user', async () => {
    const data = new TrainingData(syntheticInteractions({ users: 150, items: 120, perUser: 20, seed: 4 }));
    const model = NMF.create();
    await model.fit(data, { rng: new SeededRandom(1) });
    const folded = new Float32Array(data.numItems);
    model.score({ ...data.query(7), user: -1 }, folded);
    const average = new Float32Array(data.numItems);
    model.score({ user: -1, items: new Int32Array(0), values: new Float32Array(0), history: new Int32Array(0) }, average);
    expect(folded.every(Number.isFinite) && average.every(Number.isFinite)).toBe(true);
    expect(Array.from(folded)).not.toEqual(Array.from(average));
    // The folded-in user is closer to the trained user 7 than the average user is.
    const own = new Float32Array(data.numItems);
    model.score(data.query(7), own);
    let foldedGap = 0;
    let averageGap = 0;
    for (let i = 0; i < data.numItems; i++) {
      foldedGap += (folded[i]! - own[i]!) ** 2;
      averageGap += (average[i]! - own[i]!) ** 2;
    }
    expect(foldedGap).toBeLessThan(averageGap);
  });
});
