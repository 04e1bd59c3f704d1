import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/math/random.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// A small body limit keeps the 413 case cheap; 10k-event batches still fit in 4 MiB.
const BODY_LIMIT = 4 * 1024 * 1024;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: BODY_LIMIT });
});
afterAll(async () => server?.close());

const eventCount = async () => (await server.call('GET', '/v1/workspace')).body.counts.events as number;
const good = (i: number) => ({ type: 'track', event: 'Product Viewed', userId: `u${i % 97}`, messageId: `ok-${i}`, properties: { productId: `p${i % 500}` } });

/** Every malformed request must get a 4xx naming the field, and store nothing. */
async function expectRejected(path: string, body: unknown, field: string | RegExp, status = 400): Promise<void> {
  const before = await eventCount();
  const response = await server.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error).toBeTypeOf('string');
  expect(response.body.message).toBeTypeOf('string');
  if (field instanceof RegExp) expect(response.body.field ?? response.body.message).toMatch(field);
  else expect(response.body.field).toBe(field);
  expect(await eventCount()).toBe(before);
}

describe('malformed events get a clear 4xx and change nothing', () => {
  it.each([
    ['wrong type of userId', { type: 'track', event: 'X', userId: 42 }, '/userId'],
    ['properties not an object', { type: 'track', event: 'X', userId: 'u', properties: 'cheap' }, '/properties'],
    ['timestamp not a time', { type: 'track', event: 'X', userId: 'u', timestamp: 'yesterday-ish' }, '/timestamp'],
    ['timestamp in the far future', { type: 'track', event: 'X', userId: 'u', timestamp: '2999-01-01T00:00:00Z' }, '/timestamp'],
    ['missing type', { event: 'X', userId: 'u' }, '/type'],
    ['unknown event type', { type: 'purchase', event: 'X', userId: 'u' }, '/type'],
    ['no user at all', { type: 'track', event: 'X' }, '/userId'],
    ['track without a name', { type: 'track', userId: 'u' }, '/event'],
    ['alias without previousId', { type: 'alias', userId: 'u' }, '/previousId'],
    ['unknown top-level field', { type: 'track', event: 'X', userId: 'u', colour: 'red' }, /colour/],
    ['id with a space', { type: 'track', event: 'X', userId: 'a b' }, '/userId'],
    ['rating out of range', { type: 'track', event: 'Review Submitted', userId: 'u', properties: { productId: 'p', rating: 9 } }, '/properties/rating'],
    ['negative revenue', { type: 'track', event: 'Order Completed', userId: 'u', properties: { revenue: -5 } }, '/properties/revenue'],
    ['order line without product', { type: 'track', event: 'Order Completed', userId: 'u', properties: { products: [{ quantity: 1 }] } }, '/properties/products/0/productId'],
    ['empty search', { type: 'track', event: 'Products Searched', userId: 'u', properties: { query: ' ' } }, '/properties/query'],
    ['an array instead of an event', [1, 2], ''],
  ])('%s', async (_name, body, field) => {
    await expectRejected('/v1/events', body, field);
  });

  it('rejects invalid JSON, a non-JSON content type and an empty body', async () => {
    for (const [body, headers, status] of [['{"type": "track",', {}, 400], ['type=track', { 'content-type': 'text/plain' }, 415]] as const) {
      const response = await fetch(`${server.url}/v1/events`, { method: 'POST', body, headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json', ...headers } });
      expect(response.status).toBe(status);
      expect((await response.json()).message).toBeTypeOf('string');
    }
    const empty = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
  });

  it('answers 413 for a body over the limit and 400 for one event over the event limit', async () => {
    const huge = { batch: [{ type: 'track', event: 'X', userId: 'u', properties: { blob: 'x'.repeat(BODY_LIMIT) } }] };
    await expectRejected('/v1/events/batch', huge, /limit/, 413);
    await expectRejected('/v1/events', { type: 'track', event: 'X', userId: 'u', properties: { blob: 'x'.repeat(70_000) } }, '');
  });

  it('rejects batch bodies of the wrong shape or size', async () => {
    await expectRejected('/v1/events/batch', { events: [] }, 'batch');
    await expectRejected('/v1/events/batch', { batch: 'all' }, 'batch');
    await expectRejected('/v1/events/batch', { batch: Array.from({ length: 10_001 }, (_, i) => good(i)) }, 'batch');
  });
});

describe('a 10,000-event batch with some bad rows', () => {
  it('stores the good rows, rejects the bad ones by index, and a retry stores nothing new', async () => {
    const batch: unknown[] = Array.from({ length: 10_000 }, (_, i) => good(i));
    const bad = [3, 777, 5000, 9999];
    batch[3] = { ...good(3), userId: 12 };
    batch[777] = { ...good(777), type: 'nonsense' };
    batch[5000] = 'not an event';
    batch[9999] = { ...good(9999), properties: {} };
    const before = await eventCount();
    const first = await server.call('POST', '/v1/events/batch', { batch });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ stored: 9_996, duplicates: 0, rejected: 4 });
    expect(first.body.results.filter((r: any) => r.status === 'rejected').map((r: any) => r.index)).toEqual(bad);
    expect(first.body.results[9999].error).toEqual({ field: '/properties/productId', message: 'productId (string or number) is required' });
    expect(await eventCount()).toBe(before + 9_996);
    expect((await server.call('GET', '/v1/events/ok-777')).status).toBe(404);
    const retry = await server.call('POST', '/v1/events/batch', { batch });
    expect(retry.body).toMatchObject({ stored: 0, duplicates: 9_996, rejected: 4 });
    expect(await eventCount()).toBe(before + 9_996);
  });

  it('answers 400 when every event of a batch is rejected', async () => {
    const response = await server.call('POST', '/v1/events/batch', { batch: [{ type: 'x' }, {}] });
    expect(response.status).toBe(400);
    expect(response.body.rejected).toBe(2);
  });
});

