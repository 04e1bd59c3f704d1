import type { FastifyError, FastifyInstance } from 'fastify';
import { type ErrorKind, isAppError } from '../core/errors.js';

/** The one place where error kinds become HTTP status codes (DESIGN.md rule 5). */
export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, too_large: 413, unavailable: 503,
};

/** Body of every error response: what kind, a sentence saying what was wrong, and where. */
export interface ErrorBody {
  error: ErrorKind | 'internal';
  message: string;
  field?: string;
  index?: number;
  [key: string]: unknown;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) {
      const status = STATUS_OF_KIND[error.kind];
      if (status >= 500) request.log.warn({ err: error }, error.message);
      return reply.status(status).send({ error: error.kind, message: error.message, ...error.detail } satisfies ErrorBody);
    }
    if (error.validation) {
      const first = error.validation[0];
      const field = first ? `${error.validationContext ?? 'body'}${first.instancePath || ''}` + (first.params && 'missingProperty' in first.params ? `/${String(first.params.missingProperty)}` : '') + (first.params && 'additionalProperty' in first.params ? `/${String(first.params.additionalProperty)}` : '') : undefined;
      const message = first?.params && 'additionalProperty' in first.params ? `unknown field ${String(first.params.additionalProperty)}` : error.message;
      return reply.status(400).send({ error: 'invalid', message, field } satisfies ErrorBody);
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.status(413).send({ error: 'too_large', message: `request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes` } satisfies ErrorBody);
    if (status === 415) return reply.status(415).send({ error: 'invalid', message: 'send the body as application/json' } satisfies ErrorBody);
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx: invalid JSON, empty body, bad content length…
      return reply.status(status).send({ error: 'invalid', message: error.message } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: 'internal', message: 'internal error; the server log has the details' } satisfies ErrorBody);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } satisfies ErrorBody);
  });
}
