import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DatabaseHandle } from '@switchyard/database';
import { AppError, PROBLEM_CONTENT_TYPE, type Redis } from '@switchyard/shared';
import { problemSchema } from '../schemas/problem';
import { checkReadiness } from '../services/check-readiness';

export type HealthRoutesOptions = {
  pool: DatabaseHandle['pool'];
  redis: Redis;
};

const checksSchema = z.object({
  postgres: z.enum(['ok', 'unreachable']),
  redis: z.enum(['ok', 'unreachable']),
  migrations: z.enum(['ok', 'pending', 'unknown']),
});

const readySchema = z.object({ status: z.literal('ready'), checks: checksSchema });

const notReadySchema = problemSchema.extend({ checks: checksSchema });

// Probes must always reach the application, never a cache.
const NO_STORE = { 'cache-control': 'no-store' };

/** Liveness (`/healthz`) and readiness (`/readyz`) probes for orchestrators and load balancers. */
export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, options) => {
  app.get(
    '/healthz',
    {
      config: { policy: { kind: 'public' } },
      schema: {
        summary: 'Liveness: the process is up and serving HTTP',
        description: 'Does no I/O; restart the process only when this fails.',
        tags: ['health'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async (_request, reply) => {
      reply.headers(NO_STORE);
      return { status: 'ok' as const };
    },
  );

  app.get(
    '/readyz',
    {
      config: { policy: { kind: 'public' } },
      schema: {
        summary: 'Readiness: PostgreSQL and Redis answer and no migration is pending',
        description:
          'Checks run in parallel with short timeouts, so this answers within about a second.',
        tags: ['health'],
        response: {
          200: readySchema,
          503: {
            description: 'A dependency is not ready; `detail` names it and `checks` shows which.',
            content: { [PROBLEM_CONTENT_TYPE]: { schema: notReadySchema } },
          },
        },
      },
    },
    async (request, reply) => {
      const readiness = await checkReadiness({
        pool: options.pool,
        redis: options.redis,
        log: request.log,
      });
      if (!readiness.ready) {
        throw new AppError('SERVICE_UNAVAILABLE', {
          message: `Not ready: ${readiness.failures.join('; ')}.`,
          details: { checks: readiness.checks },
          headers: NO_STORE,
        });
      }
      reply.headers(NO_STORE);
      return { status: 'ready' as const, checks: readiness.checks };
    },
  );
};
