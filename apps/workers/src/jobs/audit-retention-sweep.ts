import type { Job } from 'bullmq';
import { auditRetentionSweepSchema, type AuditRetentionSweepResult } from '../queues';
import { deleteExpiredAuditEvents } from '../services/delete-expired-audit-events';
import type { JobDeps } from './job-processor';
import { parseJobData } from './parse-job-data';

/** `audit-retention-sweep`: deletes audit events older than the payload's retention period. */
export async function auditRetentionSweep(
  job: Job,
  deps: JobDeps,
): Promise<AuditRetentionSweepResult> {
  const payload = parseJobData(auditRetentionSweepSchema, job);
  return deleteExpiredAuditEvents(
    { retentionDays: payload.retentionDays, batchSize: payload.batchSize },
    { db: deps.db },
  );
}
