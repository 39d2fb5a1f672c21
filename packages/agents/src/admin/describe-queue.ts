import type { Queue } from 'bullmq';
import { QUEUE_JOB_STATES, type QueueJobState } from './queue-admin-schemas';

/** One queue as the worker manager shows it. */
export type QueueSummary = {
  name: string;
  paused: boolean;
  counts: Record<QueueJobState, number>;
};

export async function describeQueue(queue: Queue): Promise<QueueSummary> {
  const [paused, raw] = await Promise.all([
    queue.isPaused(),
    queue.getJobCounts(...QUEUE_JOB_STATES),
  ]);
  const counts = Object.fromEntries(
    QUEUE_JOB_STATES.map((state) => [state, raw[state] ?? 0]),
  ) as Record<QueueJobState, number>;
  // Jobs added while a queue is paused may sit in BullMQ's legacy `paused` list: still waiting.
  counts.waiting += raw.paused ?? 0;
  return { name: queue.name, paused, counts };
}
