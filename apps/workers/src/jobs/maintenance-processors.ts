import { MAINTENANCE_JOBS } from '../queues';
import { auditRetentionSweep } from './audit-retention-sweep';
import type { JobProcessorMap } from './job-processor';

/** The production processors of the `maintenance` queue, by job name. */
export const MAINTENANCE_PROCESSORS: JobProcessorMap = {
  [MAINTENANCE_JOBS.auditRetentionSweep]: auditRetentionSweep,
};
