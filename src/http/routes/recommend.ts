import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { ErrorSchema, IdParams } from './shared.js';

/** Most items one list returns. */
const MAX_N = 500;

const N = Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_N, default: 10, description: `how many items (1–${MAX_N}, default 10)` }));
const Category = Type.Optional(Type.String({
  maxLength: 400,
  description: 'only items in this category: a path with segments joined by " > " matches items whose category path starts with it; a single name also matches any segment of the path (e.g. "耳机")',
}));
const IdList = (what: string) => Type.Optional(Type.String({ maxLength: 20_000, description: `${what}: item ids separated by commas` }));
const Slot = Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the trained model slot to use (default "default")' }));

const ScoredItem = Type.Object({ itemId: Type.String(), score: Type.Number() });
const ServedVersion = Type.Object({ name: Type.String(), version: Type.Integer(), model: Type.String({ description: 'the algorithm' }) });
const Source = Type.Union([Type.Literal('model'), Type.Literal('fold-in'), Type.Literal('popular')], {
  description: 'model: from the user’s history as trained; fold-in: an unknown user scored from `history`; popular: the fallback for an unknown user the model cannot fold in',
});

function idList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Recommendations from the served models: /v1/recommend/:userId, /v1/items/:id/similar, /v1/popular. */
export function registerRecommendRoutes(app: FastifyInstance, services: Services): void {
  const { recommendations } = services;

  app.get('/v1/recommend/:userId', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommend'], summary: 'Items to recommend to a user',
      description: 'Scores every item for the user with the served model and returns the best `n`. A user the model does not know is folded in from `history` (their recent item ids) when the model can, else gets popular items; `source` says which. 503 until a model is trained (POST /v1/models/train).',
      params: Type.Object({ userId: Type.String({ minLength: 1, maxLength: 256 }) }),
      querystring: Type.Object({
        n: N, category: Category, exclude: IdList('items to leave out'),
        excludeSeen: Type.Optional(Type.Boolean({ default: true, description: 'leave out items the user interacted with or rejected (default true)' })),
        history: IdList('the user’s recent items, oldest first (used for users the model does not know, and added for those it does)'),
        model: Slot,
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ userId: Type.String(), items: Type.Array(ScoredItem), source: Source, model: ServedVersion }), 400: ErrorSchema, 503: ErrorSchema },
    },
  }, async (request) => {
    const { userId } = request.params as { userId: string };
    const q = request.query as { n: number; category?: string; exclude?: string; excludeSeen: boolean; history?: string; model?: string };
    const answer = await recommendations.recommend(request.principal.workspaceId, userId, q.n, {
      category: q.category, exclude: idList(q.exclude), excludeSeen: q.excludeSeen, history: idList(q.history), name: q.model,
    });
    return { userId, ...answer };
  });

  app.get('/v1/items/:id/similar', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommend'], summary: 'Items similar to an item (never the item itself)',
      description: '404 when the served model has no such item; 503 until a model is trained.',
      params: IdParams,
      querystring: Type.Object({ n: N, category: Category, exclude: IdList('items to leave out'), model: Slot }, { additionalProperties: false }),
      response: { 200: Type.Object({ itemId: Type.String(), items: Type.Array(ScoredItem), model: ServedVersion }), 400: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const q = request.query as { n: number; category?: string; exclude?: string; model?: string };
    return { itemId: id, ...(await recommendations.similar(request.principal.workspaceId, id, q.n, { category: q.category, exclude: idList(q.exclude), name: q.model })) };
  });

  app.get('/v1/popular', {
    config: { scope: 'read' },
    schema: {
      tags: ['recommend'], summary: 'The most popular items (distinct users with positive feedback)',
      description: 'From the data of the served default model; before any training, counted from the event log (refreshed every minute). `source` says which.',
      querystring: Type.Object({ n: N, category: Category, exclude: IdList('items to leave out') }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(ScoredItem), source: Type.Union([Type.Literal('model'), Type.Literal('events')]), model: Type.Optional(ServedVersion) }),
        400: ErrorSchema,
      },
    },
  }, async (request) => {
    const q = request.query as { n: number; category?: string; exclude?: string };
    return recommendations.popular(request.principal.workspaceId, q.n, { category: q.category, exclude: idList(q.exclude) });
  });
}
