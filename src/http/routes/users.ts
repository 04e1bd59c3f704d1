import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { type User, type UserInput, UserInputSchema } from '../../core/catalog.js';
import { registerResourceRoutes } from './catalog-routes.js';

/** Users with traits and consent per purpose: /v1/users. PATCH merges traits and consent key by key. */
export function registerUserRoutes(app: FastifyInstance, services: Services): void {
  registerResourceRoutes<UserInput, User>(app, {
    name: 'users', noun: 'user', inputSchema: UserInputSchema, store: services.storage.users,
    maxBatch: services.config.maxBatchEvents, maxPageSize: services.config.maxPageSize,
    merge: (current, patch) => ({
      id: current.id,
      traits: { ...current.traits, ...patch.traits },
      consent: { ...current.consent, ...patch.consent },
    }),
  });
}
