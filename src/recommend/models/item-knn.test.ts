import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { DEFAULT_BASELINE_FIT, fitBaselines } from './baseline-only.js';
import { ITEM_KNN } from './item-knn.js';

const BAD = [{ k: 0 }, { similarity: 'euclid' }, { shrinkage: -1 }, { keep: -1 }, { minK: 0 }, { baseline: 'maybe' }];

recommenderContract('item-knn (explicit, cosine: KNNBaseline ratings)', { make: (p) => ITEM_KNN.create({ k: 20, ...p }), badParams: BAD });
recommenderContract('item-knn (explicit, pearson, baseline-adjusted)', { make: (p) => ITEM_KNN.create({ similarity: 'pearson', baseline: true, shrinkage: 10, ...p }), badParams: BAD });
recommenderContract('item-knn (implicit, cosine)', { make: (p) => ITEM_KNN.create({ k: 20, ...p }), badParams: BAD, implicit: true });
recommenderContract('item-knn (implicit, jaccard, normalised)', { make: (p) => ITEM_KNN.create({ similarity: 'jaccard', normalize: true, shrinkage: 5, ...p }), badParams: BAD, implicit: true });

/**
 * Five users, three items. Item users: x {A,B,D,E}, y {A,C,D}, z {B,C,D,E}: jaccard(z, x) = 3/5,
 * jaccard(z, y) = 2/5.
 */
function tiny(explicit = true): TrainingData {
  const b = new InteractionsBuilder({ explicit });
  const rows: [string, string, number][] = [['A', 'x', 4], ['A', 'y', 3], ['B', 'x', 4], ['B', 'z', 2], ['C', 'y', 2], ['C', 'z', 5], ['D', 'x', 3], ['D', 'y', 3], ['D', 'z', 4], ['E', 'x', 2], ['E', 'z', 3]];
  rows.forEach(([u, i, r], t) => b.push(u, i, r, t));
  return new TrainingData(b.build());
}

describe('item-knn', () => {
  it('predicts as KNNBaseline (item-based) by hand: baseline + similarity-weighted deviations', async () => {
    const data = tiny();
    const [A, x, y, z] = [data.source.users.get('A'), data.source.items.get('x'), data.source.items.get('y'), data.source.items.get('z')];
    const b = fitBaselines(data.ratings(), data.numUsers, data.numItems, DEFAULT_BASELINE_FIT);
    const base = (u: number, i: number) => b.mean + b.user[u]! + b.item[i]!;
    const fit = async (params: Record<string, unknown>) => {
      const model = ITEM_KNN.create({ similarity: 'jaccard', shrinkage: 0, ...params });
      await model.fit(data, { rng: new SeededRandom(1) });
      return model;
    };
    const both = (0.6 * (4 - base(A, x)) + 0.4 * (3 - base(A, y))) / (0.6 + 0.4);
    // The estimates fall inside the rating range 2..5, so no clipping hides the formula.
    for (const e of [base(A, z) + both, base(A, z) + (4 - base(A, x)), base(A, z)]) expect(e > 2 && e < 5).toBe(true);
    expect((await fit({})).predict!(A, z)).toBeCloseTo(base(A, z) + both, 5);
    // k = 1: only x (the more similar) votes; minK = 3: too few voters, the baseline alone.
    expect((await fit({ k: 1 })).predict!(A, z)).toBeCloseTo(base(A, z) + (4 - base(A, x)), 5);
    expect((await fit({ minK: 3 })).predict!(A, z)).toBeCloseTo(base(A, z), 5);
    // keep = 1 stores only z's nearest item (x), whatever k says.
    expect((await fit({ keep: 1 })).predict!(A, z)).toBeCloseTo(base(A, z) + (4 - base(A, x)), 5);
  });

  it('ranks on implicit data by the sum of similarities to the user’s items (weighted by value)', async () => {
    const data = tiny(false);
    const model = ITEM_KNN.create({ similarity: 'jaccard', shrinkage: 0 });
    await model.fit(data, { rng: new SeededRandom(1) });
    const [x, y, z] = ['x', 'y', 'z'].map((i) => data.source.items.get(i));
    // A new user holding x (weight 2) and y (weight 1): z scores 3/5·2 + 2/5·1.
    const out = new Float32Array(3);
    model.score({ user: -1, items: Int32Array.of(x!, y!), values: Float32Array.of(2, 1), history: Int32Array.of(x!, y!) }, out);
    expect(out[z!]).toBeCloseTo(0.6 * 2 + 0.4 * 1, 6);
    // x's neighbours: y {A,D} of {A,B,C,D,E} = 2/5 and z 3/5.
    expect(out[x!]).toBeCloseTo(2 / 5, 6);
    // Normalised, a vote of item j is divided by the sum of j's similarities: x's is 2/5 + 3/5, y's 2/5 + 2/5.
    const normalised = ITEM_KNN.create({ similarity: 'jaccard', shrinkage: 0, normalize: true });
    await normalised.fit(data, { rng: new SeededRandom(1) });
    normalised.score({ user: -1, items: Int32Array.of(x!, y!), values: Float32Array.of(2, 1), history: Int32Array.of(x!, y!) }, out);
    expect(out[z!]).toBeCloseTo((0.6 * 2) / (2 / 5 + 3 / 5) + (0.4 * 1) / (2 / 5 + 2 / 5), 6);
  });

  it('answers similar from the item–item similarities', async () => {
    const data = tiny(false);
    const model = ITEM_KNN.create({ similarity: 'jaccard', shrinkage: 0 });
    await model.fit(data, { rng: new SeededRandom(1) });
    const z = data.source.items.get('z');
    const { ids, scores } = await model.similar(z, 2);
    expect(Array.from(ids, (i) => data.source.items.idOf(i))).toEqual(['x', 'y']);
    expect(scores[0]).toBeCloseTo(0.6, 6);
    expect(scores[1]).toBeCloseTo(0.4, 6);
  });

  it('predicts the baseline for a user it has not seen', async () => {
    const data = tiny();
    const model = ITEM_KNN.create();
    await model.fit(data, { rng: new SeededRandom(1) });
    const b = fitBaselines(data.ratings(), data.numUsers, data.numItems, DEFAULT_BASELINE_FIT);
    expect(model.predict!(-1, 2)).toBeCloseTo(b.mean + b.item[2]!, 5);
  });
});
