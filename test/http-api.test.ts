import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const viewed = (over: Record<string, unknown> = {}) => ({ type: 'track', event: 'Product Viewed', userId: 'u1', properties: { productId: 'p1' }, ...over });

describe('service endpoints', () => {
  it('answers liveness, readiness, OpenAPI 3.1, the docs page and Prometheus metrics without a key', async () => {
    expect((await server.call('GET', '/health/live', undefined, null)).body).toEqual({ status: 'ok' });
    expect((await server.call('GET', '/health/ready', undefined, null)).body).toMatchObject({ status: 'ready', storage: 'sqlite' });
    const spec = (await server.call('GET', '/openapi.json', undefined, null)).body;
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/events/batch', '/v1/items', '/v1/users/{id}', '/v1/keys']));
    expect(spec.paths['/v1/events'].post.description).toContain('Order Completed');
    const docs = await server.call('GET', '/docs/', undefined, null);
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger');
    await server.call('POST', '/v1/events', viewed({ messageId: 'metrics-1' }));
    const metrics = await server.call('GET', '/metrics', undefined, null);
    expect(metrics.body).toMatch(/shopwise_events_total\{outcome="stored"\} [1-9]/);
    expect(metrics.body).toMatch(/shopwise_http_request_duration_seconds_bucket/);
  });
});

describe('events', () => {
  it('stores one event durably and reports a repeated messageId as duplicate', async () => {
    const first = await server.call('POST', '/v1/events', viewed({ messageId: 'once-1', context: { channel: 'app', locale: 'zh-CN' } }));
    expect(first).toEqual({ status: 200, body: { status: 'stored', messageId: 'once-1' } });
    expect((await server.call('POST', '/v1/events', viewed({ messageId: 'once-1' }))).body.status).toBe('duplicate');
    const stored = await server.call('GET', '/v1/events/once-1');
    expect(stored.body).toMatchObject({ userId: 'u1', channel: 'app', event: 'Product Viewed', properties: { productId: 'p1' } });
    expect((await server.call('GET', '/v1/events?userId=u1&event=Product%20Viewed')).body.items.filter((e: any) => e.messageId === 'once-1')).toHaveLength(1);
  });

  it('keeps the good events of a batch and reports each by index', async () => {
    const response = await server.call('POST', '/v1/events/batch', {
      batch: [viewed({ messageId: 'b-1' }), { type: 'track', userId: 'u1' }, viewed({ messageId: 'b-1' }), viewed({ messageId: 'b-2', timestamp: '2026-01-02T03:04:05Z' })],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ stored: 2, duplicates: 1, rejected: 1 });
    expect(response.body.results[1]).toEqual({ index: 1, status: 'rejected', error: { field: '/event', message: 'a track event needs an event name' } });
    expect(response.body.results[2]).toEqual({ index: 2, status: 'duplicate', messageId: 'b-1' });
    expect((await server.call('GET', '/v1/events/b-2')).body.timestamp).toBe(Date.parse('2026-01-02T03:04:05Z'));
  });

  it('identify merges the anonymous history into the known user', async () => {
    await server.call('POST', '/v1/events/batch', { batch: [
      { type: 'page', name: 'Home', anonymousId: 'anon-e2e' },
      { type: 'track', event: 'Products Searched', anonymousId: 'anon-e2e', properties: { query: '蓝牙耳机' } },
    ] });
    await server.call('POST', '/v1/events', { type: 'identify', userId: 'shopper-9', anonymousId: 'anon-e2e', traits: { city: '杭州' } });
    const history = await server.call('GET', '/v1/events?userId=shopper-9');
    expect(history.body.items.map((e: any) => e.event)).toEqual(['Home', 'Products Searched', 'identify']);
    expect((await server.call('GET', '/v1/users/shopper-9')).body.traits).toEqual({ city: '杭州' });
  });

  it('pages events with a cursor and filters by time', async () => {
    await server.call('POST', '/v1/events/batch', { batch: Array.from({ length: 5 }, (_, i) => viewed({ userId: 'pager', messageId: `pg-${i}`, timestamp: 1_700_000_000_000 + i })) });
    const one = await server.call('GET', '/v1/events?userId=pager&limit=3');
    const two = await server.call('GET', `/v1/events?userId=pager&limit=3&cursor=${one.body.nextCursor}`);
    expect([...one.body.items, ...two.body.items].map((e: any) => e.messageId)).toEqual(['pg-0', 'pg-1', 'pg-2', 'pg-3', 'pg-4']);
    const windowed = await server.call('GET', `/v1/events?userId=pager&since=${1_700_000_000_001}&until=${new Date(1_700_000_000_003).toISOString()}`);
    expect(windowed.body.items.map((e: any) => e.messageId)).toEqual(['pg-1', 'pg-2']);
  });
});

