import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import type { Item } from '../../core/catalog.js';
import { AppError } from '../../core/errors.js';
import { ErrorSchema, IdParams } from './shared.js';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/jpg', 'application/octet-stream'];

const N = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'how many items (1–100, default 10)' }));
const MatchedItem = Type.Object({
  id: Type.String(), score: Type.Number({ description: 'cosine similarity of the picture embeddings, in [-1, 1]' }),
  title: Type.String(), categoryPath: Type.Array(Type.String()), brand: Type.Union([Type.String(), Type.Null()]),
  price: Type.Union([Type.Number(), Type.Null()]), currency: Type.Union([Type.String(), Type.Null()]), imageUrl: Type.Union([Type.String(), Type.Null()]),
});
const Category = Type.Object({
  categoryPath: Type.Array(Type.String(), { description: 'the predicted category, as deep as the model classifies' }),
  confidence: Type.Number({ description: 'the model’s probability of that category' }),
});
const Status = Type.Object({
  state: Type.String({ description: 'idle, training, ready or failed' }), items: Type.Integer({ description: 'pictured items in the index' }),
  level: Type.Optional(Type.Integer()), classes: Type.Optional(Type.Integer()), colours: Type.Optional(Type.Integer()),
  training: Type.Optional(Type.Record(Type.String(), Type.Unknown())), trainedAt: Type.Optional(Type.Number()), error: Type.Optional(Type.String()),
}, { additionalProperties: true });

/**
 * Photo search: POST /v1/search/image, GET /v1/items/:id/similar/image, GET /v1/search/image/status, and
 * the stored item pictures, GET /v1/items/:id/image (public, like a shop's product photos).
 *
 * @example registerPhotoSearchRoutes(app, services);
 */
export function registerPhotoSearchRoutes(app: FastifyInstance, services: Services): void {
  const { photoSearch } = services;
  const withItems = async (workspaceId: string, matches: { itemId: string; score: number }[]) => {
    const items = await Promise.all(matches.map((m) => services.storage.items.get(workspaceId, m.itemId)));
    return matches.flatMap((m, i) => {
      const item = items[i];
      return item ? [describe(item, m.score)] : [];
    });
  };

  void app.register(async (scope) => {
    // Raw picture bodies (this plugin's routes only; everything else stays JSON-only).
    scope.addContentTypeParser(IMAGE_TYPES, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post('/v1/search/image', {
      config: { scope: 'read' },
      schema: {
        tags: ['photo search'], summary: 'Items that look like a photo, and its predicted category',
        description: 'Send the picture as the raw body (Content-Type image/png, image/jpeg or application/octet-stream) or as JSON `{ "image": "<base64>", "n": 10 }`. ' +
          'A CNN trained on the catalog’s pictures (labelled by category and colour) embeds it; items are ranked by cosine similarity. 400 for bytes that are not a PNG or JPEG; 503 while the model of the workspace is training (the first request starts it).',
        querystring: Type.Object({ n: N }, { additionalProperties: false }),
        body: Type.Unknown({ description: 'PNG / JPEG bytes, or JSON { image: base64, n?: integer }' }),
        response: { 200: Type.Object({ items: Type.Array(MatchedItem), category: Category }), 400: ErrorSchema, 503: ErrorSchema },
      },
    }, async (request) => {
      const ws = request.principal.workspaceId;
      const { image, n } = pictureOf(request.body, (request.query as { n: number }).n);
      const { matches, category } = await photoSearch.lookup(ws, image, n);
      return { items: await withItems(ws, matches), category };
    });
  });

  app.get('/v1/search/image/status', {
    config: { scope: 'read' },
    schema: { tags: ['photo search'], summary: 'Whether photo search is trained, and how well', response: { 200: Status } },
  }, async (request) => photoSearch.status(request.principal.workspaceId));

  app.get('/v1/items/:id/similar/image', {
    config: { scope: 'read' },
    schema: {
      tags: ['photo search'], summary: 'Items whose pictures look like this item’s (never the item itself)',
      description: 'The same embeddings as POST /v1/search/image. 404 when the item has no picture in the index; 503 while training.',
      params: IdParams, querystring: Type.Object({ n: N }, { additionalProperties: false }),
      response: { 200: Type.Object({ itemId: Type.String(), items: Type.Array(MatchedItem) }), 404: ErrorSchema, 503: ErrorSchema },
    },
  }, async (request) => {
    const ws = request.principal.workspaceId;
    const { id } = request.params as { id: string };
    const matches = await photoSearch.similar(ws, id, (request.query as { n: number }).n);
    return { itemId: id, items: await withItems(ws, matches) };
  });

  app.get('/v1/items/:id/image', {
    schema: {
      tags: ['photo search'], summary: 'The stored picture of an item (PNG; public, for <img> tags)',
      description: 'Pictures Shopwise stores itself (the demo shop’s generated ones). `workspace` defaults to the default workspace.',
      params: IdParams,
      querystring: Type.Object({ workspace: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }, { additionalProperties: false }),
      response: { 404: ErrorSchema },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const ws = (request.query as { workspace?: string }).workspace ?? services.config.defaultWorkspace;
    const stored = photoSearch.files.readStored(ws, id);
    if (!stored) throw AppError.notFound(`item ${id} has no stored picture in workspace ${ws}`, { field: 'id' });
    return reply.type('image/png').header('cache-control', 'public, max-age=3600').send(Buffer.from(stored.bytes));
  });
}

function pictureOf(body: unknown, n: number): { image: Uint8Array; n: number } {
  if (Buffer.isBuffer(body)) return { image: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), n };
  if (body && typeof body === 'object' && typeof (body as { image?: unknown }).image === 'string') {
    const { image, n: bodyN } = body as { image: string; n?: unknown };
    const text = image.replace(/^data:image\/[a-z+.-]+;base64,/i, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.length === 0) throw AppError.invalid('image must be base64 (or a data: URL) of PNG or JPEG bytes', { field: 'body/image' });
    if (bodyN !== undefined && !(Number.isInteger(bodyN) && (bodyN as number) >= 1 && (bodyN as number) <= 100)) throw AppError.invalid('n must be an integer from 1 to 100', { field: 'body/n' });
    return { image: new Uint8Array(Buffer.from(text, 'base64')), n: (bodyN as number | undefined) ?? n };
  }
  throw AppError.invalid('send the picture as the body (Content-Type image/png or image/jpeg) or as JSON { "image": "<base64>" }', { field: 'body' });
}

function describe(item: Item, score: number) {
  return { id: item.id, score, title: item.title, categoryPath: item.categoryPath, brand: item.brand, price: item.price, currency: item.currency, imageUrl: item.imageUrl };
}
