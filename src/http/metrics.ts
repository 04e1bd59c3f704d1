import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';
import type { Services } from '../app/services.js';

/** Prometheus metrics of one server: HTTP traffic, ingest outcomes, group commit, process. */
export class Metrics {
  readonly registry = new Registry();
  readonly events = new Counter({ name: 'shopwise_events_total', help: 'Events received, by outcome', labelNames: ['outcome'], registers: [this.registry] });
  private readonly requests = new Histogram({
    name: 'shopwise_http_request_duration_seconds', help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers: [this.registry],
  });

  constructor(services: Services) {
    collectDefaultMetrics({ register: this.registry, prefix: 'shopwise_' });
    const writer = services.writer;
    new Gauge({ name: 'shopwise_commit_groups_total', help: 'Group commits done', registers: [this.registry], collect() { this.set(writer.stats().groups); } });
    new Gauge({ name: 'shopwise_commit_events_total', help: 'Events written by group commits', registers: [this.registry], collect() { this.set(writer.stats().events); } });
    new Gauge({ name: 'shopwise_commit_queue_events', help: 'Events waiting for the next commit', registers: [this.registry], collect() { this.set(writer.stats().queued); } });
  }

  register(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.requests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('content-type', this.registry.contentType);
      return this.registry.metrics();
    });
  }
}
