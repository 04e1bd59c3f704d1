import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../auth/key-service.js';
import { SeededRandom } from '../../math/random.js';
import { EventMaker, smallCatalog, testProcessor } from '../../profiles/profile-fixtures.js';
import { TagTreeService } from '../../profiles/tag-tree-service.js';
import { VocabularyTracker } from '../../profiles/vocabulary-tracker.js';
import { registerErrorHandling } from '../errors.js';
import { registerValidation } from '../validation.js';
import { registerTagRoutes } from './tags.js';

// The routes alone on a bare app (they are not registered in app.ts yet); the principal stands in for auth.
describe('tag routes', () => {
  const app = Fastify();
  const processor = testProcessor({ consents: new Map([['u-restricted', { personalization: false }]]) });
  const vocabulary = new VocabularyTracker({ rng: new SeededRandom(1) });
  const tagTrees = new TagTreeService(processor, {
    items: async function* () {
      yield* smallCatalog().values();
    },
  });

  beforeAll(async () => {
    vocabulary.follow(processor);
    const m = new EventMaker();
    const events = [
      m.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p1' }),
      m.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p2' }),
      m.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p6' }),
      m.track({ userId: 'u-restricted' }, 'Product Viewed', { productId: 'p1' }),
    ];
    // Two hours of searches, then a new word.
    for (let i = 0; i < 1440; i++) events.push(m.track({ userId: `s${i % 50}` }, 'Products Searched', { query: i % 2 ? 'guitar strings' : '民谣吉他 琴弦' }, { timestamp: Date.UTC(2026, 0, 5, 8) + i * 5000 }));
    for (let i = 0; i < 20; i++) events.push(m.track({ userId: 'u1' }, 'Products Searched', { query: 'zorbapods guitar strings' }, { timestamp: Date.UTC(2026, 0, 5, 10) + i * 10_000 }));
    await processor.process(events);
    registerValidation(app);
    registerErrorHandling(app);
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRequest', async (request) => {
      request.principal = { keyId: 'k', workspaceId: 'shop', scopes: ['read'] };
    });
    registerTagRoutes(app, {
      tagTree: (ws) => tagTrees.tree(ws), trending: (ws, q) => vocabulary.trending(ws, q), getProfile: (ws, id) => processor.getProfile(ws, id),
      userKeywords: (ws, id, o) => vocabulary.userKeywords(ws, id, o),
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('GET /v1/tags/tree returns the tree to the depth asked', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/tags/tree?depth=2' });
    expect(response.statusCode).toBe(200);
    const { tree, builtAt } = response.json();
    expect(builtAt).toEqual(expect.any(Number));
    expect(tree).toMatchObject({ id: 'root', kind: 'root', children: [{ id: 'category:Music', kind: 'category' }] });
    const cut = tree.children[0].children; // the second level: cut, saying how many children it had
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.every((n: { children: unknown[]; more?: number }) => n.children.length === 0)).toBe(true);
    expect(cut.some((n: { more?: number }) => (n.more ?? 0) > 0)).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/v1/tags/tree?depth=0' })).statusCode).toBe(400);
  });

  it('GET /v1/keywords/trending lists the new word with its neighbours', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/keywords/trending?limit=5&windowMinutes=30' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.windowMinutes).toBe(30);
    expect(body.terms.map((t: { term: string }) => t.term)).toEqual(['zorbapods']);
    expect(body.terms[0]).toMatchObject({ count: 20, expected: 0, ratio: 20, neighbours: expect.any(Array) });
    expect(body.terms[0].neighbours[0]).toEqual({ term: expect.any(String), similarity: expect.any(Number) });
    expect((await app.inject({ method: 'GET', url: '/v1/keywords/trending?limit=500' })).statusCode).toBe(400);
  });

  it('GET /v1/users/:id/interest-tree gives the user’s shares on the tag tree and their keywords', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/users/u1/interest-tree?minShare=0' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ userId: 'u1', consent: 'full', asOf: expect.any(Number), tree: { id: 'root', weight: 1 } });
    expect(body.tree.children[0]).toMatchObject({ id: 'category:Music', weight: expect.closeTo(1, 9) });
    expect(body.keywords.map((k: { term: string }) => k.term)).toContain('zorbapods');
  });

  it('gives a restricted user no tree, and an unknown user 404', async () => {
    const restricted = (await app.inject({ method: 'GET', url: '/v1/users/u-restricted/interest-tree' })).json();
    expect(restricted).toEqual({ userId: 'u-restricted', consent: 'restricted', asOf: null, tree: null, keywords: [] });
    const missing = await app.inject({ method: 'GET', url: '/v1/users/nobody/interest-tree' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found', field: 'id' });
  });
});
