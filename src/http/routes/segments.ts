import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SegmentRequest, SegmentService } from '../../profiles/segments/segment-service.js';
import { ErrorSchema, IdParams, PageQuery, pageLimit } from './shared.js';

export interface SegmentRouteDeps {
  segments: SegmentService;
  maxPageSize: number;
}

const RuleText = Type.String({ minLength: 1, maxLength: 4000, description: 'a segment rule, e.g. bought(category = "Guitars", days = 30) AND inactive(days = 14) (README: Segments)' });
const SegmentBody = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'default: generated' })),
  name: Type.String({ minLength: 1, maxLength: 200, description: 'unique in the workspace; segment("name") in a rule refers to it' }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  rule: Type.Optional(RuleText),
  userIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 1_000_000, description: 'a static list instead of a rule' })),
}, { additionalProperties: false });

const SegmentSchema = Type.Object({
  id: Type.String(), name: Type.String(), description: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Union([Type.Literal('rule'), Type.Literal('list'), Type.Literal('builtin')]),
  rule: Type.Union([Type.String(), Type.Null()]), canonicalRule: Type.Union([Type.String(), Type.Null()]),
  members: Type.Integer({ description: 'members now' }),
  createdAt: Type.Union([Type.Integer(), Type.Null()]), updatedAt: Type.Union([Type.Integer(), Type.Null()]),
});

const RuleErrorSchema = Type.Composite([ErrorSchema, Type.Object({
  position: Type.Optional(Type.Integer({ description: '0-based offset in the rule' })), column: Type.Optional(Type.Integer()),
  expected: Type.Optional(Type.String()), found: Type.Optional(Type.String()),
})], { additionalProperties: true });

/**
 * Segments: /v1/segments (CRUD, preview, members) and /v1/users/:id/segments. Reads need `read`;
 * creating, replacing and deleting need `admin`. A bad rule is a 400 whose body names the column and
 * what was expected there.
 *
 * @example registerSegmentRoutes(app, { segments: services.segments, maxPageSize: config.maxPageSize });
 */
export function registerSegmentRoutes(app: FastifyInstance, deps: SegmentRouteDeps): void {
  const { segments } = deps;
  const tags = ['segments'];

  app.get('/v1/segments', {
    config: { scope: 'read' },
    schema: { tags, summary: 'Segments of this workspace (built-in ones first) with their member counts', response: { 200: Type.Object({ items: Type.Array(SegmentSchema) }) } },
  }, async (request) => ({ items: await segments.list(request.principal.workspaceId) }));

  app.post('/v1/segments', {
    config: { scope: 'admin' },
    schema: { tags, summary: 'Create a rule segment or a static list (201); members are computed at once, without events', body: SegmentBody, response: { 201: SegmentSchema, 400: RuleErrorSchema, 409: ErrorSchema } },
  }, async (request, reply) => {
    const view = await segments.create(request.principal.workspaceId, request.body as SegmentRequest, Date.now());
    reply.status(201);
    return view;
  });

  app.post('/v1/segments/preview', {
    config: { scope: 'read' },
    schema: {
      tags, summary: 'How many profiles a rule matches now, with a sample of them (nothing is saved)',
      body: Type.Object({ rule: RuleText, sample: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'ids to return (default 20)' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ count: Type.Integer(), profiles: Type.Integer(), sample: Type.Array(Type.String()) }), 400: RuleErrorSchema },
    },
  }, async (request) => {
    const body = request.body as { rule: string; sample?: number };
    return segments.preview(request.principal.workspaceId, body.rule, body.sample ?? 20);
  });

  app.get('/v1/segments/:id', {
    config: { scope: 'read' },
    schema: { tags, summary: 'One segment', params: IdParams, response: { 200: SegmentSchema, 404: ErrorSchema } },
  }, async (request) => segments.get(request.principal.workspaceId, (request.params as { id: string }).id));

  app.put('/v1/segments/:id', {
    config: { scope: 'admin' },
    schema: { tags, summary: 'Create or replace segment :id (members recomputed, without events)', params: IdParams, body: Type.Omit(SegmentBody, ['id']), response: { 200: SegmentSchema, 400: RuleErrorSchema, 403: ErrorSchema, 409: ErrorSchema } },
  }, async (request) => {
    const { id } = request.params as { id: string };
    return segments.replace(request.principal.workspaceId, id, request.body as SegmentRequest, Date.now());
  });

  app.delete('/v1/segments/:id', {
    config: { scope: 'admin' },
    schema: { tags, summary: 'Delete segment :id (409 while another rule reads it; built-in segments cannot be deleted)', params: IdParams, response: { 204: Type.Null(), 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema } },
  }, async (request, reply) => {
    await segments.remove(request.principal.workspaceId, (request.params as { id: string }).id);
    reply.status(204);
  });

  app.get('/v1/segments/:id/members', {
    config: { scope: 'read' },
    schema: {
      tags, summary: 'Members of a segment now, in id order, paged', params: IdParams, querystring: PageQuery,
      response: { 200: Type.Object({ items: Type.Array(Type.String()), nextCursor: Type.Optional(Type.String()), total: Type.Integer() }), 404: ErrorSchema },
    },
  }, async (request) => {
    const q = request.query as { limit?: number; cursor?: string };
    return segments.members(request.principal.workspaceId, (request.params as { id: string }).id, { cursor: q.cursor, limit: pageLimit(q.limit, deps.maxPageSize) });
  });

  app.get('/v1/users/:id/segments', {
    config: { scope: 'read' },
    schema: {
      tags: ['users', 'segments'], summary: 'The segments a user (or an identified anonymous id) is in now', params: IdParams,
      response: { 200: Type.Object({ userId: Type.String(), segments: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }) },
    },
  }, async (request) => segments.segmentsOf(request.principal.workspaceId, (request.params as { id: string }).id));
}
