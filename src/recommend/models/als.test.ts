import { afterAll, describe, expect, it } from 'vitest';
import { solveSpd } from '../../math/linalg.js';
import { SeededRandom } from '../../math/random.js';
import { WorkerPool } from '../../math/worker-pool.js';
import { syntheticInteractions } from '../fixtures.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { ALS } from './als.js';
import { ALS_SOLVE, alsRows } from './als-rows.js';

const BAD = [{ factors: 0 }, { reg: -1 }, { epochs: 1.5 }, { alpha: 'high' }, { solver: 'lu' }, { implicit: 'maybe' }];

recommenderContract('als (explicit)', {
  make: (params) => ALS.create({ factors: 8, epochs: 8, ...params }),
  badParams: BAD,
});

recommenderContract('als (implicit, cg)', {
  make: (params) => ALS.create({ implicit: true, factors: 16, epochs: 8, ...params }),
  badParams: BAD,
  implicit: true,
});

recommenderContract('als (implicit, cholesky)', {
  make: (params) => ALS.create({ implicit: true, solver: 'cholesky', factors: 16, epochs: 8, ...params }),
  badParams: BAD,
  implicit: true,
});

/** A users × items rank-3 matrix with 60% of its cells observed, exactly (no noise). */
function lowRank(users: number, items: number): TrainingData {
  const rng = new SeededRandom('low-rank');
  const u = Float64Array.from({ length: users * 3 }, () => rng.normal(0, 1));
  const v = Float64Array.from({ length: items * 3 }, () => rng.normal(0, 1));
  const b = new InteractionsBuilder({ explicit: true });
  for (let i = 0; i < users; i++) {
    for (let j = 0; j < items; j++) {
      if (rng.next() > 0.6) continue;
      const r = 3 + u[i * 3]! * v[j * 3]! + u[i * 3 + 1]! * v[j * 3 + 1]! + u[i * 3 + 2]! * v[j * 3 + 2]!;
      b.push(`u${i}`, `i${j}`, r, i * items + j);
    }
  }
  return new TrainingData(b.build());
}

