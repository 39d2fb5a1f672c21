import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  discardQueueJob,
  listQueueJobs,
  listQueueJobsSchema,
  listQueues,
  pauseQueue,
  resumeQueue,
  retryQueueJob,
  type QueueAdminDeps,
} from '@switchyard/agents';
import type { V1RouteOptions } from '../options';
import { adminActor } from './admin-actor';
import {
  jobListSchema,
  jobParamsSchema,
  queueListSchema,
  queueParamsSchema,
  queueSchema,
  retriedJobSchema,
} from './admin-schemas';

const TAGS = ['admin'];
const PLATFORM_ADMIN = { policy: { kind: 'platform-admin' } } as const;

/** The worker manager's queues: counts, pause and resume, failed jobs to retry or discard. */
export const adminQueueRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app, options) => {
  const deps = async (): Promise<QueueAdminDeps> => ({
    db: options.db,
    queues: (await options.adminQueues.open()).queues,
  });

  app.get(
    '/v1/admin/queues',
    {
      config: PLATFORM_ADMIN,
      schema: {
        summary: "The workers' queues with their job counts (platform admins)",
        tags: TAGS,
        response: { 200: queueListSchema },
      },
    },
    async () => ({ queues: await listQueues(await deps()) }),
  );

  app.post(
    '/v1/admin/queues/:name/pause',
    {
      config: PLATFORM_ADMIN,
      schema: {
        summary: 'Pause a queue: no worker takes its jobs until resumed (idempotent)',
        description: 'Jobs already running finish. Audited.',
        tags: TAGS,
        params: queueParamsSchema,
        response: { 200: queueSchema },
      },
    },
    async (request) =>
      pauseQueue({ name: request.params.name, actor: adminActor(request) }, await deps()),
  );

  app.post(
    '/v1/admin/queues/:name/resume',
    {
      config: PLATFORM_ADMIN,
      schema: {
        summary: 'Resume a paused queue (idempotent)',
        description: 'Audited.',
        tags: TAGS,
        params: queueParamsSchema,
        response: { 200: queueSchema },
      },
    },
    async (request) =>
      resumeQueue({ name: request.params.name, actor: adminActor(request) }, await deps()),
  );

  app.get(
    '/v1/admin/queues/:name/jobs',
    {
      config: PLATFORM_ADMIN,
      schema: {
        summary: "A page of a queue's jobs in one state, newest first",
        description: '`state` defaults to `failed`; `total` counts every job in that state.',
        tags: TAGS,
        params: queueParamsSchema,
        querystring: listQueueJobsSchema,
        response: { 200: jobListSchema },
      },
    },
    async (request) =>
      listQueueJobs({ name: request.params.name, input: request.query }, await deps()),
  );

  app.post(
    '/v1/admin/queues/:name/jobs/:jobId/retry',
    {
      config: PLATFORM_ADMIN,
      schema: {
        summary: 'Retry a failed job, with its attempts reset',
        description:
          'Only failed jobs (409 otherwise). A step job whose run has ended is refused with 409: ' +
          'retry the run instead (`POST /v1/orgs/{orgId}/runs/{runId}/retry`, named in the ' +
          "problem's `retryPath`). Audited.",
        tags: TAGS,
        params: jobParamsSchema,
        response: { 200: retriedJobSchema },
      },
    },
    async (request) => ({
      job: await retryQueueJob({ ...request.params, actor: adminActor(request) }, await deps()),
    }),
  );

  app.delete(
    '/v1/admin/queues/:name/jobs/:jobId',
    {
      config: PLATFORM_ADMIN,
      schema: {
        summary: 'Discard a job that is not running (failed, waiting, delayed, ...)',
        description:
          'A running job is refused with 409. A discarded step job of a live run is enqueued ' +
          'again by the reaper: cancel the run to stop it. Audited.',
        tags: TAGS,
        params: jobParamsSchema,
        response: { 204: z.null().describe('Discarded.') },
      },
    },
    async (request, reply) => {
      await discardQueueJob({ ...request.params, actor: adminActor(request) }, await deps());
      return reply.code(204).send(null);
    },
  );
};
