import type { Queue } from 'bullmq';
import type { WorkersConfig } from '../env';
import { registerAuditRetentionScheduler } from './register-audit-retention-scheduler';
import { registerReaperScheduler } from './register-reaper-scheduler';

/** Upserts every recurring job of the maintenance queue; idempotent across processes. */
export async function registerSchedulers(
  maintenanceQueue: Queue,
  config: Pick<WorkersConfig, 'auditRetentionCron' | 'auditRetentionDays' | 'reaperIntervalMs'>,
): Promise<void> {
  await registerAuditRetentionScheduler(maintenanceQueue, {
    cron: config.auditRetentionCron,
    retentionDays: config.auditRetentionDays,
  });
  await registerReaperScheduler(maintenanceQueue, { everyMs: config.reaperIntervalMs });
}
