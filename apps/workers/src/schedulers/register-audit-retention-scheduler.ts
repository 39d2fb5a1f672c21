import type { Queue } from 'bullmq';
import { MAINTENANCE_JOBS, type AuditRetentionSweepInput } from '../queues';

export const AUDIT_RETENTION_SCHEDULER_ID = 'audit-retention-sweep';

export type RegisterAuditRetentionSchedulerOptions = {
  /** Cron pattern, evaluated in UTC so processes in different time zones agree. */
  cron: string;
  retentionDays: number;
};

/**
 * Creates or updates the scheduler that enqueues `audit-retention-sweep`. The scheduler id is
 * fixed, so every worker process upserting it at boot leaves exactly one scheduler (and one
 * pending job) in Redis; the last process to boot sets the pattern and retention.
 */
export async function registerAuditRetentionScheduler(
  queue: Queue,
  options: RegisterAuditRetentionSchedulerOptions,
): Promise<void> {
  const data: AuditRetentionSweepInput = { retentionDays: options.retentionDays };
  await queue.upsertJobScheduler(
    AUDIT_RETENTION_SCHEDULER_ID,
    { pattern: options.cron, tz: 'UTC' },
    {
      name: MAINTENANCE_JOBS.auditRetentionSweep,
      data,
      opts: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 60_000 },
        removeOnComplete: { count: 30 },
        removeOnFail: { count: 100 },
      },
    },
  );
}
