import type { Job } from 'bullmq';
import {
  reapStalledSteps,
  type ReapStalledStepsResult,
  type RunServiceDeps,
} from '@switchyard/agents';
import type { JobDeps } from './job-processor';

/**
 * `reap-stalled-steps` (every REAPER_INTERVAL_MS): re-queues steps whose worker died, enqueues
 * steps that lost their job, stops runs past their deadline and settles runs left with nothing
 * to do. Built per app because it needs the run queue and Redis.
 */
export function createReapStalledStepsProcessor(
  deps: Omit<RunServiceDeps, 'db' | 'log'>,
  options: {
    /**
     * How long a step may stay queued without a BullMQ job before it is enqueued again (a worker
     * died between committing the step and enqueueing it).
     */
    queuedGraceMs: number;
  },
) {
  return async (_job: Job, jobDeps: JobDeps): Promise<ReapStalledStepsResult> =>
    reapStalledSteps(
      { ...deps, db: jobDeps.db, log: jobDeps.log },
      { queuedGraceMs: options.queuedGraceMs },
    );
}
