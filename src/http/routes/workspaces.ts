import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { AppError } from '../../core/errors.js';
import { isValidId } from '../../core/ids.js';
import { SCOPES, type ApiKeyRecord, type Scope } from '../../core/workspace.js';

const ScopeSchema = Type.Union(SCOPES.map((s) => Type.Literal(s)));
const publicKey = ({ hash: _hash, ...rest }: ApiKeyRecord) => rest;

/** Workspaces (shops) and API keys. Keys are returned in full only when created. */
export function registerWorkspaceRoutes(app: FastifyInstance, services: Services): void {
  const { storage, keys, config } = services;
  const operatorOnly = (workspaceId: string) => {
    if (workspaceId !== config.defaultWorkspace) throw AppError.forbidden(`only an admin key of the operator workspace ${config.defaultWorkspace} may manage workspaces`);
  };

  app.get('/v1/workspace', { config: { scope: 'read' }, schema: { tags: ['workspaces'], summary: 'The key’s workspace with counts' } }, async (request) => {
    const id = request.principal.workspaceId;
    const [workspace, items, users, events] = await Promise.all([storage.workspaces.getWorkspace(id), storage.items.count(id), storage.users.count(id), storage.events.count(id)]);
    return { ...workspace, counts: { items, users, events } };
  });

  app.get('/v1/workspaces', { config: { scope: 'admin' }, schema: { tags: ['workspaces'], summary: 'All workspaces (operator admin only)' } }, async (request) => {
    operatorOnly(request.principal.workspaceId);
    return { items: await storage.workspaces.listWorkspaces() };
  });

  app.post('/v1/workspaces', {
    config: { scope: 'admin' },
    schema: {
      tags: ['workspaces'], summary: 'Create a workspace (shop) and its first admin key (operator admin only)',
      body: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    operatorOnly(request.principal.workspaceId);
    const { id, name } = request.body as { id: string; name?: string };
    if (!isValidId(id)) throw AppError.invalid('workspace id may hold letters, digits and _.:@-+/=#~ only', { field: 'id' });
    if (await storage.workspaces.getWorkspace(id)) throw AppError.conflict(`workspace ${id} exists`, { field: 'id' });
    await storage.workspaces.createWorkspace({ id, name: name ?? id, createdAt: Date.now() });
    const { key, record } = await keys.create(id, 'admin', ['admin']);
    reply.status(201);
    return { workspace: { id, name: name ?? id }, key, keyRecord: publicKey(record) };
  });

  app.get('/v1/keys', { config: { scope: 'admin' }, schema: { tags: ['keys'], summary: 'Keys of this workspace (never the secrets)' } }, async (request) => {
    return { items: (await storage.workspaces.listKeys(request.principal.workspaceId)).map(publicKey) };
  });

  app.post('/v1/keys', {
    config: { scope: 'admin' },
    schema: {
      tags: ['keys'], summary: 'Create a key; the response is the only time the secret is shown',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: 3 }) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { name, scopes } = request.body as { name: string; scopes: Scope[] };
    const { key, record } = await keys.create(request.principal.workspaceId, name, scopes);
    reply.status(201);
    return { key, ...publicKey(record) };
  });

  app.delete('/v1/keys/:id', { config: { scope: 'admin' }, schema: { tags: ['keys'], summary: 'Revoke a key', params: Type.Object({ id: Type.String() }) } }, async (request, reply) => {
    await keys.revoke(request.principal.workspaceId, (request.params as { id: string }).id);
    reply.status(204);
  });
}