describe('unicode, emoji and Chinese text round-trip', () => {
  it('stores and returns text exactly', async () => {
    const properties = { productId: '商品-42', query: '红色 连衣裙 👗', text: 'очень хорошо — 非常好！😀 \u0000 end', emoji: '👨‍👩‍👧‍👦' };
    const sent = { type: 'track', event: '商品浏览', userId: '用户_张三', anonymousId: 'ανώνυμος', messageId: '消息-1', properties };
    expect((await server.call('POST', '/v1/events', sent)).status).toBe(200);
    const back = await server.call('GET', `/v1/events/${encodeURIComponent('消息-1')}`);
    expect(back.body).toMatchObject({ event: '商品浏览', userId: '用户_张三', anonymousId: 'ανώνυμος', properties });
    expect((await server.call('PUT', `/v1/items/${encodeURIComponent('商品-42')}`, { title: '连衣裙 👗', description: '真丝' })).status).toBe(201);
    expect((await server.call('GET', `/v1/items/${encodeURIComponent('商品-42')}`)).body.title).toBe('连衣裙 👗');
  });
});

describe('keys and workspaces', () => {
  it('401 without a key, with a wrong key or a malformed header; 403 for a missing scope', async () => {
    expect((await server.call('POST', '/v1/events', good(1), null)).status).toBe(401);
    expect((await server.call('POST', '/v1/events', good(1), 'sw_not_a_real_key_at_all_000')).status).toBe(401);
    const malformed = await server.call('GET', '/v1/items', undefined, null, { authorization: 'Basic abc' });
    expect(malformed.status).toBe(401);
    expect(malformed.body.message).toContain('Bearer');
    const readKey = (await server.call('POST', '/v1/keys', { name: 'reader', scopes: ['read'] })).body.key;
    const before = await eventCount();
    expect((await server.call('POST', '/v1/events', good(123_456), readKey)).status).toBe(403);
    expect((await server.call('POST', '/v1/items', { id: 'z', title: 'z' }, readKey)).status).toBe(403);
    expect((await server.call('POST', '/v1/keys', { name: 'x', scopes: ['root'] })).status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('another workspace’s ids are not found and cannot be changed', async () => {
    const other = (await server.call('POST', '/v1/workspaces', { id: 'rival', name: 'Rival' })).body.key;
    await server.call('PUT', '/v1/items/secret-sku', { title: 'ours' });
    expect((await server.call('GET', '/v1/items/secret-sku', undefined, other)).status).toBe(404);
    expect((await server.call('DELETE', '/v1/items/secret-sku', undefined, other)).status).toBe(404);
    expect((await server.call('PATCH', '/v1/items/secret-sku', { title: 'theirs' }, other)).status).toBe(404);
    expect((await server.call('GET', '/v1/items/secret-sku')).body.title).toBe('ours');
  });

  it('rejects malformed catalog writes with the field named', async () => {
    const cases: [unknown, string][] = [
      [{ id: 'a', title: 5 }, 'body/title'], [{ id: 'a' }, 'body/title'], [{ id: 'a', title: 't', price: 'cheap' }, 'body/price'],
      [{ id: 'a', title: 't', currency: 'yuan' }, 'body/currency'], [{ id: '', title: 't' }, 'body/id'],
    ];
    for (const [body, field] of cases) {
      const response = await server.call('POST', '/v1/items', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.field).toBe(field);
    }
    const batch = await server.call('POST', '/v1/items/batch', { items: [{ id: 'ok', title: 'ok' }, { id: 'bad', title: 't', stock: -1 }] });
    expect(batch.body.field).toBe('body/items/1/stock');
    expect((await server.call('GET', '/v1/items/ok')).status).toBe(404);
  });
});

describe('garbage never causes a 5xx', () => {
  it('survives random bodies on every write route', async () => {
    const random = new SeededRandom(7);
    const atoms = [null, true, 0, -1, 1e308, '', '💥', '{', [], {}, 'x'.repeat(300), JSON.parse('{"__proto__": {"polluted": true}}') as unknown, { constructor: { prototype: {} } }];
    const value = (depth: number): unknown => {
      const r = random.next();
      if (depth > 2 || r < 0.4) return random.pick(atoms);
      if (r < 0.7) return Array.from({ length: random.int(4) }, () => value(depth + 1));
      const keys = ['type', 'event', 'userId', 'anonymousId', 'properties', 'batch', 'items', 'id', 'title', 'price', 'messageId', 'timestamp', 'context', 'traits', 'consent'];
      return Object.fromEntries(Array.from({ length: random.int(6) }, () => [random.pick(keys), value(depth + 1)]));
    };
    const routes: [string, string][] = [['POST', '/v1/events'], ['POST', '/v1/events/batch'], ['POST', '/v1/items'], ['POST', '/v1/items/batch'], ['PUT', '/v1/users/x'], ['PATCH', '/v1/users/x'], ['POST', '/v1/keys'], ['POST', '/v1/workspaces']];
    for (let i = 0; i < 300; i++) {
      const [method, path] = routes[i % routes.length]!;
      const response = await server.call(method, path, JSON.stringify(value(0)) ?? 'null');
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
