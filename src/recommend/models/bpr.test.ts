import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { syntheticInteractions } from '../fixtures.js';
import { subset } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import type { Recommender } from '../recommender.js';
import { TrainingData } from '../training-data.js';
import { BPR } from './bpr.js';

const BAD = [{ factors: 0 }, { lr: 0 }, { reg: -0.1 }, { epochs: 0 }, { optimizer: 'adam' }, { factors: 'many' }];

for (const optimizer of ['adagrad', 'sgd']) {
  recommenderContract(`bpr (${optimizer}, implicit)`, {
    make: (params) => BPR.create({ optimizer, factors: 16, epochs: 10, ...params }),
    badParams: BAD,
    implicit: true,
  });
}
recommenderContract('bpr (explicit data)', {
  make: (params) => BPR.create({ factors: 16, epochs: 10, ...params }),
  badParams: BAD,
});

/** The implicit fixture with each user's latest interaction held out. */
function split(): { train: TrainingData; held: Map<number, number> } {
  const data = syntheticInteractions({ explicit: false, seed: 21 });
  const last = new Map<number, number>();
  for (let r = 0; r < data.user.length; r++) {
    const prev = last.get(data.user[r]!);
    if (prev === undefined || data.time[r]! >= data.time[prev]!) last.set(data.user[r]!, r);
  }
  const heldRows = new Set(last.values());
  const train = new TrainingData(subset(data, Int32Array.from({ length: data.user.length }, (_, r) => r).filter((r) => !heldRows.has(r))));
  return { train, held: new Map([...last].map(([u, r]) => [u, data.item[r]!])) };
}

/** Mean over users of the share of unseen items the held-out item outranks. */
function auc(model: Recommender, train: TrainingData, held: Map<number, number>): number {
  const out = new Float32Array(train.numItems);
  let total = 0;
  let users = 0;
  for (const [u, item] of held) {
    const seen = train.seen(u);
    if (seen.has(item)) continue;
    void model.score(train.query(u), out);
    let wins = 0;
    let n = 0;
    for (let j = 0; j < train.numItems; j++) {
      if (j === item || seen.has(j)) continue;
      n++;
      wins += out[item]! > out[j]! ? 1 : out[item] === out[j] ? 0.5 : 0;
    }
    total += wins / n;
    users++;
  }
  return total / users;
}

describe('bpr', () => {
  it('raises the held-out AUC over epochs on the implicit fixture, as the loss falls', async () => {
    const { train, held } = split();
    const aucs: number[] = [];
    let losses: number[] = [];
    // Measured: 0.75 after 1 epoch, 0.81 after 2, 0.86 after 8 (past ~10 it overfits this tiny set slowly).
    for (const epochs of [1, 2, 8]) {
      const model = BPR.create({ factors: 16, epochs });
      losses = (await model.fit(train, { rng: new SeededRandom(1) })).losses!;
      aucs.push(auc(model, train, held));
    }
    expect(aucs[1]!).toBeGreaterThan(aucs[0]!);
    expect(aucs[2]!).toBeGreaterThan(aucs[1]!);
    expect(aucs[2]!).toBeGreaterThan(0.83);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
  });

  it('folds in an unseen user as the mean of their items, close to their trained vector', async () => {
    const { train } = split();
    const model = BPR.create({ factors: 16, epochs: 30 });
    await model.fit(train, { rng: new SeededRandom(1) });
    let agree = 0;
    const users = 60;
    for (let u = 0; u < users; u++) {
      const seen = train.seen(u);
      const trained = Array.from((await model.recommend(train.query(u), 10, seen)).ids);
      const folded = Array.from((await model.recommend({ ...train.query(u), user: -1 }, 10, seen)).ids);
      agree += folded.filter((i) => trained.includes(i)).length / 10;
    }
    expect(agree / users).toBeGreaterThan(0.5);
  });

  it('uses only the injected generator: other seeds give other factors', async () => {
    const { train } = split();
    const scores = async (seed: number) => {
      const model = BPR.create({ factors: 8, epochs: 2 });
      await model.fit(train, { rng: new SeededRandom(seed) });
      const out = new Float32Array(train.numItems);
      model.score(train.query(0), out);
      return Array.from(out);
    };
    expect(await scores(1)).toEqual(await scores(1));
    expect(await scores(1)).not.toEqual(await scores(2));
  });
});
