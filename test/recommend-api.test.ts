import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelEntry } from '../src/recommend/registry.js';
import { fillShop } from '../src/simulate/fill.js';
import { generateShop } from '../src/simulate/shop.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;
const shop = generateShop({ seed: 9, users: 150, items: 200, days: 10 });
const tracked = (userId: string) => shop.events.filter((e) => e.userId === userId && e.type === 'track');
const seenBy = (userId: string) => new Set(tracked(userId).flatMap((e) => {
  const p = (e.properties ?? {}) as { productId?: string; products?: { productId: string }[] };
  return [p.productId, ...(p.products ?? []).map((x) => x.productId)].filter((x): x is string => typeof x === 'string');
}));
const categoryOf = new Map(shop.items.map((i) => [i.id, i.categoryPath ?? []]));
// The user with the most events: the model surely knows them.
const activeUser = [...new Set(shop.events.map((e) => e.userId).filter((u): u is string => !!u))]
  .sort((a, b) => tracked(b).length - tracked(a).length)[0]!;

beforeAll(async () => {
  server = await startTestServer();
  await fillShop({ items: server.services.storage.items, users: server.services.storage.users, ingest: server.services.ingest }, 'demo', shop);
});
afterAll(async () => server?.close());

async function trained(model: string, name = 'default'): Promise<any> {
  const started = await server.call('POST', '/v1/models/train', { model, name });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  for (;;) {
    const job = await server.call('GET', `/v1/models/jobs/${started.body.id}`);
    if (!['queued', 'running'].includes(job.body.status)) return job.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('recommendations over HTTP', () => {
  it('answers 503 before a model is trained, while popular works from the events alone', async () => {
    const recommend = await server.call('GET', `/v1/recommend/${activeUser}`);
    expect(recommend.status).toBe(503);
    expect(recommend.body).toMatchObject({ error: 'unavailable', message: expect.stringContaining('POST /v1/models/train') });
    expect((await server.call('GET', `/v1/items/${shop.items[0]!.id}/similar`)).status).toBe(503);
    const popular = await server.call('GET', '/v1/popular?n=5');
    expect(popular.status).toBe(200);
    expect(popular.body.source).toBe('events');
    expect(popular.body.items).toHaveLength(5);
  });

  it('refuses bad training requests: unknown model, bad params, a read key', async () => {
    const unknown = await server.call('POST', '/v1/models/train', { model: 'astrology' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('popularity');
    expect((await server.call('POST', '/v1/models/train', { model: 'popularity', params: { mode: 'loudest' } })).status).toBe(400);
    expect((await server.call('POST', '/v1/models/train', { model: 'popularity', name: 'no spaces' })).status).toBe(400);
    const readKey = (await server.call('POST', '/v1/keys', { name: 'reader', scopes: ['read'] })).body.key;
    expect((await server.call('POST', '/v1/models/train', { model: 'popularity' }, readKey)).status).toBe(403);
  });

  it('trains the default model through a job, then serves it', async () => {
    const model = server.services.config.recommendModel;
    const started = await server.call('POST', '/v1/models/train', { model });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', model, name: 'default', version: null });
    const again = await server.call('POST', '/v1/models/train', { model });
    expect(again.status).toBe(409);
    let job: any;
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await server.call('GET', `/v1/models/jobs/${started.body.id}`)).body;
    } while (job.status === 'queued' || job.status === 'running');
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: 'succeeded', version: 1, metrics: { holdout: { protocol: 'leave-last-out' } } });
    const versions = await server.call('GET', '/v1/models');
    expect(versions.body.items[0]).toMatchObject({ name: 'default', version: 1, model, bytes: expect.any(Number) });
    expect((await server.call('GET', '/v1/models/jobs')).body.items.map((j: any) => j.id)).toContain(started.body.id);
  });

  it('recommends to a known user: n items, none seen, excluded ids left out, category filter', async () => {
    const answer = await server.call('GET', `/v1/recommend/${activeUser}?n=8`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ userId: activeUser, source: 'model', model: { name: 'default', version: 1 } });
    const ids: string[] = answer.body.items.map((i: any) => i.itemId);
    expect(ids).toHaveLength(8);
    const seen = seenBy(activeUser);
    for (const id of ids) expect(seen.has(id)).toBe(false);
    const excluded = await server.call('GET', `/v1/recommend/${activeUser}?n=8&exclude=${encodeURIComponent(ids.slice(0, 2).join(','))}`);
    expect(excluded.body.items.map((i: any) => i.itemId)).not.toContain(ids[0]);
    expect(excluded.body.items.map((i: any) => i.itemId)).not.toContain(ids[1]);
    const withSeen = await server.call('GET', `/v1/recommend/${activeUser}?n=200&excludeSeen=false`);
    expect(withSeen.body.items.some((i: any) => seen.has(i.itemId))).toBe(true);
    const top = categoryOf.get(ids[0]!)![0]!;
    const inTop = await server.call('GET', `/v1/recommend/${activeUser}?n=5&category=${encodeURIComponent(top)}`);
    expect(inTop.body.items.length).toBeGreaterThan(0);
    for (const { itemId } of inTop.body.items) expect(categoryOf.get(itemId)![0]).toBe(top);
  });

  it('folds in an unknown user from history (or falls back to popular) and says which', async () => {
    const history = [...seenBy(activeUser)].slice(0, 5);
    const answer = await server.call('GET', `/v1/recommend/visitor-1?n=5&history=${encodeURIComponent(history.join(','))}`);
    expect(answer.status).toBe(200);
    const foldIn = modelEntry(server.services.config.recommendModel).capabilities.foldIn;
    expect(answer.body.source).toBe(foldIn ? 'fold-in' : 'popular');
    for (const { itemId } of answer.body.items) expect(history).not.toContain(itemId);
    expect((await server.call('GET', '/v1/recommend/visitor-2?n=5')).body.source).toBe('popular');
  });

  it('answers similar items and popular items, with filters; 404 for an unknown item; 400 for a bad n', async () => {
    const item = [...seenBy(activeUser)][0]!;
    const similar = await server.call('GET', `/v1/items/${encodeURIComponent(item)}/similar?n=6`);
    expect(similar.status).toBe(200);
    expect(similar.body.items).toHaveLength(6);
    expect(similar.body.items.map((i: any) => i.itemId)).not.toContain(item);
    const top = categoryOf.get(item)![0]!;
    const filtered = await server.call('GET', `/v1/items/${encodeURIComponent(item)}/similar?n=4&category=${encodeURIComponent(top)}`);
    for (const { itemId } of filtered.body.items) expect(categoryOf.get(itemId)![0]).toBe(top);
    const missing = await server.call('GET', '/v1/items/no-such-item/similar');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
    const popular = await server.call('GET', `/v1/popular?n=3&category=${encodeURIComponent(top)}`);
    expect(popular.body.source).toBe('model');
    for (const { itemId } of popular.body.items) expect(categoryOf.get(itemId)![0]).toBe(top);
    for (const bad of ['n=0', 'n=abc', 'n=100000', 'n=2.5', 'bogus=1']) {
      const response = await server.call('GET', `/v1/recommend/${activeUser}?${bad}`);
      expect(response.status, bad).toBe(400);
      expect(response.body.error).toBe('invalid');
    }
  });

  it('cancels a job; a finished or unknown job cannot be cancelled', async () => {
    const started = await server.call('POST', '/v1/models/train', { model: 'popularity', name: 'to-cancel' });
    const cancelled = await server.call('DELETE', `/v1/models/jobs/${started.body.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await server.call('DELETE', `/v1/models/jobs/${started.body.id}`)).status).toBe(409);
    expect((await server.call('DELETE', '/v1/models/jobs/no-such-job')).status).toBe(404);
    expect((await server.call('GET', '/v1/models?name=to-cancel')).body.items).toEqual([]);
    // A cancelled slot can train again.
    expect((await trained('popularity', 'to-cancel')).status).toBe('succeeded');
  });

  it('documents the routes in OpenAPI', async () => {
    const spec = (await server.call('GET', '/openapi.json', undefined, null)).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/recommend/{userId}', '/v1/items/{id}/similar', '/v1/popular', '/v1/models/train', '/v1/models/jobs/{id}', '/v1/models']));
    expect(spec.paths['/v1/recommend/{userId}'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['n', 'category', 'exclude', 'excludeSeen', 'history']));
  });
});
