import { Type, type TObject } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { Page } from '../../core/catalog.js';
import type { ListQuery, UpsertCounts } from '../../storage/user-store.js';
import { ErrorSchema, IdParams, PageQuery, pageLimit } from './shared.js';

/** The store operations a CRUD resource needs; items and users both provide them. */
export interface ResourceStore<Input extends { id: string }, Record> {
  upsert(workspaceId: string, inputs: Input[], now: number): Promise<UpsertCounts>;
  get(workspaceId: string, id: string, options?: { includeDeleted?: boolean }): Promise<Record | undefined>;
  list(workspaceId: string, query: ListQuery & { [key: string]: unknown }): Promise<Page<Record>>;
  softDelete(workspaceId: string, id: string, at: number): Promise<boolean>;
}

export interface ResourceOptions<Input extends { id: string }, Record> {
  /** Plural path segment and OpenAPI tag, e.g. `items`. */
  name: string;
  noun: string;
  inputSchema: TObject;
  store: ResourceStore<Input, Record>;
  maxBatch: number;
  maxPageSize: number;
  /** Extra list filters: query schema and how to turn the query into store filters. */
  listFilters?: { schema: TObject; toQuery: (query: { [key: string]: unknown }) => { [key: string]: unknown } };
  /** PATCH: merges a partial input into the stored record, returning the full input to store. */
  merge: (current: Record, patch: Partial<Input>) => Input;
}

/**
 * CRUD for a workspace resource: create/replace one, bulk upsert, read, page, patch, soft delete.
 * Reads need `read`; writes need `admin`.
 */
export function registerResourceRoutes<Input extends { id: string }, Record>(app: FastifyInstance, options: ResourceOptions<Input, Record>): void {
  const { name, noun, store, inputSchema } = options;
  const base = `/v1/${name}`;
  const withoutId = Type.Omit(inputSchema, ['id'], { additionalProperties: false });
  const notFound = (id: string) => AppError.notFound(`no ${noun} ${id} in this workspace`, { field: 'id' });

  app.get(base, {
    config: { scope: 'read' },
    schema: {
      tags: [name], summary: `Page through ${name} in id order`,
      querystring: Type.Composite([PageQuery, Type.Object({ includeDeleted: Type.Optional(Type.Boolean()) }), ...(options.listFilters ? [options.listFilters.schema] : [])]),
    },
  }, async (request) => {
    const q = request.query as { limit?: number; cursor?: string; includeDeleted?: boolean; [key: string]: unknown };
    return store.list(request.principal.workspaceId, {
      ...(options.listFilters?.toQuery(q) ?? {}), cursor: q.cursor, includeDeleted: q.includeDeleted, limit: pageLimit(q.limit, options.maxPageSize),
    });
  });

  app.get(`${base}/:id`, { config: { scope: 'read' }, schema: { tags: [name], summary: `One ${noun}`, params: IdParams, response: { 404: ErrorSchema } } }, async (request) => {
    const { id } = request.params as { id: string };
    return (await store.get(request.principal.workspaceId, id)) ?? Promise.reject(notFound(id));
  });

  app.post(base, {
    config: { scope: 'admin' },
    schema: { tags: [name], summary: `Create or replace one ${noun} (201 when new)`, body: inputSchema },
  }, async (request, reply) => {
    const input = request.body as Input;
    const counts = await store.upsert(request.principal.workspaceId, [input], Date.now());
    reply.status(counts.created ? 201 : 200);
    return store.get(request.principal.workspaceId, input.id);
  });

  app.put(`${base}/:id`, {
    config: { scope: 'admin' },
    schema: { tags: [name], summary: `Create or replace ${noun} :id`, params: IdParams, body: withoutId },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const counts = await store.upsert(request.principal.workspaceId, [{ ...(request.body as object), id } as Input], Date.now());
    reply.status(counts.created ? 201 : 200);
    return store.get(request.principal.workspaceId, id);
  });

  app.patch(`${base}/:id`, {
    config: { scope: 'admin' },
    schema: { tags: [name], summary: `Change some fields of ${noun} :id`, params: IdParams, body: Type.Partial(withoutId) },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const current = await store.get(request.principal.workspaceId, id);
    if (!current) throw notFound(id);
    await store.upsert(request.principal.workspaceId, [{ ...options.merge(current, request.body as Partial<Input>), id }], Date.now());
    return store.get(request.principal.workspaceId, id);
  });

  app.post(`${base}/batch`, {
    config: { scope: 'admin' },
    schema: {
      tags: [name], summary: `Upsert up to ${options.maxBatch} ${name} in one transaction (all or nothing)`,
      body: Type.Object({ [name]: Type.Array(inputSchema, { maxItems: options.maxBatch }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ created: Type.Integer(), updated: Type.Integer() }) },
    },
  }, async (request) => {
    const inputs = (request.body as { [key: string]: Input[] })[name]!;
    return store.upsert(request.principal.workspaceId, inputs, Date.now());
  });

  app.delete(`${base}/:id`, { config: { scope: 'admin' }, schema: { tags: [name], summary: `Soft-delete ${noun} :id`, params: IdParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!(await store.softDelete(request.principal.workspaceId, id, Date.now()))) throw notFound(id);
    reply.status(204);
  });
}