describe('als', () => {
  const pool = new WorkerPool({ size: 2 });
  afterAll(() => pool.close());

  it('explicit: fits a noise-free low-rank matrix to a training RMSE below 0.05', async () => {
    const data = lowRank(60, 50);
    for (const biases of [true, false]) {
      const model = ALS.create({ factors: 4, reg: 1e-4, epochs: 40, biases });
      const report = await model.fit(data, { rng: new SeededRandom(1) });
      const losses = report.losses!;
      expect(losses.at(-1)!).toBeLessThan(0.05);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      const r = data.ratings();
      let sse = 0;
      for (let e = 0; e < r.user.length; e++) sse += (model.predict!(r.user[e]!, r.item[e]!) - r.value[e]!) ** 2;
      expect(Math.sqrt(sse / r.user.length)).toBeLessThan(0.05);
    }
  });

  it('solves an explicit row as the ridge normal equations, in primal and dual form (fewer ratings than unknowns)', () => {
    const rng = new SeededRandom('rows');
    const k = 6;
    const other = Float32Array.from({ length: 20 * k }, () => rng.normal(0, 1));
    const otherBias = Float32Array.from({ length: 20 }, () => rng.normal(0, 0.5));
    for (const n of [3, 12]) {
      for (const biases of [false, true]) {
        const indices = Int32Array.from({ length: n }, (_, e) => e + 4);
        const values = Float32Array.from({ length: n }, () => 1 + rng.int(5));
        const own = new Float32Array(k);
        const ownBias = new Float32Array(1);
        const [reg, mean] = [0.3, 3.1];
        alsRows(0, 1, {
          indptr: Int32Array.of(0, n), indices, values, other, own, k, solver: ALS_SOLVE.explicit, reg, biases, ownBias, otherBias, mean,
          gram: new Float64Array(0), alpha: 0, cgSteps: 0,
        });
        // (GᵀG + λnI)·x = Gᵀt with G's rows [y_j, 1] (biases) and t = r − mean − b_j.
        const d = biases ? k + 1 : k;
        const a = new Float64Array(d * d);
        const b = new Float64Array(d);
        for (let e = 0; e < n; e++) {
          const j = indices[e]!;
          const y = Array.from({ length: d }, (_, c) => (c < k ? other[j * k + c]! : 1));
          const t = biases ? values[e]! - mean - otherBias[j]! : values[e]!;
          for (let r = 0; r < d; r++) {
            b[r] = b[r]! + y[r]! * t;
            for (let c = 0; c < d; c++) a[r * d + c] = a[r * d + c]! + y[r]! * y[c]!;
          }
        }
        for (let r = 0; r < d; r++) a[r * d + r] = a[r * d + r]! + reg * n;
        const x = solveSpd(a, b, d);
        for (let c = 0; c < k; c++) expect(own[c]!).toBeCloseTo(x[c]!, 4);
        if (biases) expect(ownBias[0]!).toBeCloseTo(x[k]!, 4);
      }
    }
  });

  it('gives the same factors over a worker pool as inline', async () => {
    for (const params of [{}, { implicit: true }, { implicit: true, solver: 'cholesky' }]) {
      const data = new TrainingData(syntheticInteractions({ explicit: !('implicit' in params), seed: 5 }));
      const inline = ALS.create({ factors: 12, epochs: 4, ...params });
      const pooled = ALS.create({ factors: 12, epochs: 4, ...params });
      await inline.fit(data, { rng: new SeededRandom(2) });
      await pooled.fit(data, { rng: new SeededRandom(2), pool });
      const a = new Float32Array(data.numItems);
      const b = new Float32Array(data.numItems);
      for (const u of [0, 7, 30]) {
        inline.score(data.query(u), a);
        pooled.score(data.query(u), b);
        expect(Array.from(b)).toEqual(Array.from(a));
      }
    }
  });

  it('implicit: the loss falls over epochs, and CG reaches about the exact solve', async () => {
    const data = new TrainingData(syntheticInteractions({ explicit: false, seed: 3 }));
    const cg = await ALS.create({ implicit: true, factors: 16, epochs: 10 }).fit(data, { rng: new SeededRandom(1) });
    const exact = await ALS.create({ implicit: true, factors: 16, epochs: 10, solver: 'cholesky' }).fit(data, { rng: new SeededRandom(1) });
    const [cgLoss, exactLoss] = [cg.losses!, exact.losses!];
    for (let e = 1; e < exactLoss.length; e++) expect(exactLoss[e]!).toBeLessThanOrEqual(exactLoss[e - 1]! * (1 + 1e-9));
    expect(cgLoss.at(-1)!).toBeLessThan(cgLoss[0]!);
    expect(cgLoss.at(-1)!).toBeLessThan(exactLoss.at(-1)! * 1.05);
  });

  it('folds in an unseen user close to their trained factors', async () => {
    for (const implicit of [false, true]) {
      const data = new TrainingData(syntheticInteractions({ explicit: !implicit, seed: 4 }));
      const model = ALS.create({ implicit, factors: 16, epochs: 10 });
      await model.fit(data, { rng: new SeededRandom(1) });
      let agree = 0;
      for (let u = 0; u < 40; u++) {
        const seen = data.seen(u);
        const trained = await model.recommend(data.query(u), 10, seen);
        const folded = await model.recommend({ ...data.query(u), user: -1 }, 10, seen);
        agree += Array.from(folded.ids).filter((i) => Array.from(trained.ids).includes(i)).length / 10;
      }
      // Explicit fold-in reads the items as liked (no ratings in a query), so it agrees less than implicit.
      expect(agree / 40).toBeGreaterThan(implicit ? 0.7 : 0.3);
    }
  });

  it('stops between epochs when cancelled during the fit', async () => {
    const data = new TrainingData(syntheticInteractions({ seed: 2 }));
    const controller = new AbortController();
    const epochs: number[] = [];
    const fit = ALS.create({ factors: 4, epochs: 20 }).fit(data, {
      rng: new SeededRandom(1), signal: controller.signal,
      onProgress: (p) => {
        epochs.push(p.step);
        if (p.step === 2) controller.abort();
      },
    });
    await expect(fit).rejects.toThrow(/cancelled/);
    expect(epochs).toEqual([1, 2]);
  });

  it('refuses explicit mode on implicit feedback; implicit mode has no predict', async () => {
    const data = new TrainingData(syntheticInteractions({ explicit: false, seed: 1 }));
    await expect(ALS.create().fit(data, { rng: new SeededRandom(1) })).rejects.toThrow(/set implicit: true/);
    const model = ALS.create({ implicit: true, factors: 4, epochs: 1 });
    await model.fit(data, { rng: new SeededRandom(1) });
    expect(model.capabilities.ratings).toBe(false);
    expect(model.predict).toBeUndefined();
  });
});
