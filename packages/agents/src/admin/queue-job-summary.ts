import type { Job } from 'bullmq';

/** Longest failure reason shown (a stack trace is not needed to decide on a retry). */
const MAX_FAILED_REASON_LENGTH = 2_000;

/** One BullMQ job as the worker manager shows it. */
export type QueueJobSummary = {
  id: string;
  name: string;
  state: string;
  /** The job's top-level scalar fields (ids, numbers); nested values are left out. */
  data: Record<string, string | number | boolean | null>;
  attemptsMade: number;
  failedReason: string | null;
  createdAt: string;
  processedAt: string | null;
  finishedAt: string | null;
};

export function toQueueJobSummary(job: Job, state: string): QueueJobSummary {
  const data: QueueJobSummary['data'] = {};
  if (typeof job.data === 'object' && job.data !== null) {
    for (const [key, value] of Object.entries(job.data as Record<string, unknown>)) {
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
        data[key] = value as string | number | boolean | null;
      }
    }
  }
  return {
    id: job.id ?? '',
    name: job.name,
    state,
    data,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason ? job.failedReason.slice(0, MAX_FAILED_REASON_LENGTH) : null,
    createdAt: new Date(job.timestamp).toISOString(),
    processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
