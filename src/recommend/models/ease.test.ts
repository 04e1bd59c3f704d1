import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { InteractionsBuilder } from '../interactions.js';
import { recommenderContract } from '../recommender.contract.js';
import { TrainingData } from '../training-data.js';
import { EASE } from './ease.js';

const BAD = [{ lambda: 0 }, { lambda: 'strong' }, { maxItems: 0 }, { maxItems: 2.5 }];

recommenderContract('ease (explicit data)', { make: (params) => EASE.create(params), badParams: BAD });
recommenderContract('ease (implicit)', { make: (params) => EASE.create(params), badParams: BAD, implicit: true });

/** 4 users × 3 items, binary: u0 {0,1}, u1 {1,2}, u2 {0,1,2}, u3 {2}. */
function tiny(): TrainingData {
  const b = new InteractionsBuilder({ explicit: false });
  const rows: [number, number][] = [[0, 0], [0, 1], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2], [3, 2]];
  rows.forEach(([u, i], t) => b.push(`u${u}`, `i${i}`, 1, t));
  return new TrainingData(b.build());
}

/** The inverse of a 3×3 matrix by cofactors (a hand formula, independent of src/math). */
function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [[number, number, number], [number, number, number], [number, number, number]];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

describe('ease', () => {
  it('equals the closed form B = I − P·diagMat(1/diag(P)) on a tiny matrix, with a zero diagonal', async () => {
    const lambda = 2;
    // XᵀX by hand from the rows of tiny(): item counts 2, 3, 3 on the diagonal; co-counts 0–1: 2, 0–2: 1, 1–2: 2.
    const gram = [[2 + lambda, 2, 1], [2, 3 + lambda, 2], [1, 2, 3 + lambda]];
    const p = inverse3(gram);
    const want = p.map((row, i) => row.map((v, j) => (i === j ? 0 : -v / p[j]![j]!)));
    const data = tiny();
    const model = EASE.create({ lambda });
    await model.fit(data, { rng: new SeededRandom(1) });
    const out = new Float32Array(3);
    for (let i = 0; i < 3; i++) {
      // A one-item query scores row i of B.
      model.score({ user: -1, items: Int32Array.of(i), values: Float32Array.of(1), history: Int32Array.of(i) }, out);
      expect(out[i]).toBe(0);
      for (let j = 0; j < 3; j++) expect(out[j]!).toBeCloseTo(want[i]![j]!, 6);
    }
    // A user's scores are x_u·B: u2 holds every item.
    model.score(data.query(2), out);
    for (let j = 0; j < 3; j++) expect(out[j]!).toBeCloseTo(want[0]![j]! + want[1]![j]! + want[2]![j]!, 6);
    // similar reads B's columns: the items that predict the item.
    const { ids } = await model.similar(0, 2);
    const byColumn = [1, 2].sort((a, b) => want[b]![0]! - want[a]![0]!);
    expect(Array.from(ids)).toEqual(byColumn);
  });

  it('refuses a catalogue above maxItems with an error that says what to do instead', async () => {
    const model = EASE.create({ maxItems: 2 });
    let error: unknown;
    try {
      await model.fit(tiny(), { rng: new SeededRandom(1) });
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.kind === 'invalid' && error.detail.field === 'params.maxItems').toBe(true);
    expect((error as Error).message).toMatch(/3 items, above maxItems 2/);
    expect((error as Error).message).toMatch(/ALS .*or BPR/);
  });

  it('shrinks the weights towards zero as lambda grows', async () => {
    const data = tiny();
    const size = async (lambda: number) => {
      const model = EASE.create({ lambda });
      await model.fit(data, { rng: new SeededRandom(1) });
      const out = new Float32Array(3);
      model.score(data.query(2), out);
      return Math.hypot(...out);
    };
    expect(await size(1000)).toBeLessThan(await size(10));
  });
});
