import { UnrecoverableError, type Job } from 'bullmq';
import {
  runSchedule,
  scheduledRunJobDataSchema,
  type CreateRunSettings,
  type RunScheduleResult,
  type RunServiceDeps,
} from '@switchyard/agents';
import { AppError } from '@switchyard/shared';
import type { JobDeps } from './job-processor';
import { parseJobData } from './parse-job-data';

/**
 * `scheduled-run` (queue `schedules`, fired by each schedule's BullMQ job scheduler): starts a
 * run of the schedule's target; a schedule paused or deleted since is skipped. A target that is
 * gone or no longer valid fails the job at once (a retry would fail the same way).
 */
export function createRunScheduleProcessor(
  deps: Omit<RunServiceDeps, 'db' | 'log'> & { settings: CreateRunSettings },
) {
  return async (job: Job, jobDeps: JobDeps): Promise<RunScheduleResult> => {
    const data = parseJobData(scheduledRunJobDataSchema, job);
    try {
      return await runSchedule(data, { ...deps, db: jobDeps.db, log: jobDeps.log });
    } catch (error) {
      if (error instanceof AppError) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
