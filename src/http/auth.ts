import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/key-service.js';
import type { KeyService } from '../auth/key-service.js';
import { AppError } from '../core/errors.js';
import type { Scope } from '../core/workspace.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope a key needs for this route; routes without one are public (health, docs, metrics). */
    scope?: Scope;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

const WORKSPACE_HEADER = 'x-workspace-id';

/**
 * Checks the key (`Authorization: Bearer <key>` or `X-API-Key`) and its scope on every route that
 * declares one, and that a workspace named in `X-Workspace-Id` is the key's own.
 */
export function registerAuth(app: FastifyInstance, keys: KeyService): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config?.scope;
    if (!scope) return;
    const principal = await keys.authenticate(presentedKey(request), scope);
    const named = request.headers[WORKSPACE_HEADER];
    if (typeof named === 'string' && named !== principal.workspaceId) {
      throw AppError.forbidden(`this key belongs to workspace ${principal.workspaceId}, not ${named}`, { field: 'X-Workspace-Id' });
    }
    request.principal = principal;
  });
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw AppError.unauthorized('the Authorization header must be "Bearer <key>"');
    return match[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}
