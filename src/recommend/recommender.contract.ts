import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { SeededRandom } from '../math/random.js';
import { syntheticInteractions } from './fixtures.js';
import { subset, type Interactions } from './interactions.js';
import type { Recommender } from './recommender.js';
import { TrainingData } from './training-data.js';

export interface ContractOptions {
  /** Makes a model; `params` override the suite's fast defaults. Must throw AppError('invalid') on bad params. */
  make: (params?: Record<string, unknown>) => Recommender;
  /** Parameter sets the model must refuse with AppError('invalid'). */
  badParams: Record<string, unknown>[];
  /** Train on implicit feedback (weights) instead of ratings. */
  implicit?: boolean;
  /** Held-out AUC the model must beat on the fixture (default 0.6; random is 0.5). */
  minAuc?: number;
}

/** Per user, the last interaction is held out; the rest trains. */
function leaveLastOut(data: Interactions): { train: TrainingData; test: Map<number, number> } {
  const last = new Map<number, number>();
  for (let r = 0; r < data.user.length; r++) {
    const u = data.user[r]!;
    const prev = last.get(u);
    if (prev === undefined || data.time[r]! >= data.time[prev]!) last.set(u, r);
  }
  const heldRows = new Set(last.values());
  const trainRows = Int32Array.from({ length: data.user.length }, (_, r) => r).filter((r) => !heldRows.has(r));
  const test = new Map<number, number>();
  for (const [u, r] of last) test.set(u, data.item[r]!);
  return { train: new TrainingData(subset(data, trainRows)), test };
}

async function scoresOf(model: Recommender, data: TrainingData, user: number): Promise<Float32Array> {
  const out = new Float32Array(data.numItems);
  await model.score(data.query(user), out);
  return out;
}

/** Mean over users of P(score of the held-out item > score of an unseen item). */
async function heldOutAuc(model: Recommender, train: TrainingData, test: Map<number, number>): Promise<number> {
  let total = 0;
  let users = 0;
  for (const [u, item] of test) {
    const seen = train.seen(u);
    if (seen.has(item)) continue;
    const s = await scoresOf(model, train, u);
    let wins = 0;
    let n = 0;
    for (let j = 0; j < train.numItems; j++) {
      if (j === item || seen.has(j)) continue;
      n++;
      if (s[item]! > s[j]!) wins++;
      else if (s[item] === s[j]) wins += 0.5;
    }
    if (n > 0) {
      total += wins / n;
      users++;
    }
  }
  return total / users;
}

/**
 * The one contract every recommender passes (DESIGN.md rule 3): it learns from a fixture, excludes what
 * it is told to, is deterministic for a seed, scores identically after save → load, refuses bad
 * parameters and a cancelled fit with clear errors, and answers `similar` without the item itself.
 *
 * @example recommenderContract('svd', { make: (p) => createSvd({ epochs: 5, ...p }), badParams: [{ factors: 0 }] });
 */
export function recommenderContract(name: string, options: ContractOptions): void {
  describe(`recommender contract: ${name}`, () => {
    const data = syntheticInteractions({ explicit: !options.implicit, seed: 11 });
    const { train, test } = leaveLastOut(data);
    let fitted: Recommender | undefined;
    const trainedModel = async () => {
      if (!fitted) {
        fitted = options.make();
        await fitted.fit(train, { rng: new SeededRandom(1) });
      }
      return fitted;
    };

    it('fits on the fixture and ranks held-out items above unseen ones', async () => {
      const model = options.make();
      const steps: number[] = [];
      const report = await model.fit(train, { rng: new SeededRandom(1), onProgress: (p) => steps.push(p.step) });
      fitted = model;
      expect(report.seconds).toBeGreaterThanOrEqual(0);
      const s = await scoresOf(model, train, 0);
      expect(s.length).toBe(train.numItems);
      expect(s.every(Number.isFinite)).toBe(true);
      expect(await heldOutAuc(model, train, test)).toBeGreaterThan(options.minAuc ?? 0.6);
    });

    it('leaves out the excluded items and returns n best first', async () => {
      const model = await trainedModel();
      for (const u of [0, 5, 17]) {
        const seen = train.seen(u);
        const { ids, scores } = await model.recommend(train.query(u), 10, seen);
        expect(ids.length).toBe(10);
        for (const i of ids) expect(seen.has(i)).toBe(false);
        for (let k = 1; k < scores.length; k++) expect(scores[k]!).toBeLessThanOrEqual(scores[k - 1]!);
      }
    });

    it('is deterministic for a seed', async () => {
      const a = options.make();
      const b = options.make();
      await a.fit(train, { rng: new SeededRandom(3) });
      await b.fit(train, { rng: new SeededRandom(3) });
      expect(Array.from(await scoresOf(a, train, 2))).toEqual(Array.from(await scoresOf(b, train, 2)));
    });

    it('scores identically after save → load', async () => {
      const model = await trainedModel();
      const copy = options.make();
      copy.load(model.save());
      for (const u of [0, 9]) expect(Array.from(await scoresOf(copy, train, u))).toEqual(Array.from(await scoresOf(model, train, u)));
      if (model.capabilities.ratings) expect(copy.predict!(1, 3)).toBe(model.predict!(1, 3));
      expect(Array.from((await copy.similar(4, 5)).ids)).toEqual(Array.from((await model.similar(4, 5)).ids));
    });

    it('answers similar without the item itself', async () => {
      const model = await trainedModel();
      const { ids } = await model.similar(3, 8);
      expect(ids.length).toBe(8);
      expect(Array.from(ids)).not.toContain(3);
    });

    it('predicts finite ratings when it has the ratings capability', async () => {
      const model = await trainedModel();
      if (!model.capabilities.ratings) return expect(model.predict).toBeUndefined();
      for (const [u, item] of test) expect(Number.isFinite(model.predict!(u, item))).toBe(true);
    });

    it('scores a user it has not seen from their items when it can fold in', async () => {
      const model = await trainedModel();
      if (!model.capabilities.foldIn) return;
      const query = { ...train.query(4), user: -1 };
      const out = new Float32Array(train.numItems);
      await model.score(query, out);
      expect(out.every(Number.isFinite)).toBe(true);
      expect(new Set(out).size).toBeGreaterThan(1);
    });

    it('refuses bad parameters with an invalid error', () => {
      for (const params of options.badParams) {
        let error: unknown;
        try {
          options.make(params);
        } catch (e) {
          error = e;
        }
        expect(isAppError(error) && error.kind === 'invalid', `params ${JSON.stringify(params)}`).toBe(true);
      }
      expect(() => options.make({ noSuchParameter: 1 })).toThrow(/unknown parameter/);
    });

    it('stops a cancelled fit with a clear error', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(options.make().fit(train, { rng: new SeededRandom(1), signal: controller.signal })).rejects.toThrow(/cancelled/);
    });

    it('refuses to score before it is trained', async () => {
      await expect(options.make().recommend(train.query(0), 5)).rejects.toThrow(/not trained/);
    });
  });
}
