import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listWorkerHeartbeats } from '@switchyard/agents';
import type { V1RouteOptions } from '../options';
import { workerListSchema } from './admin-schemas';

/** The worker manager's workers: every workers process with a recent heartbeat. */
export const adminWorkerRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app, options) => {
  app.get(
    '/v1/admin/workers',
    {
      config: { policy: { kind: 'platform-admin' } },
      schema: {
        summary: 'Workers processes: heartbeat, concurrency and the steps they execute now',
        description:
          'Each workers process writes its record every 5 s; a process silent for 3 beats is ' +
          '`alive: false` and its record expires 3 beats later.',
        tags: ['admin'],
        response: { 200: workerListSchema },
      },
    },
    async () => ({
      workers: await listWorkerHeartbeats((await options.adminQueues.open()).redis, {
        prefix: options.config.runs.queuePrefix,
      }),
    }),
  );
};
