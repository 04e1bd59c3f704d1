import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { EventInputSchema, STANDARD_EVENTS } from '../../core/events.js';
import { AppError } from '../../core/errors.js';
import { parseTimestamp } from '../../core/time.js';
import type { Metrics } from '../metrics.js';
import { ErrorSchema, PageQuery, pageLimit } from './shared.js';

/** Bodies are checked by validateEvent (so one bad event in a batch does not fail the others); schemas here document them. */
const documentOnly = () => (value: unknown) => ({ value });

const OutcomeSchema = Type.Object({
  index: Type.Integer(), status: Type.Union([Type.Literal('stored'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  messageId: Type.Optional(Type.String()), error: Type.Optional(Type.Object({ field: Type.String(), message: Type.String() })),
});
const BatchReport = Type.Object({ stored: Type.Integer(), duplicates: Type.Integer(), rejected: Type.Integer(), results: Type.Array(OutcomeSchema) });
const standardEventsDoc = Object.entries(STANDARD_EVENTS).map(([name, props]) => `- **${name}** — ${props}`).join('\n');

export function registerEventRoutes(app: FastifyInstance, services: Services, metrics: Metrics): void {
  const { ingest, storage, config } = services;

  app.post('/v1/events', {
    config: { scope: 'ingest' },
    validatorCompiler: documentOnly,
    schema: {
      tags: ['events'], summary: 'Send one event',
      description: `Segment-style event. A 200 means the event is durably stored (or was already: \`duplicate\`).\n\nStandard e-commerce events:\n${standardEventsDoc}`,
      body: EventInputSchema,
      response: { 200: Type.Object({ status: Type.String(), messageId: Type.String() }), 400: ErrorSchema },
    },
  }, async (request) => {
    const report = await ingest.ingest(request.principal.workspaceId, [request.body]);
    const outcome = report.results[0]!;
    metrics.events.inc({ outcome: outcome.status });
    if (outcome.status === 'rejected') throw AppError.invalid(`${outcome.error.field || 'event'}: ${outcome.error.message}`, { field: outcome.error.field });
    return { status: outcome.status, messageId: outcome.messageId };
  });

  app.post('/v1/events/batch', {
    config: { scope: 'ingest' },
    validatorCompiler: documentOnly,
    schema: {
      tags: ['events'], summary: `Send up to ${config.maxBatchEvents} events`,
      description: 'Good events are stored even when others are rejected; `results` reports each event by index. 400 when no event was accepted.',
      body: Type.Object({ batch: Type.Array(EventInputSchema, { maxItems: config.maxBatchEvents }), context: Type.Optional(Type.Unknown()) }),
      response: { 200: BatchReport, 400: Type.Union([BatchReport, ErrorSchema]) },
    },
  }, async (request, reply) => {
    const body = request.body as { batch?: unknown } | null;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.batch)) throw AppError.invalid('the body must be { "batch": [ event, … ] }', { field: 'batch' });
    if (body.batch.length > config.maxBatchEvents) throw AppError.invalid(`a batch holds at most ${config.maxBatchEvents} events; got ${body.batch.length}`, { field: 'batch' });
    const report = await ingest.ingest(request.principal.workspaceId, body.batch);
    metrics.events.inc({ outcome: 'stored' }, report.stored);
    metrics.events.inc({ outcome: 'duplicate' }, report.duplicates);
    metrics.events.inc({ outcome: 'rejected' }, report.rejected);
    if (report.rejected > 0 && report.rejected === body.batch.length) reply.status(400);
    return report;
  });

  app.get('/v1/events', {
    config: { scope: 'read' },
    schema: {
      tags: ['events'], summary: 'List events in log order, filtered',
      querystring: Type.Composite([PageQuery, Type.Object({
        userId: Type.Optional(Type.String()), anonymousId: Type.Optional(Type.String()), type: Type.Optional(Type.String()),
        event: Type.Optional(Type.String()), since: Type.Optional(Type.String({ description: 'ISO time or epoch ms, inclusive' })),
        until: Type.Optional(Type.String({ description: 'ISO time or epoch ms, exclusive' })),
      })]),
    },
  }, async (request) => {
    const q = request.query as Record<string, string | undefined> & { limit?: number };
    return storage.events.list(request.principal.workspaceId, {
      userId: q.userId, anonymousId: q.anonymousId, type: q.type, event: q.event,
      since: timeParam(q.since, 'since'), until: timeParam(q.until, 'until'), cursor: q.cursor, limit: pageLimit(q.limit, config.maxPageSize),
    });
  });

  app.get('/v1/events/:messageId', {
    config: { scope: 'read' },
    schema: { tags: ['events'], summary: 'One event by messageId', params: Type.Object({ messageId: Type.String() }) },
  }, async (request) => {
    const { messageId } = request.params as { messageId: string };
    const event = await storage.events.getByMessageId(request.principal.workspaceId, messageId);
    if (!event) throw AppError.notFound(`no event with messageId ${messageId}`, { field: 'messageId' });
    return event;
  });
}

function timeParam(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTimestamp(value);
  if (ms === undefined) throw AppError.invalid(`${field} is not a time: ${value}`, { field });
  return ms;
}