describe('catalog and users', () => {
  const item = { id: 'sku-1', title: '无线耳机', translations: { en: { title: 'Wireless earbuds' } }, categoryPath: ['数码', '音频'], brand: 'Acme', price: 199, currency: 'CNY', tags: ['bluetooth'], stock: 10 };

  it('creates (201), replaces (200), patches, reads and soft-deletes an item', async () => {
    expect((await server.call('POST', '/v1/items', item)).status).toBe(201);
    expect((await server.call('PUT', '/v1/items/sku-1', { ...item, id: undefined, price: 179 })).status).toBe(200);
    const patched = await server.call('PATCH', '/v1/items/sku-1', { stock: 0, sponsored: true });
    expect(patched.body).toMatchObject({ title: '无线耳机', price: 179, stock: 0, sponsored: true, brand: 'Acme' });
    expect((await server.call('DELETE', '/v1/items/sku-1')).status).toBe(204);
    expect((await server.call('GET', '/v1/items/sku-1')).status).toBe(404);
    expect((await server.call('GET', '/v1/items?includeDeleted=true')).body.items.map((i: any) => i.id)).toContain('sku-1');
    expect((await server.call('PATCH', '/v1/items/nope', { stock: 1 })).status).toBe(404);
  });

  it('bulk-upserts items and pages them, filtered by category', async () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ id: `bulk-${String(i).padStart(2, '0')}`, title: `Item ${i}`, categoryPath: i % 2 ? ['数码', '音频'] : ['服装'] }));
    expect((await server.call('POST', '/v1/items/batch', { items })).body).toEqual({ created: 25, updated: 0 });
    expect((await server.call('POST', '/v1/items/batch', { items: items.slice(0, 5) })).body).toEqual({ created: 0, updated: 5 });
    const ids: string[] = [];
    let cursor = '';
    do {
      const page = await server.call('GET', `/v1/items?limit=10&category=${encodeURIComponent('数码 > 音频')}${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.body.items.map((i: any) => i.id));
      cursor = page.body.nextCursor ?? '';
    } while (cursor);
    expect(ids).toHaveLength(12);
  });

  it('stores users with consent per purpose; PATCH merges traits and consent', async () => {
    expect((await server.call('PUT', '/v1/users/amy', { traits: { tier: 'gold' }, consent: { analytics: true, marketing: false } })).status).toBe(201);
    const patched = await server.call('PATCH', '/v1/users/amy', { traits: { city: 'Chengdu' }, consent: { personalization: true } });
    expect(patched.body).toMatchObject({ traits: { tier: 'gold', city: 'Chengdu' }, consent: { analytics: true, marketing: false, personalization: true } });
    expect((await server.call('PUT', '/v1/users/amy', { consent: { sms: true } })).status).toBe(400);
  });
});

describe('keys, scopes and workspaces', () => {
  it('creates scoped keys whose secrets are shown once and enforces scopes', async () => {
    const created = await server.call('POST', '/v1/keys', { name: 'storefront', scopes: ['ingest'] });
    expect(created.status).toBe(201);
    const ingestKey = created.body.key as string;
    expect(created.body.hash).toBeUndefined();
    expect((await server.call('POST', '/v1/events', viewed(), ingestKey)).status).toBe(200);
    const forbidden = await server.call('GET', '/v1/items', undefined, ingestKey);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toContain('needs "read"');
    const listed = await server.call('GET', '/v1/keys');
    expect(JSON.stringify(listed.body)).not.toContain(ingestKey);
    expect((await server.call('DELETE', `/v1/keys/${created.body.id}`)).status).toBe(204);
    expect((await server.call('POST', '/v1/events', viewed(), ingestKey)).status).toBe(401);
  });

  it('isolates workspaces: another shop sees none of this one’s data and cannot be addressed', async () => {
    const shop = await server.call('POST', '/v1/workspaces', { id: 'shop-two', name: 'Shop Two' });
    expect(shop.status).toBe(201);
    const otherKey = shop.body.key as string;
    expect((await server.call('GET', '/v1/users/amy', undefined, otherKey)).status).toBe(404);
    expect((await server.call('GET', '/v1/events/once-1', undefined, otherKey)).status).toBe(404);
    expect((await server.call('GET', '/v1/workspace', undefined, otherKey)).body.counts).toEqual({ items: 0, users: 0, events: 0 });
    expect((await server.call('POST', '/v1/workspaces', { id: 'x' }, otherKey)).status).toBe(403);
    expect((await server.call('GET', '/v1/items', undefined, server.adminKey, { 'x-workspace-id': 'shop-two' })).status).toBe(403);
    // The same messageId in another workspace is a different event.
    expect((await server.call('POST', '/v1/events', viewed({ messageId: 'once-1' }), otherKey)).body.status).toBe('stored');
    expect((await server.call('POST', '/v1/workspaces', { id: 'shop-two' })).status).toBe(409);
  });
});
