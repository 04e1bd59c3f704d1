import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { syntheticInteractions } from '../fixtures.js';
import { recommenderContract } from '../recommender.contract.js';
import { type FitOptions, type FitReport, type Recommender, BaseRecommender } from '../recommender.js';
import { createModel } from '../registry.js';
import { encodeModel, decodeModel } from '../model-file.js';
import { TrainingData, type UserQuery } from '../training-data.js';
import { CONTENT } from './content.js';
import { type ComponentFactory, DEFAULT_HYBRID_COMPONENTS, hybridEntry } from './hybrid.js';
import { POPULARITY } from './popularity.js';

/** Test-only component: scores are seeded noise, unrelated to anything the user did. */
class NoiseModel extends BaseRecommender {
  readonly name = 'noise';
  readonly params = {};
  readonly capabilities = { ratings: false, foldIn: true, content: false, sequential: false };
  private seed = '';

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    this.begin(data);
    this.seed = String(options.rng.nextUint32());
    return { seconds: 0 };
  }

  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    const rng = new SeededRandom(`${this.seed}:${query.user}:${query.items.join(',')}`);
    for (let i = 0; i < out.length; i++) out[i] = rng.next();
  }

  save(): Uint8Array {
    return encodeModel({ model: this.name, params: {}, state: { seed: this.seed, numItems: this.numItems }, arrays: {} });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    this.seed = String(file.state.seed);
    this.numItems = Number(file.state.numItems);
  }
}

/** Components for the tests without the registry: fast content, popularity and noise. */
const factory: ComponentFactory = (name, params): Recommender => {
  if (name === 'noise') return new NoiseModel();
  if (name === 'content') return CONTENT.create({ mode: 'tfidf', ...params });
  if (name === 'popularity') return POPULARITY.create(params);
  return createModel(name, params);
};
const HYBRID = hybridEntry(factory);

recommenderContract('hybrid (content + popularity)', {
  make: (params) => HYBRID.create({ components: 'content+popularity', ...params }),
  badParams: [
    { components: 'content+no-such-model' }, { components: '' }, { components: 'content,content' }, { components: 7 },
    { components: 'content+hybrid' }, { 'svd.factors': 8 }, { 'content.mode': 'bag' }, { negatives: 0 }, { validationShare: 0 },
  ],
});

describe('hybrid', () => {
  const data = new TrainingData(syntheticInteractions({ explicit: false, seed: 4 }));

  it('learns a larger weight for an informative component than for a noise component', async () => {
    const model = HYBRID.create({ components: 'content,noise', validationShare: 0.5 });
    const report = await model.fit(data, { rng: new SeededRandom(9) });
    const weights = report.weights as Record<string, number>;
    expect(report.validationUsers).toBeGreaterThan(30);
    expect(weights.content!).toBeGreaterThan(0.3);
    expect(Math.abs(weights.noise!)).toBeLessThan(weights.content! / 4);
    const accuracy = report.componentPairAccuracy as Record<string, number>;
    expect(accuracy.noise!).toBeGreaterThan(0.4);
    expect(accuracy.noise!).toBeLessThan(0.6);
    expect(report.pairAccuracy as number).toBeGreaterThan(accuracy.noise!);
  });

  it('passes component parameters through name.param entries and keeps them for load', async () => {
    const model = HYBRID.create({ components: 'content+popularity', 'popularity.mode': 'trending', 'content.minDf': 1 });
    expect(model.params).toMatchObject({ components: 'content,popularity', 'popularity.mode': 'trending', 'content.minDf': 1 });
    await model.fit(data, { rng: new SeededRandom(1) });
    const copy = HYBRID.create(decodeModel(model.save()).params);
    copy.load(model.save());
    const a = new Float32Array(data.numItems);
    const b = new Float32Array(data.numItems);
    await model.score(data.query(7), a);
    await copy.score(data.query(7), b);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('is in the registry, its default components all exist, and an unknown component is invalid', () => {
    const model = createModel('hybrid');
    expect(model.params.components).toBe(DEFAULT_HYBRID_COMPONENTS);
    expect(model.capabilities.content).toBe(true);
    let error: unknown;
    try {
      createModel('hybrid', { components: 'ease+nonexistent' });
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.kind === 'invalid' && /nonexistent/.test(error.message)).toBe(true);
  });
});
