import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '@switchyard/shared';

/** The job states reported as queue depth, as the workers report them. */
const DEPTH_STATES = ['waiting', 'prioritized', 'active', 'delayed'] as const;
/** Seconds: from a cached `/v1/me` to a slow export. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type MetricsPluginOptions = {
  /** The workers' queues, opened when first scraped; rejects while Redis is unreachable. */
  queues: () => Promise<Queue[]>;
  log: Pick<Logger, 'warn'>;
};

/**
 * `GET /metrics` (Prometheus text format) behind the `metrics-token` policy: request durations by
 * route template, method and status, Node.js process metrics, and the depth of the workers'
 * queues read from Redis at scrape time. Registered only when `METRICS_TOKEN` is set.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, options: MetricsPluginOptions) => {
    // A registry per app: several apps may share a process in tests.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'switchyard_api_' });
    const duration = new Histogram({
      name: 'switchyard_http_request_duration_seconds',
      help: 'HTTP request duration by route template, method and status code.',
      labelNames: ['route', 'method', 'status_code'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    new Gauge({
      name: 'switchyard_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (waiting, prioritized, active, delayed).',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const queues = await options.queues().catch((error: unknown) => {
          // Redis down: report no depth rather than failing (or stalling) the scrape.
          options.log.warn({ err: error }, 'the queues are unreachable');
          return [];
        });
        await Promise.all(
          queues.map(async (queue) => {
            try {
              const counts = await queue.getJobCounts(...DEPTH_STATES);
              for (const state of DEPTH_STATES) {
                this.set({ queue: queue.name, state }, counts[state] ?? 0);
              }
            } catch (error) {
              // Redis down: report nothing for the queue rather than failing the scrape.
              options.log.warn({ err: error, queue: queue.name }, 'reading queue depth failed');
            }
          }),
        );
      },
    });

    app.addHook('onResponse', async (request, reply) => {
      // The template (`/v1/orgs/:orgId/runs`), never the raw URL: ids would explode the series.
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe(
        { route, method: request.method, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    app.get(
      '/metrics',
      {
        config: { policy: { kind: 'metrics-token' } },
        schema: { hide: true },
      },
      async (_request, reply) => {
        reply.header('content-type', registry.contentType);
        reply.header('cache-control', 'no-store');
        return registry.metrics();
      },
    );
  },
  { name: 'metrics', dependencies: ['authenticate'] },
);
