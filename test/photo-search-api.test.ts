import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productPicture } from '../src/dialog/photo/demo-images.js';
import { decodeImage, encodeJpeg, encodePng } from '../src/dialog/photo/image-codec.js';
import { fixtureItems } from '../src/dialog/photo/photo.fixtures.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from './helpers/test-server.js';

let server: TestServer;
// A shop of 4 kinds of product × 3 colours whose pictures are local files named by imageUrl (relative to the data dir).
const items = fixtureItems(12, 'demo').map(({ id, title, categoryPath, attributes, price, currency }) => ({
  id, title, categoryPath, attributes, price, currency: currency!, imageUrl: `pictures/${id}.png`,
}));

async function post(path: string, body: Uint8Array | string, contentType: string): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url + path, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': contentType }, body: typeof body === 'string' ? body : Buffer.from(body) });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  server = await startTestServer();
  const dir = join(server.services.config.dataDir, 'pictures');
  mkdirSync(dir, { recursive: true });
  for (const item of items) writeFileSync(join(dir, `${item.id}.png`), encodePng(productPicture(item)));
  const upsert = await server.call('POST', '/v1/items/batch', { items });
  expect(upsert.status, JSON.stringify(upsert.body)).toBe(200);
});
afterAll(async () => server?.close());

describe('photo search over HTTP', () => {
  const query = items[4]!; // blue sneakers (fixtureItems: leaf 0, k = 4)
  const photo = () => encodeJpeg(productPicture(query, { shot: 'shopper photo' }), 85);

  it('answers 503 while the first training runs, 400 for bytes that are no picture', async () => {
    const first = await post('/v1/search/image', photo(), 'image/jpeg');
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ error: 'unavailable', message: expect.stringContaining('training started') });
    const bad = await post('/v1/search/image', new TextEncoder().encode('GIF89a nope'), 'image/png');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/GIF images are not supported/);
    const badJson = await server.call('POST', '/v1/search/image', { image: '***' });
    expect(badJson.status).toBe(400);
    const status = await server.services.photoSearch.prepare('demo');
    expect(status).toMatchObject({ state: 'ready', items: 48, classes: 4, colours: 3 });
    expect((await server.call('GET', '/v1/search/image/status')).body).toMatchObject({ state: 'ready', items: 48 });
  }, 120_000);

  it('POST /v1/search/image with raw bytes or base64 JSON returns similar items and the category', async () => {
    const raw = await post('/v1/search/image?n=5', photo(), 'image/jpeg');
    expect(raw.status, JSON.stringify(raw.body)).toBe(200);
    expect(raw.body.items).toHaveLength(5);
    expect(raw.body.items[0]).toMatchObject({ id: expect.any(String), score: expect.any(Number), title: expect.any(String), categoryPath: expect.any(Array), imageUrl: expect.stringMatching(/^pictures\//) });
    const sameLeaf = raw.body.items.filter((i: { categoryPath: string[] }) => i.categoryPath[2] === query.categoryPath[2]).length;
    expect(sameLeaf).toBeGreaterThanOrEqual(3);
    expect(raw.body.category.categoryPath).toHaveLength(3);
    const json = await server.call('POST', '/v1/search/image', { image: Buffer.from(photo()).toString('base64'), n: 3 });
    expect(json.status).toBe(200);
    expect(json.body.items.map((i: { id: string }) => i.id)).toEqual(raw.body.items.slice(0, 3).map((i: { id: string }) => i.id));
    expect((await post('/v1/search/image', photo(), 'image/jpeg')).status).toBe(200);
    expect((await server.call('POST', '/v1/search/image', { image: 'x' }, null)).status).toBe(401);
  });

  it('GET /v1/items/:id/similar/image ranks other items by their pictures', async () => {
    const similar = await server.call('GET', `/v1/items/${encodeURIComponent(query.id)}/similar/image?n=4`);
    expect(similar.status).toBe(200);
    expect(similar.body.items).toHaveLength(4);
    expect(similar.body.items.map((i: { id: string }) => i.id)).not.toContain(query.id);
    expect((await server.call('GET', '/v1/items/no-such-item/similar/image')).status).toBe(404);
  });

  it('GET /v1/items/:id/image serves stored pictures publicly, 404 otherwise', async () => {
    const png = encodePng(productPicture(query));
    server.services.photoSearch.files.write('demo', query.id, png);
    const response = await fetch(`${server.url}/v1/items/${encodeURIComponent(query.id)}/image`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(decodeImage(new Uint8Array(await response.arrayBuffer())).width).toBe(64);
    expect((await fetch(`${server.url}/v1/items/${encodeURIComponent(items[0]!.id)}/image`)).status).toBe(404);
  });
});
