import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { DEFAULT_BASELINE_FIT, fitBaselines } from './baseline-only.js';
import { USER_KNN } from './user-knn.js';

const BAD = [{ k: 0 }, { similarity: 'manhattan' }, { shrinkage: -1 }, { keep: 2.5 }, { minK: 0 }];

recommenderContract('user-knn (explicit, cosine: KNNBaseline ratings)', { make: (p) => USER_KNN.create({ k: 20, ...p }), badParams: BAD });
recommenderContract('user-knn (explicit, pearson, baseline-adjusted)', { make: (p) => USER_KNN.create({ similarity: 'pearson', baseline: true, shrinkage: 10, ...p }), badParams: BAD });
recommenderContract('user-knn (implicit, jaccard)', { make: (p) => USER_KNN.create({ similarity: 'jaccard', k: 30, ...p }), badParams: BAD, implicit: true });
recommenderContract('user-knn (implicit, cosine, baseline-adjusted, normalised)', { make: (p) => USER_KNN.create({ baseline: true, normalize: true, ...p }), badParams: BAD, implicit: true });

/** Users A–E in index order 0–4; A has {x, y}: jaccard with B {x,z}, C {y,z}, E {x,z} is 1/3, with D {x,y,z} 2/3. */
function tiny(): TrainingData {
  const b = new InteractionsBuilder({ explicit: true });
  const rows: [string, string, number][] = [['A', 'x', 4], ['A', 'y', 3], ['B', 'x', 4], ['B', 'z', 2], ['C', 'y', 2], ['C', 'z', 5], ['D', 'x', 3], ['D', 'y', 3], ['D', 'z', 4], ['E', 'x', 2], ['E', 'z', 3]];
  rows.forEach(([u, i, r], t) => b.push(u, i, r, t));
  return new TrainingData(b.build());
}

async function fitted(data: TrainingData, params: Record<string, unknown>) {
  const model = USER_KNN.create({ similarity: 'jaccard', shrinkage: 0, ...params });
  await model.fit(data, { rng: new SeededRandom(1) });
  return model;
}

describe('user-knn', () => {
  it('predicts as KNNBaseline (user-based) by hand, the k most similar raters voting (ties: lower id)', async () => {
    const data = tiny();
    const z = data.source.items.get('z');
    const [A, B, C, D, E] = ['A', 'B', 'C', 'D', 'E'].map((u) => data.source.users.get(u)) as [number, number, number, number, number];
    const b = fitBaselines(data.ratings(), data.numUsers, data.numItems, DEFAULT_BASELINE_FIT);
    const dev = (u: number, r: number) => r - (b.mean + b.user[u]! + b.item[z]!);
    const base = b.mean + b.user[A]! + b.item[z]!;
    const all = (dev(B, 2) / 3 + dev(C, 5) / 3 + (2 / 3) * dev(D, 4) + dev(E, 3) / 3) / (1 / 3 + 1 / 3 + 2 / 3 + 1 / 3);
    const two = ((2 / 3) * dev(D, 4) + dev(B, 2) / 3) / (2 / 3 + 1 / 3);
    for (const e of [base + all, base + two, base]) expect(e > 2 && e < 5).toBe(true);
    expect((await fitted(data, {})).predict!(A, z)).toBeCloseTo(base + all, 5);
    expect((await fitted(data, { k: 2 })).predict!(A, z)).toBeCloseTo(base + two, 5);
    expect((await fitted(data, { minK: 5 })).predict!(A, z)).toBeCloseTo(base, 5);
  });

  it('folds in a new user by comparing its items with the training users', async () => {
    const data = tiny();
    const model = await fitted(data, {});
    const [x, y, z] = ['x', 'y', 'z'].map((i) => data.source.items.get(i)) as [number, number, number];
    const out = new Float32Array(3);
    // Like A: jaccard 1 with A, 1/3 with B, C, E and 2/3 with D; each rating counts 1 in the ranking.
    model.score({ user: -1, items: Int32Array.of(x, y), values: Float32Array.of(1, 1), history: Int32Array.of(x, y) }, out);
    expect(out[z]).toBeCloseTo(1 / 3 + 1 / 3 + 2 / 3 + 1 / 3, 6);
    expect(out[x]).toBeCloseTo(1 + 1 / 3 + 2 / 3 + 1 / 3, 6);
    const limited = await fitted(data, { k: 1 });
    limited.score({ user: -1, items: Int32Array.of(x, y), values: Float32Array.of(1, 1), history: Int32Array.of(x, y) }, out);
    expect(out[z]).toBeCloseTo(2 / 3, 6);
    // Normalised, each voter's similarity is divided by the sum of its own stored similarities:
    // B and E 7/3 (1/3 + 1/3 + 2/3 + 1), C 5/3, D 8/3.
    const normalised = await fitted(data, { normalize: true });
    normalised.score({ user: -1, items: Int32Array.of(x, y), values: Float32Array.of(1, 1), history: Int32Array.of(x, y) }, out);
    expect(out[z]).toBeCloseTo((1 / 3) * (3 / 7) * 2 + (1 / 3) * (3 / 5) + (2 / 3) * (3 / 8), 6);
  });

  it('answers similar by the cosine of the items’ user sets', async () => {
    const data = tiny();
    const model = await fitted(data, {});
    const { ids, scores } = await model.similar(data.source.items.get('z'), 2);
    expect(Array.from(ids, (i) => data.source.items.idOf(i))).toEqual(['x', 'y']);
    expect(scores[0]).toBeCloseTo(3 / 4, 6);
    expect(scores[1]).toBeCloseTo(2 / Math.sqrt(12), 6);
  });
});
