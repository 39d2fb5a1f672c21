import { z } from 'zod';
import { getApiClient, type ApiClient } from './client';

/** The worker manager (`/v1/admin`): queues, their jobs and the workers. Platform admins only. */

const queueSchema = z.object({
  name: z.string(),
  paused: z.boolean(),
  counts: z.object({
    waiting: z.number(),
    active: z.number(),
    delayed: z.number(),
    prioritized: z.number(),
    completed: z.number(),
    failed: z.number(),
  }),
});
export type QueueInfo = z.infer<typeof queueSchema>;

const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  attemptsMade: z.number(),
  failedReason: z.string().nullable(),
  createdAt: z.string(),
  processedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const workerSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number(),
  startedAt: z.string(),
  lastHeartbeatAt: z.string(),
  alive: z.boolean(),
  concurrency: z.record(z.string(), z.number()),
  currentSteps: z.array(
    z.object({ stepId: z.string(), runId: z.string(), orgId: z.string(), startedAt: z.string() }),
  ),
});
export type WorkerInfo = z.infer<typeof workerSchema>;

const queuePath = (name: string, rest = '') => `/admin/queues/${encodeURIComponent(name)}${rest}`;

export async function listQueues(client: ApiClient = getApiClient()) {
  const { queues } = await client.request('/admin/queues', {
    schema: z.object({ queues: z.array(queueSchema) }),
  });
  return queues;
}

export function setQueuePaused(name: string, paused: boolean, client = getApiClient()) {
  return client.request(queuePath(name, paused ? '/pause' : '/resume'), {
    method: 'POST',
    schema: queueSchema,
  });
}

export function listFailedJobs(name: string, client: ApiClient = getApiClient()) {
  return client.request(queuePath(name, '/jobs'), {
    query: { state: 'failed', limit: 20, offset: 0 },
    schema: z.object({ jobs: z.array(jobSchema), total: z.number() }),
  });
}

export async function retryJob(name: string, jobId: string, client = getApiClient()) {
  await client.request(queuePath(name, `/jobs/${encodeURIComponent(jobId)}/retry`), {
    method: 'POST',
  });
}

export async function discardJob(name: string, jobId: string, client = getApiClient()) {
  await client.request(queuePath(name, `/jobs/${encodeURIComponent(jobId)}`), {
    method: 'DELETE',
  });
}

export async function listWorkers(client: ApiClient = getApiClient()) {
  const { workers } = await client.request('/admin/workers', {
    schema: z.object({ workers: z.array(workerSchema) }),
  });
  return workers;
}
