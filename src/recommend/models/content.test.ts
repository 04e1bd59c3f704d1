import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { CONTENT } from './content.js';

const FAST_EMBEDDING = { mode: 'embedding', dim: 16, epochs: 15, batch: 256, buckets: 4096, maxWords: 16 };

recommenderContract('content (tfidf)', {
  make: (params) => CONTENT.create({ mode: 'tfidf', ...params }),
  badParams: [{ mode: 'bag' }, { minDf: 0 }, { maxDf: 2 }, { wordNgrams: 4 }, { maxFeatures: 'many' }],
});

recommenderContract('content (embedding)', {
  make: (params) => CONTENT.create({ ...FAST_EMBEDDING, ...params }),
  badParams: [{ dim: 0 }, { lr: -1 }, { minN: 4, maxN: 3 }, { epochs: 1.5 }],
});

/**
 * A tiny shop: string items and drum items, each user buys within one kind, and two items nobody has
 * bought yet — one more strings product, one unrelated microphone.
 */
function shop(): TrainingData {
  const b = new InteractionsBuilder({ explicit: false });
  const strings = ['acoustic guitar strings bronze', 'electric guitar strings nickel', 'bass guitar strings steel', 'classical guitar strings nylon'];
  const drums = ['snare drum sticks maple', 'bass drum pedal chain', 'drum throne padded seat', 'cymbal stand drum hardware'];
  strings.forEach((title, k) => b.describe(`s${k}`, { title, category: ['instruments', 'strings'] }));
  drums.forEach((title, k) => b.describe(`d${k}`, { title, category: ['instruments', 'drums'] }));
  b.describe('cold-strings', { title: 'guitar strings bronze nickel', category: ['instruments', 'strings'] });
  b.describe('cold-mic', { title: 'condenser microphone with pop filter', category: ['recording', 'microphones'] });
  let time = 0;
  for (let u = 0; u < 12; u++) {
    const kind = u % 2 === 0 ? 's' : 'd';
    for (let k = 0; k < 4; k++) if ((u + k) % 4 !== 0) b.push(`u${u}`, `${kind}${k}`, 1, (time += 1000));
  }
  return new TrainingData(b.build());
}

describe('content', () => {
  for (const params of [{ mode: 'tfidf' }, FAST_EMBEDDING]) {
    it(`${params.mode}: ranks a cold item whose text matches the user's items above an unrelated cold item`, async () => {
      const data = shop();
      const model = CONTENT.create({ ...params, minDf: 1, epochs: 40 });
      await model.fit(data, { rng: new SeededRandom(5) });
      const items = data.source.items;
      const out = new Float32Array(data.numItems);
      model.score(data.query(data.source.users.get('u0')), out);
      expect(data.itemCounts()[items.get('cold-strings')]).toBe(0);
      expect(out[items.get('cold-strings')]!).toBeGreaterThan(out[items.get('cold-mic')]!);
      // A user folded in from one drum item prefers the drum items to the strings.
      const drum = items.get('d1');
      model.score({ user: -1, items: Int32Array.of(drum), values: Float32Array.of(1), history: Int32Array.of(drum) }, out);
      expect(out[items.get('d2')]!).toBeGreaterThan(out[items.get('s2')]!);
    });
  }

  it('segments Chinese titles into words, so items sharing a word are similar', async () => {
    const b = new InteractionsBuilder({ explicit: false });
    const titles = { men: '男士运动鞋', women: '女士运动鞋', shirt: '男士衬衫', guitar: '吉他琴弦', case: '吉他琴盒' };
    for (const [id, title] of Object.entries(titles)) b.describe(id, { title });
    Object.keys(titles).forEach((id, k) => b.push('u', id, 1, k));
    const data = new TrainingData(b.build());
    const model = CONTENT.create({ mode: 'tfidf', minDf: 1 });
    await model.fit(data, { rng: new SeededRandom(1) });
    const ids = (await model.similar(data.source.items.get('men'), 4)).ids;
    const names = Array.from(ids, (i) => data.source.items.idOf(i));
    // 运动鞋 (sports shoes) and 男士 (men's) are shared words; character runs would share nothing.
    expect(names.slice(0, 2).sort()).toEqual(['shirt', 'women']);
  });

  it('embedding: learns (the training loss falls) and folds in the same as a known user', async () => {
    const data = shop();
    const model = CONTENT.create({ ...FAST_EMBEDDING, minDf: 1, epochs: 30 });
    const report = await model.fit(data, { rng: new SeededRandom(2) });
    const losses = report.losses!;
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    const known = new Float32Array(data.numItems);
    const folded = new Float32Array(data.numItems);
    model.score(data.query(3), known);
    model.score({ ...data.query(3), user: -1 }, folded);
    expect(Array.from(folded)).toEqual(Array.from(known));
  });
});
