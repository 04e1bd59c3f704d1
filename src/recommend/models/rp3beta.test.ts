import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { RP3BETA } from './rp3beta.js';

recommenderContract('rp3beta', { make: (params) => RP3BETA.create(params), badParams: [{ beta: -1 }, { k: 0 }, { alpha: 'x' }] });
recommenderContract('rp3beta (implicit, weighted)', { make: (params) => RP3BETA.create({ binary: false, ...params }), badParams: [{ k: 1.5 }], implicit: true });

describe('rp3beta', () => {
  it('equals the three-step walk computed by hand, with the popularity penalty', async () => {
    // u0: a b; u1: a c; u2: c.  From a: P(u0|a)=P(u1|a)=1/2; P(b|u0)=1/2, P(c|u1)=1/2.
    const b = new InteractionsBuilder({ explicit: false });
    for (const [u, i] of [['u0', 'a'], ['u0', 'b'], ['u1', 'a'], ['u1', 'c'], ['u2', 'c']] as const) b.push(u, i, 1, 0);
    const data = new TrainingData(b.build());
    const model = RP3BETA.create({ alpha: 1, beta: 1 });
    await model.fit(data, { rng: new SeededRandom(1) });
    const out = new Float32Array(3);
    await model.score({ user: -1, items: Int32Array.of(0), values: Float32Array.of(1), history: Int32Array.of(0) }, out);
    // W(a,b) = 1/2·1/2 / deg(b)=1 → 0.25; W(a,c) = 1/2·1/2 / deg(c)=2 → 0.125; the item itself is left out.
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(0.25);
    expect(out[2]).toBeCloseTo(0.125);
    const plain = RP3BETA.create({ alpha: 1, beta: 0 });
    await plain.fit(data, { rng: new SeededRandom(1) });
    await plain.score({ user: -1, items: Int32Array.of(0), values: Float32Array.of(1), history: Int32Array.of(0) }, out);
    expect(out[1]).toBeCloseTo(out[2]!);
  });
});
