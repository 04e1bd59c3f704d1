import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { SVD } from './svd.js';

// A rating model ranks the fixture's next interactions only a little above chance: which item a user
// picks there follows popularity and taste cluster, and predicted ratings model neither popularity nor
// selection (the unbiased variant's raw q·p does, hence its default bar). Few factors and many
// epochs learn the cluster structure this small fixture holds.
recommenderContract('svd', {
  make: (params) => SVD.create({ factors: 4, epochs: 300, lr: 0.02, reg: 0.05, ...params }),
  minAuc: 0.55,
  badParams: [{ factors: 0 }, { lr: -0.01 }, { epochs: 0 }, { reg: -1 }, { lrBias: 0 }, { biased: 'sometimes' }],
});

recommenderContract('svd (unbiased)', {
  make: (params) => SVD.create({ factors: 16, epochs: 25, biased: false, ...params }),
  badParams: [{ initStd: 2 }],
});

/** A noise-free rank-2 rating matrix: r = 3 + a_u·b_i, with every pair rated. */
function lowRank(users: number, items: number, explicit = true): { data: TrainingData; rating: (u: number, i: number) => number } {
  const rng = new SeededRandom('low-rank');
  const a = Array.from({ length: users }, () => [rng.normal(0, 0.8), rng.normal(0, 0.8)]);
  const b = Array.from({ length: items }, () => [rng.normal(0, 0.8), rng.normal(0, 0.8)]);
  const rating = (u: number, i: number) => 3 + a[u]![0]! * b[i]![0]! + a[u]![1]! * b[i]![1]!;
  const builder = new InteractionsBuilder({ explicit });
  for (let u = 0; u < users; u++) for (let i = 0; i < items; i++) builder.push(`u${u}`, `i${i}`, rating(u, i), u * items + i);
  return { data: new TrainingData(builder.build()), rating };
}

function correlation(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let x = 0; x < a.length; x++) {
    ab += (a[x]! - ma) * (b[x]! - mb);
    aa += (a[x]! - ma) ** 2;
    bb += (b[x]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('svd', () => {
  it('fits a noise-free low-rank matrix to a training RMSE below 0.1', async () => {
    const { data, rating } = lowRank(30, 20);
    const model = SVD.create({ factors: 4, epochs: 300, lr: 0.02, reg: 0, regBias: 0, lrBias: 0.02 });
    const report = await model.fit(data, { rng: new SeededRandom(1) });
    let squares = 0;
    for (let u = 0; u < 30; u++) for (let i = 0; i < 20; i++) squares += (model.predict!(u, i) - rating(u, i)) ** 2;
    expect(Math.sqrt(squares / 600)).toBeLessThan(0.1);
    expect(report.losses!.at(-1)!).toBeLessThan(0.1);
  });

  it('reports a falling training RMSE per epoch and calls onProgress each epoch', async () => {
    const { data } = lowRank(30, 20);
    const seen: number[] = [];
    const report = await SVD.create({ factors: 4, epochs: 12 }).fit(data, { rng: new SeededRandom(2), onProgress: (p) => seen.push(p.step) });
    expect(seen).toEqual(Array.from({ length: 12 }, (_, e) => e + 1));
    expect(report.losses).toHaveLength(12);
    expect(report.losses![11]!).toBeLessThan(report.losses![0]!);
  });

  it('clips predictions to the rating range seen in training', async () => {
    const b = new InteractionsBuilder({ explicit: true });
    for (let u = 0; u < 10; u++) for (let i = 0; i < 6; i++) b.push(`u${u}`, `i${i}`, i < 3 ? 5 : 2, u * 6 + i);
    const data = new TrainingData(b.build());
    const model = SVD.create({ factors: 3, epochs: 200, lr: 0.05, reg: 0 });
    await model.fit(data, { rng: new SeededRandom(1) });
    for (let u = 0; u < 10; u++) {
      for (let i = 0; i < 6; i++) {
        const r = model.predict!(u, i);
        expect(r).toBeGreaterThanOrEqual(2);
        expect(r).toBeLessThanOrEqual(5);
      }
    }
  });

  it('folds in an unseen user from the weights of their query on implicit data', async () => {
    const { data, rating } = lowRank(40, 25, false);
    const model = SVD.create({ factors: 4, epochs: 200, lr: 0.02, reg: 0.001, regBias: 0.001, lrBias: 0.02 });
    await model.fit(data, { rng: new SeededRandom(1) });
    // A new user with the tastes of user 0, who gave the first 15 items their weights.
    const items = Int32Array.from({ length: 15 }, (_, i) => i);
    const values = Float32Array.from(items, (i) => rating(0, i));
    const out = new Float32Array(data.numItems);
    model.score({ user: -1, items, values, history: items }, out);
    let squares = 0;
    for (let i = 15; i < 25; i++) squares += (out[i]! - rating(0, i)) ** 2;
    expect(Math.sqrt(squares / 10)).toBeLessThan(0.3);
  });

  it('reads the items of an explicit query as liked, and an empty query as the average user', async () => {
    const { data, rating } = lowRank(40, 25);
    const model = SVD.create({ factors: 4, epochs: 200, lr: 0.02, reg: 0.001, regBias: 0.001, lrBias: 0.02 });
    await model.fit(data, { rng: new SeededRandom(1) });
    // A new user who interacted with user 0's eight favourite items (TrainingData.query gives 1 per item).
    const byRating = Array.from({ length: 25 }, (_, i) => i).sort((a, b) => rating(0, b) - rating(0, a));
    const items = Int32Array.from(byRating.slice(0, 8)).sort();
    const folded = new Float32Array(data.numItems);
    model.score({ user: -1, items, values: new Float32Array(8).fill(1), history: items }, folded);
    const average = new Float32Array(data.numItems);
    model.score({ user: -1, items: new Int32Array(0), values: new Float32Array(0), history: new Int32Array(0) }, average);
    const rest = byRating.slice(8);
    const truth = rest.map((i) => rating(0, i));
    expect(correlation(rest.map((i) => folded[i]!), truth)).toBeGreaterThan(correlation(rest.map((i) => average[i]!), truth) + 0.2);
    expect(Math.abs(average[20]! - model.predict!(-1, 20))).toBeLessThan(0.5);
  });

  it('stops at the next epoch when the fit is cancelled midway', async () => {
    const { data } = lowRank(30, 20);
    const controller = new AbortController();
    const fit = SVD.create({ factors: 4, epochs: 50 }).fit(data, {
      rng: new SeededRandom(1), signal: controller.signal, onProgress: (p) => p.step === 3 && controller.abort(),
    });
    await expect(fit).rejects.toThrow(/cancelled/);
  });

  it('predicts an unknown user from the item bias, as Surprise does', async () => {
    const { data } = lowRank(20, 10);
    const model = SVD.create({ factors: 2, epochs: 20 });
    await model.fit(data, { rng: new SeededRandom(1) });
    expect(Number.isFinite(model.predict!(-1, 3))).toBe(true);
    expect(() => model.predict!(0, 99)).toThrow(/no item/);
  });
});
