import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { findQueueJobOrThrow } from './find-queue-job';
import { getQueueOrThrow, type QueueAdminDeps } from './queue-admin-deps';

/**
 * Removes a job that is not running (failed, waiting, delayed, ...); an active job is refused
 * with 409. A discarded step job of a live run is enqueued again by the reaper (the step is still
 * queued in Postgres): cancel the run to stop it.
 */
export async function discardQueueJob(
  params: { name: string; jobId: string; actor: AuditActor },
  deps: QueueAdminDeps,
): Promise<void> {
  const queue = getQueueOrThrow(deps, params.name);
  const { job, state } = await findQueueJobOrThrow(queue, params.jobId);
  if (state === 'active') {
    throw new AppError('CONFLICT', {
      message: 'The job is running; it can be discarded once it has finished or failed.',
      details: { state },
    });
  }
  try {
    await job.remove();
  } catch (error) {
    throw new AppError('CONFLICT', {
      message: 'A worker has taken the job; it cannot be discarded now.',
      cause: error,
    });
  }
  await recordAudit(deps.db, {
    orgId: null,
    actor: params.actor,
    action: 'queue.job_discarded',
    targetType: 'queue_job',
    targetId: `${queue.name}:${params.jobId}`,
    metadata: { queue: queue.name, jobName: job.name, state },
  });
}
