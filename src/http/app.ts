import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Services } from '../app/services.js';
import { registerAuth } from './auth.js';
import { registerErrorHandling } from './errors.js';
import { registerValidation } from './validation.js';
import { Metrics } from './metrics.js';
import { registerChatRoutes } from './routes/chat.js';
import { registerEventRoutes } from './routes/events.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerItemRoutes } from './routes/items.js';
import { registerModelRoutes } from './routes/models.js';
import { registerPhotoSearchRoutes } from './routes/photo-search.js';
import { registerProfileRoutes } from './routes/profiles.js';
import { registerSegmentRoutes } from './routes/segments.js';
import { registerTagRoutes } from './routes/tags.js';
import { registerRecommendRoutes } from './routes/recommend.js';
import { registerUserRoutes } from './routes/users.js';
import { registerWorkspaceRoutes } from './routes/workspaces.js';

/**
 * Builds the HTTP API on the services (not listening yet). JSON logs through pino; keys are redacted
 * and per-request lines are off by default (metrics count requests; errors are logged).
 *
 * @example const app = await buildApp(services); await app.listen({ port: 0 });
 */
export async function buildApp(services: Services): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'key'] },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Shopwise API', version: '0.1.0', description: 'Events, catalog, users, keys, recommendations, model training. Authenticate with `Authorization: Bearer <key>`.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key; scopes: ingest, read, admin' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // The API speaks JSON only; a text body gets 415 instead of being read as a string.
  app.removeContentTypeParser('text/plain');
  registerValidation(app);
  registerErrorHandling(app);
  registerAuth(app, services.keys);
  const metrics = new Metrics(services);
  metrics.register(app);
  registerHealthRoutes(app, services);
  registerEventRoutes(app, services, metrics);
  registerItemRoutes(app, services);
  registerUserRoutes(app, services);
  registerWorkspaceRoutes(app, services);
  registerRecommendRoutes(app, services);
  registerModelRoutes(app, services);
  registerPhotoSearchRoutes(app, services);
  registerChatRoutes(app, services.chat, () => services.photoSearch);
  registerProfileRoutes(app, services.profiles);
  registerSegmentRoutes(app, { segments: services.segments, maxPageSize: config.maxPageSize });
  registerTagRoutes(app, {
    tagTree: (ws) => services.tagTrees.tree(ws),
    trending: (ws, q) => services.vocabulary.trending(ws, q),
    getProfile: (ws, id) => services.profiles.getProfile(ws, id),
    userKeywords: (ws, id, o) => services.vocabulary.userKeywords(ws, id, o),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
