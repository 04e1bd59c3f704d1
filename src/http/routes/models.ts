import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { MODELS } from '../../recommend/registry.js';
import { ErrorSchema, IdParams } from './shared.js';

const SlotName = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'the slot the version is saved and served under (default "default")' });

const JobSchema = Type.Object({
  id: Type.String(), workspaceId: Type.String(), name: Type.String(), model: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
  status: Type.Union(['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => Type.Literal(s))),
  progress: Type.Object({
    phase: Type.String({ description: 'queued, loading (reading events), holdout (fitting a held-out copy), fitting, saving, done' }),
    step: Type.Integer(), steps: Type.Integer({ description: '0 while not known' }), unit: Type.String(), loss: Type.Optional(Type.Number()),
  }),
  createdAt: Type.Integer(), startedAt: Type.Union([Type.Integer(), Type.Null()]), finishedAt: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.Object({ kind: Type.String(), message: Type.String() }), Type.Null()]),
  version: Type.Union([Type.Integer(), Type.Null()], { description: 'the version saved, once succeeded' }),
  metrics: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'fit report, leave-last-out hit rate next to popularity’s, data size' }),
});

const ModelInfoSchema = Type.Object({
  workspaceId: Type.String(), name: Type.String(), version: Type.Integer(), model: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()), metrics: Type.Record(Type.String(), Type.Unknown()),
  bytes: Type.Integer(), createdAt: Type.Integer(),
});

/** Training and versions: /v1/models. Training and jobs need `admin`; listing versions and algorithms `read`. */
export function registerModelRoutes(app: FastifyInstance, services: Services): void {
  const { training, storage } = services;

  app.post('/v1/models/train', {
    config: { scope: 'admin' },
    schema: {
      tags: ['models'], summary: 'Train a recommender on the workspace’s events (202 with the job)',
      description: `Queues a training job: the events are read, the model is fitted in a worker thread, saved as the next version of \`name\` and served at once. Poll GET /v1/models/jobs/:id. 409 while \`name\` is training.\n\nModels: ${MODELS.map((m) => `**${m.name}** (${m.description})`).join('; ')}.`,
      body: Type.Object({
        model: Type.String({ minLength: 1, maxLength: 64, description: 'a model of GET /v1/models/algorithms' }),
        params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean()]), { description: 'hyper-parameters; unknown names and out-of-range values are refused' })),
        name: Type.Optional(SlotName),
        holdout: Type.Optional(Type.Boolean({ description: 'also fit on a leave-last-out split and report its hit rate@20 (default true; one extra fit)' })),
        weights: Type.Optional(Type.Record(Type.String(), Type.Number(), { description: 'event weights over the defaults, e.g. {"Order Completed": 8}' })),
      }, { additionalProperties: false }),
      response: { 202: JobSchema, 400: ErrorSchema, 409: ErrorSchema },
    },
  }, async (request, reply) => {
    const body = request.body as { model: string; params?: Record<string, unknown>; name?: string; holdout?: boolean; weights?: Record<string, number> };
    const job = training.start({ workspaceId: request.principal.workspaceId, ...body });
    reply.status(202);
    return job;
  });

  app.get('/v1/models/jobs', {
    config: { scope: 'admin' },
    schema: { tags: ['models'], summary: 'Training jobs of this workspace since the server started, newest first', response: { 200: Type.Object({ items: Type.Array(JobSchema) }) } },
  }, async (request) => ({ items: training.list(request.principal.workspaceId) }));

  app.get('/v1/models/jobs/:id', {
    config: { scope: 'admin' },
    schema: { tags: ['models'], summary: 'One training job with its progress', params: IdParams, response: { 200: JobSchema, 404: ErrorSchema } },
  }, async (request) => training.get((request.params as { id: string }).id, request.principal.workspaceId));

  app.delete('/v1/models/jobs/:id', {
    config: { scope: 'admin' },
    schema: { tags: ['models'], summary: 'Cancel a queued or running job (its worker is stopped; nothing is saved)', params: IdParams, response: { 200: JobSchema, 404: ErrorSchema, 409: ErrorSchema } },
  }, async (request) => training.cancel((request.params as { id: string }).id, request.principal.workspaceId));

  app.get('/v1/models', {
    config: { scope: 'read' },
    schema: {
      tags: ['models'], summary: 'Saved model versions, newest first (the newest of each name is served)',
      querystring: Type.Object({ name: Type.Optional(SlotName) }),
      response: { 200: Type.Object({ items: Type.Array(ModelInfoSchema) }) },
    },
  }, async (request) => ({ items: await storage.models.list(request.principal.workspaceId, (request.query as { name?: string }).name) }));

  app.get('/v1/models/algorithms', {
    config: { scope: 'read' },
    schema: {
      tags: ['models'], summary: 'The models that can be trained, with their parameters',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ name: Type.String(), description: Type.String(), capabilities: Type.Record(Type.String(), Type.Boolean()), params: Type.Record(Type.String(), Type.Unknown()) })) }) },
    },
  }, async () => ({ items: MODELS.map((m) => ({ name: m.name, description: m.description, capabilities: { ...m.capabilities }, params: m.spec })) }));
}
