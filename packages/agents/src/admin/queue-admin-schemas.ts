import { z } from 'zod';

/** The job states the worker manager lists and counts. */
export const QUEUE_JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'completed',
  'failed',
] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

export const MAX_QUEUE_JOBS_PAGE = 100;

export const listQueueJobsSchema = z
  .object({
    state: z.enum(QUEUE_JOB_STATES).default('failed'),
    limit: z.coerce.number().int().min(1).max(MAX_QUEUE_JOBS_PAGE).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ListQueueJobsInput = z.input<typeof listQueueJobsSchema>;
