import type { Job } from 'bullmq';
import type { Database } from '@switchyard/database';
import type { Logger } from '@switchyard/shared';

/** What a job processor may use; built once per job by the worker. */
export type JobDeps = {
  db: Database;
  /** Child logger carrying the queue, job id, job name and attempt. */
  log: Logger;
};

/**
 * A job's transport layer: parse `job.data`, call one service, return a small JSON result
 * (stored by BullMQ as the job's return value).
 */
type JobProcessor = (job: Job, deps: JobDeps) => Promise<unknown>;

/** Processors by job name, for one queue. */
export type JobProcessorMap = Readonly<Record<string, JobProcessor>>;
