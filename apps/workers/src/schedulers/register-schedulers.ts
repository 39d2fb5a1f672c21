import type { Queue } from 'bullmq';
import type { WorkersConfig } from '../env';
import { registerAuditRetentionScheduler } from './register-audit-retention-scheduler';

/** Upserts every recurring job of the maintenance queue; idempotent across processes. */
export async function registerSchedulers(
  maintenanceQueue: Queue,
  config: Pick<WorkersConfig, 'auditRetentionCron' | 'auditRetentionDays'>,
): Promise<void> {
  await registerAuditRetentionScheduler(maintenanceQueue, {
    cron: config.auditRetentionCron,
    retentionDays: config.auditRetentionDays,
  });
}
