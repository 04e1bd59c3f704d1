import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { GRU4REC } from './gru4rec.js';
import { SASREC } from './sasrec-recommender.js';

const FAST = { dim: 16, hidden: 16, length: 10, batchSize: 32, epochs: 8, lr: 0.01, negatives: 64, dropout: 0.1 };

recommenderContract('gru4rec', {
  make: (params) => GRU4REC.create({ ...FAST, ...params }),
  badParams: [{ hidden: 0 }, { negatives: 0 }, { length: 1 }, { backend: 'gpu' }, { dropout: 0.95 }, { lr: 'fast' }],
});

/** Users walk the items in a ring (item k is followed by item k + 1), each from a random start. */
function walks(users: number, items: number, steps: number): TrainingData {
  const b = new InteractionsBuilder({ explicit: false });
  for (let k = 0; k < items; k++) b.describe(`i${k}`, {}); // item index k = id ik
  const rng = new SeededRandom('walks');
  for (let u = 0; u < users; u++) {
    const start = rng.int(items);
    for (let t = 0; t < steps; t++) b.push(`u${u}`, `i${(start + t) % items}`, 1, t * 1000);
  }
  return new TrainingData(b.build());
}

const history = (...items: number[]) => ({ user: -1, items: Int32Array.from([...items].sort((a, b) => a - b)), values: new Float32Array(items.length).fill(1), history: Int32Array.from(items) });
const SMALL = { dim: 16, hidden: 16, length: 6, batchSize: 32, epochs: 30, lr: 0.02, negatives: 8, dropout: 0 };

describe('gru4rec', () => {
  const data = walks(160, 20, 6);

  it('learns what comes next from the order of the history, and reports a falling loss per epoch', async () => {
    const model = GRU4REC.create(SMALL);
    const progress: { step: number; unit: string; loss?: number }[] = [];
    const report = await model.fit(data, { rng: new SeededRandom(1), onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(progress.every((p) => p.unit === 'epoch' && Number.isFinite(p.loss))).toBe(true);
    expect(report.losses!.at(-1)!).toBeLessThan(report.losses![0]! * 0.5);
    expect((await model.recommend(history(3, 7), 1, [3, 7])).ids[0]).toBe(8);
    expect((await model.recommend(history(7, 3), 1, [3, 7])).ids[0]).toBe(4);
    let correct = 0;
    for (let k = 0; k < 20; k++) {
      const { ids } = await model.recommend(history(k, (k + 1) % 20, (k + 2) % 20), 1, [k, (k + 1) % 20, (k + 2) % 20]);
      if (ids[0] === (k + 3) % 20) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(18);
  });

  it('trains the same on the cpu reference backend as on onnx', async () => {
    const params = { ...SMALL, epochs: 2, dropout: 0.2 };
    const onnx = GRU4REC.create(params);
    const cpu = GRU4REC.create({ ...params, backend: 'cpu' });
    const a = await onnx.fit(data, { rng: new SeededRandom(4) });
    const b = await cpu.fit(data, { rng: new SeededRandom(4) });
    a.losses!.forEach((loss, i) => expect(b.losses![i]).toBeCloseTo(loss, 3));
    const sa = new Float32Array(20);
    const sb = new Float32Array(20);
    await onnx.score(history(1, 2), sa);
    await cpu.score(history(1, 2), sb);
    for (let i = 0; i < 20; i++) expect(sb[i]).toBeCloseTo(sa[i]!, 2);
  });

  it('scores a history longer than `length` by its newest items', async () => {
    const model = GRU4REC.create({ ...SMALL, epochs: 3 });
    await model.fit(data, { rng: new SeededRandom(2) });
    const long = new Float32Array(20);
    const recent = new Float32Array(20);
    await model.score(history(10, 11, 12, 13, 14, 15, 16, 17), long);
    await model.score(history(12, 13, 14, 15, 16, 17), recent);
    expect(Array.from(long)).toEqual(Array.from(recent));
  });

  it('stops between batches when cancelled mid-fit and is left untrained', async () => {
    const controller = new AbortController();
    const model = GRU4REC.create({ ...SMALL, epochs: 5 });
    const fit = model.fit(data, { rng: new SeededRandom(1), signal: controller.signal, onProgress: (p) => p.step === 1 && controller.abort() });
    await expect(fit).rejects.toThrow(/cancelled/);
    await expect(model.recommend(history(1), 3)).rejects.toThrow(/not trained/);
  });

  it('refuses a file of another model or of other dimensions', async () => {
    const model = GRU4REC.create({ ...SMALL, epochs: 1 });
    await model.fit(data, { rng: new SeededRandom(1) });
    const bytes = model.save();
    expect(() => GRU4REC.create({ ...SMALL, hidden: 8 }).load(bytes)).toThrow(/holds \d+ values/);
    expect(() => SASREC.create().load(bytes)).toThrow(/gru4rec model file, not sasrec/);
  });
});
