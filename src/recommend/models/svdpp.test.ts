import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { syntheticInteractions } from '../fixtures.js';
import { InteractionsBuilder, subset } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { fillNormal, ratingSet, shuffleRange } from './factor-sgd.js';
import { SVDPP } from './svdpp.js';

recommenderContract('svdpp', {
  // Stronger steps than the defaults: on this small fixture the default 20 epochs barely move the factors.
  make: (params) => SVDPP.create({ factors: 8, epochs: 60, lr: 0.02, lrImplicit: 0.02, ...params }),
  badParams: [{ factors: 0 }, { lr: -0.01 }, { lrImplicit: -1 }, { regImplicit: -0.1 }, { epochs: 1.5 }],
});

/** A seeded 80/20 split of the rows of a generated rating set. */
function split(seed: number): { train: TrainingData; test: { user: number; item: number; value: number }[] } {
  const data = syntheticInteractions({ users: 300, items: 200, perUser: 30, seed });
  const rng = new SeededRandom(seed);
  const rows = Int32Array.from({ length: data.user.length }, (_, r) => r);
  const inTest = Array.from(rows, () => rng.next() < 0.2);
  const train = new TrainingData(subset(data, rows.filter((r) => !inTest[r])));
  const test = Array.from(rows.filter((r) => inTest[r]!), (r) => ({ user: data.user[r]!, item: data.item[r]!, value: data.value[r]! }));
  return { train, test };
}

describe('svdpp', () => {
  it('beats the global mean on held-out ratings of the fixture', async () => {
    const { train, test } = split(5);
    const model = SVDPP.create();
    await model.fit(train, { rng: new SeededRandom(1) });
    const mean = train.meanRating();
    let model2 = 0;
    let mean2 = 0;
    for (const t of test) {
      model2 += (model.predict!(t.user, t.item) - t.value) ** 2;
      mean2 += (mean - t.value) ** 2;
    }
    expect(Math.sqrt(model2 / test.length)).toBeLessThan(0.9 * Math.sqrt(mean2 / test.length));
  });

  it('learns a noise-free SVD++ structure: ratings that follow from which items a user rated', async () => {
    // Users of group g rate the items of parity g 5 and one item of the other parity 1.
    const b = new InteractionsBuilder({ explicit: true });
    for (let u = 0; u < 40; u++) {
      const group = u % 2;
      for (let i = 0; i < 10; i++) if (i % 2 === group || i === (u + 1) % 10) b.push(`u${u}`, `i${i}`, i % 2 === group ? 5 : 1, u * 10 + i);
    }
    const data = new TrainingData(b.build());
    const model = SVDPP.create({ factors: 4, epochs: 200, lr: 0.02, lrImplicit: 0.02, lrBias: 0.02, reg: 0.001, regImplicit: 0.001 });
    const report = await model.fit(data, { rng: new SeededRandom(1) });
    expect(report.losses!.at(-1)!).toBeLessThan(0.2);
    // A new user who rated the even items: folded in through N(u) alone, the even items score higher.
    const index = (id: string) => data.source.items.get(id);
    const items = Int32Array.from(['i0', 'i2', 'i4'], index).sort();
    const out = new Float32Array(data.numItems);
    model.score({ user: -1, items, values: new Float32Array(3).fill(1), history: items }, out);
    for (const even of ['i6', 'i8']) for (const odd of ['i1', 'i3', 'i5', 'i7', 'i9']) expect(out[index(even)]!, `${even} over ${odd}`).toBeGreaterThan(out[index(odd)]! + 1);
  });

  it('reports per-epoch losses and progress, and stops when cancelled', async () => {
    const { train } = split(6);
    const steps: number[] = [];
    const report = await SVDPP.create({ epochs: 6 }).fit(train, { rng: new SeededRandom(1), onProgress: (p) => steps.push(p.step) });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.losses![5]!).toBeLessThan(report.losses![0]!);
    const controller = new AbortController();
    const fit = SVDPP.create({ epochs: 30 }).fit(train, { rng: new SeededRandom(1), signal: controller.signal, onProgress: (p) => p.step === 2 && controller.abort() });
    await expect(fit).rejects.toThrow(/cancelled/);
  });
});

