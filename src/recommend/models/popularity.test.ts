import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { POPULARITY } from './popularity.js';

for (const mode of ['global', 'category', 'trending']) {
  recommenderContract(`popularity (${mode})`, {
    make: (params) => POPULARITY.create({ mode, ...params }),
    badParams: [{ mode: 'loudest' }, { halfLifeDays: 0 }, { halfLifeDays: 'soon' }],
    minAuc: 0.55,
  });
}

describe('popularity', () => {
  it('trending ranks a recently popular item above an item popular long ago', async () => {
    const b = new InteractionsBuilder({ explicit: false });
    const day = 86_400_000;
    for (let u = 0; u < 10; u++) b.push(`old${u}`, 'old', 1, 0);
    for (let u = 0; u < 4; u++) b.push(`new${u}`, 'new', 1, 60 * day);
    const data = new TrainingData(b.build());
    const trending = POPULARITY.create({ mode: 'trending', halfLifeDays: 7 });
    const global = POPULARITY.create({ mode: 'global' });
    await trending.fit(data, { rng: new SeededRandom(1) });
    await global.fit(data, { rng: new SeededRandom(1) });
    const query = { user: -1, items: new Int32Array(0), values: new Float32Array(0), history: new Int32Array(0) };
    expect(data.source.items.idOf((await trending.recommend(query, 1)).ids[0]!)).toBe('new');
    expect(data.source.items.idOf((await global.recommend(query, 1)).ids[0]!)).toBe('old');
  });
});
