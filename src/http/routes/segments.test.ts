import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../auth/key-service.js';
import { EventMaker, testProcessor } from '../../profiles/profile-fixtures.js';
import { SegmentEngine } from '../../profiles/segments/segment-engine.js';
import { SegmentService } from '../../profiles/segments/segment-service.js';
import { openSqlite } from '../../storage/sqlite/open-sqlite.js';
import type { Storage } from '../../storage/storage.js';
import { registerErrorHandling } from '../errors.js';
import { registerValidation } from '../validation.js';
import { registerSegmentRoutes } from './segments.js';

// The routes alone on a bare app (not registered in app.ts yet); the principal stands in for auth.
describe('/v1/segments', () => {
  const app = Fastify();
  const processor = testProcessor({ identities: new Map([['anon-7', 'u7']]) });
  const engine = new SegmentEngine({ timers: false });
  let storage: Storage;
  let scopes: Principal['scopes'] = ['read', 'admin'];

  beforeAll(async () => {
    storage = await openSqlite({ file: ':memory:' });
    engine.attach(processor);
    const m = new EventMaker();
    const events = [];
    for (let i = 0; i < 12; i++) {
      events.push(m.track({ userId: `u${i}` }, 'Product Viewed', { productId: `p${1 + (i % 10)}` }, { channel: i % 2 ? 'app' : 'web' }));
      if (i % 3 === 0) events.push(m.track({ userId: `u${i}` }, 'Order Completed', { revenue: 10 * (i + 1), products: [{ productId: 'p1', quantity: 1, price: 10 * (i + 1) }] }));
    }
    await processor.process(events);
    registerValidation(app);
    registerErrorHandling(app);
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config?.scope && !scopes.includes(request.routeOptions.config.scope)) throw Object.assign(new Error('forbidden'), { statusCode: 403 });
      request.principal = { keyId: 'k', workspaceId: 'shop', scopes };
    });
    registerSegmentRoutes(app, { segments: new SegmentService({ store: storage.segments, engine, identities: { resolveIdentity: async (_ws, id) => (id === 'anon-7' ? 'u7' : undefined) } }), maxPageSize: 500 });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await engine.close();
    await storage.close();
  });

  it('refuses a bad rule with a 400 naming the column and what was expected', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/segments', payload: { name: 'broken', rule: 'rfm.orders >= AND channel("app")' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid', field: 'rule', position: 14, column: 15, expected: 'a number after >=', found: '"AND"' });
    expect(response.json().message).toContain('rule error at column 15');
    const preview = await app.inject({ method: 'POST', url: '/v1/segments/preview', payload: { rule: 'price.bnad > 1' } });
    expect(preview.statusCode).toBe(400);
    expect(preview.json().expected).toContain('price.band');
    expect((await app.inject({ method: 'POST', url: '/v1/segments', payload: { name: 'both', rule: 'events > 0', userIds: ['u1'] } })).statusCode).toBe(400);
  });

  it('previews, creates, reads, pages members and lists with counts', async () => {
    const preview = (await app.inject({ method: 'POST', url: '/v1/segments/preview', payload: { rule: 'channel("app") >= 0.5', sample: 3 } })).json();
    expect(preview).toMatchObject({ count: 6, profiles: 12 });
    expect(preview.sample).toHaveLength(3);
    const created = await app.inject({ method: 'POST', url: '/v1/segments', payload: { id: 'app-users', name: 'App users', rule: 'channel("app")>=0.5' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'app-users', kind: 'rule', rule: 'channel("app")>=0.5', canonicalRule: 'channel("app") >= 0.5', members: 6 });
    expect((await app.inject({ method: 'POST', url: '/v1/segments', payload: { id: 'app-users', name: 'x', rule: 'events > 0' } })).statusCode).toBe(409);
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await app.inject({ method: 'GET', url: `/v1/segments/app-users/members?limit=4${cursor ? `&cursor=${cursor}` : ''}` })).json();
      expect(page.total).toBe(6);
      pages.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(['u1', 'u11', 'u3', 'u5', 'u7', 'u9']);
    expect((await app.inject({ method: 'GET', url: '/v1/segments/app-users/members?cursor=@@' })).statusCode).toBe(400);
    const list = (await app.inject({ method: 'GET', url: '/v1/segments' })).json().items;
    expect(list.map((s: { id: string; kind: string }) => `${s.id}:${s.kind}`)).toEqual(['builtin:high-value:builtin', 'builtin:at-risk:builtin', 'app-users:rule']);
    expect((await app.inject({ method: 'GET', url: '/v1/segments/nope' })).statusCode).toBe(404);
  });

  it('static lists, segments of a user (also by an identified anonymous id), replace and delete', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/segments', payload: { id: 'vip', name: 'VIP', userIds: ['u7', 'u8'] } })).json()).toMatchObject({ kind: 'list', members: 2 });
    const reader = await app.inject({ method: 'POST', url: '/v1/segments', payload: { id: 'app-vip', name: 'app VIP', rule: 'segment("VIP") AND segment("app-users")' } });
    expect(reader.json()).toMatchObject({ members: 1 });
    expect((await app.inject({ method: 'GET', url: '/v1/users/anon-7/segments' })).json()).toEqual({
      userId: 'u7', segments: [{ id: 'app-users', name: 'App users' }, { id: 'vip', name: 'VIP' }, { id: 'app-vip', name: 'app VIP' }],
    });
    expect((await app.inject({ method: 'DELETE', url: '/v1/segments/vip' })).statusCode).toBe(409);
    expect((await app.inject({ method: 'DELETE', url: '/v1/segments/builtin:at-risk' })).statusCode).toBe(403);
    const replaced = await app.inject({ method: 'PUT', url: '/v1/segments/app-vip', payload: { name: 'app VIP', rule: 'segment("VIP")' } });
    expect(replaced.json()).toMatchObject({ members: 2, canonicalRule: 'segment("VIP")' });
    expect((await app.inject({ method: 'PUT', url: '/v1/segments/app-vip', payload: { name: 'app VIP', rule: 'segment("nobody")' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/segments/app-vip' })).json().rule).toBe('segment("VIP")');
    expect((await app.inject({ method: 'DELETE', url: '/v1/segments/app-vip' })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/v1/segments/vip' })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/v1/segments/vip/members' })).statusCode).toBe(404);
  });

  it('needs admin to change segments', async () => {
    scopes = ['read'];
    try {
      expect((await app.inject({ method: 'POST', url: '/v1/segments', payload: { name: 'x', rule: 'events > 0' } })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/v1/segments' })).statusCode).toBe(200);
    } finally {
      scopes = ['read', 'admin'];
    }
  });
});