describe('svdpp against Surprise’s per-rating loop', () => {
  it('gives the same factors as recomputing the implicit sum and updating every y_j per rating', async () => {
    const data = new TrainingData(syntheticInteractions({ users: 40, items: 30, perUser: 8, seed: 9 }));
    const k = 3;
    const params = { factors: k, epochs: 5, lr: 0.01, reg: 0.03, lrImplicit: 0.02, regImplicit: 0.05, lrBias: 0.01, regBias: 0.02 };
    const model = SVDPP.create(params);
    await model.fit(data, { rng: new SeededRandom(4) });
    // Surprise's loop over the same visiting order (the model's rng forks and shuffles, replayed).
    const set = ratingSet(data, 'reference');
    const rng = new SeededRandom(4);
    const p = new Float64Array(data.numUsers * k);
    const q = new Float64Array(data.numItems * k);
    const y = new Float64Array(data.numItems * k);
    fillNormal(p, rng.fork('svdpp-p'), 0.1);
    fillNormal(q, rng.fork('svdpp-q'), 0.1);
    fillNormal(y, rng.fork('svdpp-y'), 0.1);
    const bu = new Float64Array(data.numUsers);
    const bi = new Float64Array(data.numItems);
    const users = Int32Array.from({ length: data.numUsers }, (_, u) => u).filter((u) => set.userCount[u]! > 0);
    const order = Int32Array.from({ length: set.value.length }, (_, e) => e);
    const shuffler = rng.fork('svdpp-order');
    for (let epoch = 0; epoch < params.epochs; epoch++) {
      shuffleRange(users, 0, users.length, shuffler);
      for (const u of users) {
        const [start, end] = [set.userStart[u]!, set.userStart[u + 1]!];
        shuffleRange(order, start, end, shuffler);
        const norm = 1 / Math.sqrt(end - start);
        for (let t = start; t < end; t++) {
          const e = order[t]!;
          const i = set.item[e]!;
          const z = new Float64Array(k);
          for (let x = start; x < end; x++) for (let f = 0; f < k; f++) z[f]! += y[set.item[x]! * k + f]! * norm;
          let dot = 0;
          for (let f = 0; f < k; f++) dot += q[i * k + f]! * (p[u * k + f]! + z[f]!);
          const err = set.value[e]! - (set.mean + bu[u]! + bi[i]! + dot);
          bu[u]! += params.lrBias * (err - params.regBias * bu[u]!);
          bi[i]! += params.lrBias * (err - params.regBias * bi[i]!);
          for (let f = 0; f < k; f++) {
            const pf = p[u * k + f]!;
            const qf = q[i * k + f]!;
            p[u * k + f]! += params.lr * (err * qf - params.reg * pf);
            q[i * k + f]! += params.lr * (err * (pf + z[f]!) - params.reg * qf);
            for (let x = start; x < end; x++) {
              const j = set.item[x]! * k + f;
              y[j]! += params.lrImplicit * (err * qf * norm - params.regImplicit * y[j]!);
            }
          }
        }
      }
    }
    for (const u of [0, 3, 11]) {
      const [start, end] = [set.userStart[u]!, set.userStart[u + 1]!];
      for (const i of [0, 5, 17]) {
        let est = set.mean + bu[u]! + bi[i]!;
        for (let f = 0; f < k; f++) {
          let z = 0;
          for (let x = start; x < end; x++) z += y[set.item[x]! * k + f]! / Math.sqrt(end - start);
          est += q[i * k + f]! * (p[u * k + f]! + z);
        }
        expect(model.predict!(u, i)).toBeCloseTo(Math.min(set.max, Math.max(set.min, est)), 9);
      }
    }
  });
});
