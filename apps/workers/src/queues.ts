import { z } from 'zod';
import { MAINTENANCE_QUEUE } from '@switchyard/agents';

/**
 * Every queue this process consumes, its job names and their payload schemas, in one place so the
 * processors, schedulers and tests cannot drift apart. When another app needs to enqueue these
 * jobs, this file moves to a package (apps never import each other). The queue's name is in
 * `@switchyard/agents` already: the api's worker manager and `/metrics` read the queue.
 */
export { MAINTENANCE_QUEUE };

export const MAINTENANCE_JOBS = {
  auditRetentionSweep: 'audit-retention-sweep',
  reapStalledSteps: 'reap-stalled-steps',
} as const;

/** Rows deleted per statement: small enough to keep each delete's locks and WAL burst short. */
const AUDIT_RETENTION_BATCH_SIZE = 1_000;

export const auditRetentionSweepSchema = z
  .object({
    /** Audit events older than this many days are deleted. */
    retentionDays: z.number().int().min(1),
    batchSize: z.number().int().min(1).max(10_000).default(AUDIT_RETENTION_BATCH_SIZE),
  })
  .strict();

export type AuditRetentionSweepInput = z.input<typeof auditRetentionSweepSchema>;
export type AuditRetentionSweepResult = { deleted: number };
