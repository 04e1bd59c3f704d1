import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { SeededRandom } from '../math/random.js';
import { syntheticInteractions } from './fixtures.js';
import { InteractionsBuilder } from './interactions.js';
import { POPULARITY } from './models/popularity.js';
import type { Recommender } from './recommender.js';
import { TrainedModel } from './trained-model.js';
import { MAX_SERVED_HISTORY } from './trained-model-file.js';
import { TrainingData } from './training-data.js';

// The fixture's items: item i is in group (i % 4), category ['top' + (group % 2), 'group' + group].
const data = new TrainingData(syntheticInteractions({ explicit: false, users: 80, items: 60, seed: 3 }));
const groupOf = (itemId: string) => Number(data.source.items.get(itemId)) % 4;

async function served(params: Record<string, unknown> = {}): Promise<TrainedModel> {
  const model = POPULARITY.create(params);
  await model.fit(data, { rng: new SeededRandom(1) });
  return TrainedModel.fromTraining(model, data);
}

async function rejects(promise: Promise<unknown> | (() => unknown), kind: string): Promise<void> {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(isAppError(error) && error.kind, String(error)).toBe(kind);
}

describe('TrainedModel', () => {
  it('recommends to a known user from their row, leaving out what they saw, best first', async () => {
    const trained = await served();
    const userId = data.source.users.idOf(0);
    const seen = new Set([...data.seen(0)].map((i) => data.source.items.idOf(i)));
    const { items, source } = await trained.recommend(userId, 10);
    expect(source).toBe('model');
    expect(items).toHaveLength(10);
    for (const { itemId } of items) expect(seen.has(itemId)).toBe(false);
    for (let k = 1; k < items.length; k++) expect(items[k]!.score).toBeLessThanOrEqual(items[k - 1]!.score);
    const withSeen = await trained.recommend(userId, data.numItems, { excludeSeen: false });
    expect(withSeen.items).toHaveLength(data.numItems);
  });

  it('leaves out excluded ids and keeps only the category asked for', async () => {
    const trained = await served();
    const userId = data.source.users.idOf(1);
    const first = (await trained.recommend(userId, 3)).items.map((i) => i.itemId);
    const next = (await trained.recommend(userId, 3, { exclude: [first[0]!, 'no-such-item'] })).items.map((i) => i.itemId);
    expect(next).not.toContain(first[0]);
    expect(next.slice(0, 2)).toEqual(first.slice(1));
    const group2 = await trained.recommend(userId, 5, { category: 'top0 > group2' });
    expect(group2.items.length).toBeGreaterThan(0);
    for (const { itemId } of group2.items) expect(groupOf(itemId)).toBe(2);
    const top1 = await trained.popular(30, { category: 'top1' });
    expect(new Set(top1.map((i) => groupOf(i.itemId)))).toEqual(new Set([1, 3]));
    // A single name matches any segment of the path.
    for (const { itemId } of trained.popular(5, { category: 'group3' })) expect(groupOf(itemId)).toBe(3);
    expect(trained.popular(5, { category: 'top0 > group1' })).toEqual([]);
  });

  it('folds an unknown user in from history when the model can, and says so', async () => {
    const trained = await served({ mode: 'category' });
    const history = [0, 4, 8].map((i) => data.source.items.idOf(i)); // all in group 0
    const { items, source } = await trained.recommend('newcomer', 5, { history: [...history, 'unknown-item'] });
    expect(source).toBe('fold-in');
    for (const { itemId } of items) {
      expect(groupOf(itemId)).toBe(0);
      expect(history).not.toContain(itemId);
    }
  });

  it('falls back to popularity for an unknown user without history or when the model cannot fold in', async () => {
    const trained = await served({ mode: 'category' });
    const cold = await trained.recommend('stranger', 5);
    expect(cold.source).toBe('popular');
    expect(cold.items.map((i) => i.itemId)).toEqual(trained.popular(5).map((i) => i.itemId));
    const base = POPULARITY.create();
    await base.fit(data, { rng: new SeededRandom(1) });
    // The same model claiming it cannot fold in: history is then only used to leave items out.
    const noFoldIn: Recommender = Object.assign(Object.create(base) as Recommender, { capabilities: { ...base.capabilities, foldIn: false } });
    const fallback = TrainedModel.fromTraining(noFoldIn, data);
    const top = fallback.popular(1)[0]!.itemId;
    const answer = await fallback.recommend('stranger', 5, { history: [top] });
    expect(answer.source).toBe('popular');
    expect(answer.items.map((i) => i.itemId)).not.toContain(top);
  });

  it('ranks popular items by how many users chose them', async () => {
    const trained = await served();
    const counts = data.itemCounts();
    const top = trained.popular(5);
    for (let k = 1; k < top.length; k++) expect(counts[data.source.items.get(top[k]!.itemId)]!).toBeLessThanOrEqual(counts[data.source.items.get(top[k - 1]!.itemId)]!);
  });

  it('answers similar items without the item itself, filtered, and not_found for an unknown item', async () => {
    const trained = await served();
    const itemId = data.source.items.idOf(5);
    const similar = await trained.similar(itemId, 6);
    expect(similar).toHaveLength(6);
    expect(similar.map((s) => s.itemId)).not.toContain(itemId);
    const filtered = await trained.similar(itemId, 6, { category: 'group2', exclude: [similar[0]!.itemId] });
    expect(filtered).toHaveLength(6);
    for (const { itemId: id } of filtered) expect(groupOf(id)).toBe(2);
    await rejects(trained.similar('no-such-item', 5), 'not_found');
    await rejects(trained.recommend('u', 0), 'invalid');
    await rejects(() => trained.popular(2.5), 'invalid');
  });

  it('round-trips through one blob and answers identically', async () => {
    const trained = await served({ mode: 'category' });
    const copy = TrainedModel.load(trained.save());
    expect(copy.describe()).toEqual(trained.describe());
    for (const u of [0, 7, 33]) {
      const id = data.source.users.idOf(u);
      expect(await copy.recommend(id, 8, { category: 'top1' })).toEqual(await trained.recommend(id, 8, { category: 'top1' }));
    }
    const history = [data.source.items.idOf(2)];
    expect(await copy.recommend('new', 4, { history })).toEqual(await trained.recommend('new', 4, { history }));
    expect(await copy.similar(data.source.items.idOf(9), 4)).toEqual(await trained.similar(data.source.items.idOf(9), 4));
    await rejects(() => TrainedModel.load(trained.model.save()), 'invalid');
    await rejects(() => TrainedModel.load(new Uint8Array([1, 2, 3])), 'invalid');
  });

  it('keeps the latest history of a long sequence and the user’s rejections', async () => {
    const b = new InteractionsBuilder({ explicit: false });
    for (let k = 0; k < MAX_SERVED_HISTORY + 20; k++) b.push('long', `i${k % 30}`, 1, k);
    b.push('long', 'hated', -5, 1000);
    b.push('other', 'hated', 3, 1000);
    const small = new TrainingData(b.build());
    const model = POPULARITY.create();
    await model.fit(small, { rng: new SeededRandom(1) });
    const trained = TrainedModel.load(TrainedModel.fromTraining(model, small).save());
    const all = await trained.recommend('long', 40);
    expect(all.items).toEqual([]); // every item is seen or rejected
    expect((await trained.recommend('other', 40)).items.map((i) => i.itemId)).not.toContain('hated');
    expect((await trained.recommend('long', 40, { excludeSeen: false })).items).toHaveLength(31);
  });
});
