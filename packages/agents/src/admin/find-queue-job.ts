import type { Job, Queue } from 'bullmq';
import { AppError } from '@switchyard/shared';

/** The queue's job with its state; 404 when there is none. */
export async function findQueueJobOrThrow(
  queue: Queue,
  jobId: string,
): Promise<{ job: Job; state: string }> {
  const job = await queue.getJob(jobId);
  const state = job ? await job.getState() : 'unknown';
  if (!job || state === 'unknown') {
    throw new AppError('NOT_FOUND', { message: `The ${queue.name} queue has no job "${jobId}".` });
  }
  return { job, state };
}
