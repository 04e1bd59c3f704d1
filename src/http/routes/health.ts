import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';

/** Liveness (the process answers) and readiness (storage answers). */
export function registerHealthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/health/live', { schema: { tags: ['health'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { schema: { tags: ['health'], summary: 'Storage answers; 503 otherwise' } }, async (request, reply) => {
    try {
      await services.storage.ping();
      return { status: 'ready', storage: services.storage.capabilities.dialect };
    } catch (error) {
      request.log.warn({ err: error }, 'not ready');
      reply.status(503);
      return { status: 'unavailable', storage: services.storage.capabilities.dialect, message: (error as Error).message };
    }
  });
}
