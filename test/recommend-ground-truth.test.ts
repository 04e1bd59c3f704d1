import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../src/app/services.js';
import { loadConfig } from '../src/config/load.js';
import { configSpec } from '../src/config/schema.js';
import { SeededRandom } from '../src/math/random.js';
import { loadInteractionsFromStore } from '../src/recommend/data/from-store.js';
import type { Interactions } from '../src/recommend/interactions.js';
import { createModel } from '../src/recommend/registry.js';
import { TrainedModel } from '../src/recommend/trained-model.js';
import { TrainingData } from '../src/recommend/training-data.js';
import { fillShop } from '../src/simulate/fill.js';
import { generateShop } from '../src/simulate/shop.js';
import type { GroundTruth } from '../src/simulate/truth.js';

// The simulator knows what each user would like (GroundTruth.liked: the items of highest true utility);
// a model trained on the events it generated should find more of them than popularity does.
const shop = generateShop({ seed: 2024, users: 400, items: 600, days: 20 });
let services: Services;
let dir: string;
let interactions: Interactions;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shopwise-truth-'));
  services = await createServices(loadConfig({ env: {}, file: undefined, flags: { dataDir: dir, storageUrl: 'sqlite::memory:', logLevel: 'silent' } }));
  await fillShop({ items: services.storage.items, users: services.storage.users, ingest: services.ingest }, 'demo', shop);
  interactions = await loadInteractionsFromStore(services.storage, 'demo');
});
afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Mean over the users the model knows of |top-k ∩ liked-but-unseen| / |liked-but-unseen|. */
async function recallOfLiked(trained: TrainedModel, truth: GroundTruth, k: number): Promise<{ recall: number; users: number }> {
  const data = new TrainingData(interactions);
  let total = 0;
  let users = 0;
  for (const user of truth.userTruth) {
    const u = interactions.users.get(user.id);
    if (u < 0) continue;
    const seen = new Set([...data.seen(u)].map((i) => interactions.items.idOf(i)));
    const relevant = new Set(user.liked.filter((id) => !seen.has(id)));
    if (relevant.size === 0) continue;
    const { items } = await trained.recommend(user.id, k);
    total += items.filter((i) => relevant.has(i.itemId)).length / relevant.size;
    users++;
  }
  return { recall: total / users, users };
}

async function fitted(model: string, params: Record<string, unknown> = {}): Promise<TrainedModel> {
  const data = new TrainingData(interactions);
  const recommender = createModel(model, params);
  await recommender.fit(data, { rng: new SeededRandom(1) });
  return TrainedModel.fromTraining(recommender, data);
}

describe('the default recommender against the simulator’s ground truth', () => {
  it('finds clearly more of the items users would like than popularity (recall@20 of liked, unseen)', async () => {
    const model = configSpec.recommendModel.default;
    const popularity = await recallOfLiked(await fitted('popularity'), shop.truth, 20);
    const trained = await recallOfLiked(await fitted(model), shop.truth, 20);
    console.log(`recall@20 of liked items over ${trained.users} users: ${model} ${trained.recall.toFixed(4)}, popularity ${popularity.recall.toFixed(4)}`);
    expect(trained.users).toBeGreaterThan(200);
    expect(trained.recall).toBeGreaterThan(popularity.recall * 1.3);
    expect(trained.recall - popularity.recall).toBeGreaterThan(0.02);
  });
});
