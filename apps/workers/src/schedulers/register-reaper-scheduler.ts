import type { Queue } from 'bullmq';
import { MAINTENANCE_JOBS } from '../queues';

export const REAPER_SCHEDULER_ID = 'reap-stalled-steps';

/**
 * Creates or updates the scheduler that enqueues `reap-stalled-steps` every `everyMs`. One
 * scheduler id for every process, so there is one reaper job at a time whatever the worker count.
 */
export async function registerReaperScheduler(
  queue: Queue,
  options: { everyMs: number },
): Promise<void> {
  await queue.upsertJobScheduler(
    REAPER_SCHEDULER_ID,
    { every: options.everyMs },
    {
      name: MAINTENANCE_JOBS.reapStalledSteps,
      data: {},
      opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
    },
  );
}
