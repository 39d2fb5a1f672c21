import { UnrecoverableError, type Job } from 'bullmq';
import type { Database } from '@switchyard/database';
import type { Logger } from '@switchyard/shared';
import type { JobProcessorMap } from './job-processor';

export type CreateJobDispatcherOptions = {
  queueName: string;
  processors: JobProcessorMap;
  db: Database;
  logger: Logger;
};

/**
 * The BullMQ processor of one queue: routes each job to the processor registered for its name,
 * with a child logger that carries the job's identity, and logs the outcome once.
 */
export function createJobDispatcher(options: CreateJobDispatcherOptions) {
  return async (job: Job): Promise<unknown> => {
    const log = options.logger.child({
      queue: options.queueName,
      jobId: job.id,
      jobName: job.name,
      attempt: job.attemptsMade + 1,
    });
    const processor = Object.hasOwn(options.processors, job.name)
      ? options.processors[job.name]
      : undefined;
    if (!processor) {
      log.error('no processor for this job name');
      throw new UnrecoverableError(
        `No processor for job "${job.name}" on queue "${options.queueName}".`,
      );
    }
    const startedAt = performance.now();
    log.info('job started');
    try {
      const result = await processor(job, { db: options.db, log });
      log.info({ result, durationMs: Math.round(performance.now() - startedAt) }, 'job completed');
      return result;
    } catch (error) {
      const willRetry =
        !(error instanceof UnrecoverableError) && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      log.error(
        { err: error, willRetry, durationMs: Math.round(performance.now() - startedAt) },
        'job failed',
      );
      throw error;
    }
  };
}
