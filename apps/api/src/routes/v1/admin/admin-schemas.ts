import { z } from 'zod';
import { QUEUE_JOB_STATES, QUEUE_NAMES } from '@switchyard/agents';
import { withExamples } from '../openapi-examples';

const countsSchema = z.object(
  Object.fromEntries(QUEUE_JOB_STATES.map((state) => [state, z.number().int()])) as Record<
    (typeof QUEUE_JOB_STATES)[number],
    z.ZodNumber
  >,
);

const EXAMPLE_QUEUE = {
  name: 'steps',
  paused: false,
  counts: { waiting: 0, active: 3, delayed: 1, prioritized: 12, completed: 0, failed: 2 },
};

export const queueSchema = withExamples(
  z.object({ name: z.string(), paused: z.boolean(), counts: countsSchema }),
  EXAMPLE_QUEUE,
);

export const queueListSchema = withExamples(z.object({ queues: z.array(queueSchema) }), {
  queues: [
    EXAMPLE_QUEUE,
    {
      name: 'schedules',
      paused: false,
      counts: { waiting: 0, active: 0, delayed: 4, prioritized: 0, completed: 96, failed: 0 },
    },
    {
      name: 'maintenance',
      paused: false,
      counts: { waiting: 0, active: 0, delayed: 2, prioritized: 0, completed: 20, failed: 0 },
    },
  ],
});

export const queueParamsSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .describe(`One of ${QUEUE_NAMES.join(', ')}.`),
});

export const jobParamsSchema = queueParamsSchema.extend({
  jobId: z.string().min(1).max(256),
});

const EXAMPLE_JOB = {
  id: '7c1e4a2b-9d3f-4e5a-8b6c-0d1e2f3a4b5c',
  name: 'execute-step',
  state: 'failed',
  data: {
    stepId: '7c1e4a2b-9d3f-4e5a-8b6c-0d1e2f3a4b5c',
    runId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
    orgId: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
  },
  attemptsMade: 4,
  failedReason: 'provider_error: The model provider answered 503.',
  createdAt: '2025-01-01T12:00:00.000Z',
  processedAt: '2025-01-01T12:00:07.000Z',
  finishedAt: '2025-01-01T12:00:09.000Z',
};

export const jobSchema = withExamples(
  z.object({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    data: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .describe("The job's top-level fields: ids, never the run's content."),
    attemptsMade: z.number().int(),
    failedReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    processedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  }),
  EXAMPLE_JOB,
);

export const jobListSchema = withExamples(
  z.object({ jobs: z.array(jobSchema), total: z.number().int() }),
  { jobs: [EXAMPLE_JOB], total: 1 },
);

export const retriedJobSchema = withExamples(z.object({ job: jobSchema }), {
  job: {
    ...EXAMPLE_JOB,
    state: 'waiting',
    attemptsMade: 0,
    failedReason: null,
    processedAt: null,
    finishedAt: null,
  },
});

const EXAMPLE_WORKER = {
  id: 'worker-1:4242:a1b2c3',
  host: 'worker-1',
  pid: 4242,
  startedAt: '2025-01-01T08:00:00.000Z',
  lastHeartbeatAt: '2025-01-01T12:00:05.000Z',
  alive: true,
  concurrency: { steps: 8, maintenance: 4, schedules: 4 },
  currentSteps: [
    {
      stepId: '7c1e4a2b-9d3f-4e5a-8b6c-0d1e2f3a4b5c',
      runId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
      orgId: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
      startedAt: '2025-01-01T12:00:01.000Z',
    },
  ],
};

export const workerListSchema = withExamples(
  z.object({
    workers: z.array(
      z.object({
        id: z.string(),
        host: z.string(),
        pid: z.number().int(),
        startedAt: z.iso.datetime(),
        lastHeartbeatAt: z.iso.datetime(),
        alive: z
          .boolean()
          .describe(
            'Heartbeat within the last 3 intervals (15 s by default); dead records expire.',
          ),
        concurrency: z
          .record(z.string(), z.number().int())
          .describe('Jobs each of its BullMQ workers runs at once, by queue name.'),
        currentSteps: z.array(
          z.object({
            stepId: z.string(),
            runId: z.string(),
            orgId: z.string(),
            startedAt: z.iso.datetime(),
          }),
        ),
      }),
    ),
  }),
  { workers: [EXAMPLE_WORKER] },
);
