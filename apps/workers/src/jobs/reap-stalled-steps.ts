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
export function createReapStalledStepsProcessor(deps: Omit<RunServiceDeps, 'db' | 'log'>) {
  return async (_job: Job, jobDeps: JobDeps): Promise<ReapStalledStepsResult> =>
    reapStalledSteps({ ...deps, db: jobDeps.db, log: jobDeps.log });
}
