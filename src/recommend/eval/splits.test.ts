import { describe, expect, it } from 'vitest';
import { syntheticInteractions } from '../fixtures.js';
import { coldItemSplit, coldUserSplit, kFoldRatings, leaveLastOut, stratifiedSplit, temporalSplit } from './splits.js';

const data = syntheticInteractions({ users: 60, items: 50, seed: 3 });
const pairsOf = (d: { user: Int32Array; item: Int32Array }) => new Set(Array.from(d.user, (u, r) => `${u}:${d.item[r]}`));

describe('splits', () => {
  it('k-fold: every rating is tested exactly once and never trains its own fold', () => {
    const folds = kFoldRatings(data, 5, 1);
    const tested = folds.flatMap((f) => Array.from(f.test.user, (u, e) => `${u}:${f.test.item[e]}`));
    expect(new Set(tested).size).toBe(tested.length);
    expect(tested.length).toBe(pairsOf(data).size);
    for (const f of folds) {
      const train = pairsOf(f.train);
      for (let e = 0; e < f.test.user.length; e++) expect(train.has(`${f.test.user[e]}:${f.test.item[e]}`)).toBe(false);
    }
  });

  it('k-fold refuses implicit data and too few folds', () => {
    expect(() => kFoldRatings(syntheticInteractions({ explicit: false }), 5, 1)).toThrow(/ratings/);
    expect(() => kFoldRatings(data, 1, 1)).toThrow(/folds/);
  });

  it('stratified: about 75 % of each user’s items train; the rest are relevant and unseen', () => {
    const fold = stratifiedSplit(data, 0.75, 1);
    const train = pairsOf(fold.train);
    let trained = 0;
    let tested = 0;
    for (const [u, items] of fold.relevant) for (const i of items) {
      expect(train.has(`${u}:${i}`)).toBe(false);
      tested++;
    }
    trained = train.size;
    expect(trained / (trained + tested)).toBeGreaterThan(0.7);
    expect(trained / (trained + tested)).toBeLessThan(0.8);
  });

  it('leave last out holds out the newest item of each user', () => {
    const fold = leaveLastOut(data);
    for (const [u, items] of fold.relevant) {
      expect(items.size).toBe(1);
      const [item] = [...items];
      let newest = -Infinity;
      for (let r = 0; r < fold.train.user.length; r++) if (fold.train.user[r] === u) newest = Math.max(newest, fold.train.time[r]!);
      for (let r = 0; r < data.user.length; r++) if (data.user[r] === u && data.item[r] === item) expect(data.time[r]!).toBeGreaterThanOrEqual(newest);
    }
  });

  it('temporal: training is strictly before the cut, relevant items are new to the user', () => {
    const fold = temporalSplit(data, 0.8);
    const maxTrain = Math.max(...fold.train.time);
    expect(fold.train.user.length / data.user.length).toBeCloseTo(0.8, 1);
    const train = pairsOf(fold.train);
    for (const [u, items] of fold.relevant) for (const i of items) expect(train.has(`${u}:${i}`)).toBe(false);
    expect(maxTrain).toBeLessThan(Math.max(...data.time));
  });

  it('cold users are absent from training and scored from their first items', () => {
    const fold = coldUserSplit(data, 0.3, 1);
    expect(fold.foldIn!.size).toBeGreaterThan(5);
    const trainedUsers = new Set(fold.train.user);
    for (const [u, query] of fold.foldIn!) {
      expect(trainedUsers.has(u)).toBe(false);
      expect(query.user).toBe(-1);
      for (const i of query.items) expect(fold.relevant.get(u)!.has(i)).toBe(false);
    }
  });

  it('cold items never train and are the only candidates', () => {
    const fold = coldItemSplit(data, 0.3, 1);
    const cold = fold.candidates!;
    for (const i of fold.train.item) expect(cold[i]).toBe(0);
    for (const items of fold.relevant.values()) for (const i of items) expect(cold[i]).toBe(1);
  });
});
