import { getRun } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { isRunActive } from '../engine/run-states';
import { STEPS_QUEUE, stepJobDataSchema } from '../queue/run-queue';
import { findQueueJobOrThrow } from './find-queue-job';
import { getQueueOrThrow, type QueueAdminDeps } from './queue-admin-deps';
import { toQueueJobSummary, type QueueJobSummary } from './queue-job-summary';

/**
 * Puts a failed job back in the queue with its attempts reset. A step job whose run has ended is
 * refused: the run engine owns that decision (`POST /v1/orgs/:orgId/runs/:runId/retry` retries
 * the run from its failed steps, with budgets and events), and reviving the job alone would
 * execute a step of a finished run.
 */
export async function retryQueueJob(
  params: { name: string; jobId: string; actor: AuditActor },
  deps: QueueAdminDeps,
): Promise<QueueJobSummary> {
  const queue = getQueueOrThrow(deps, params.name);
  const { job, state } = await findQueueJobOrThrow(queue, params.jobId);
  if (state !== 'failed') {
    throw new AppError('CONFLICT', {
      message: `Only failed jobs can be retried; this job is ${state}.`,
      details: { state },
    });
  }
  const step = queue.name === STEPS_QUEUE ? stepJobDataSchema.safeParse(job.data) : null;
  if (step?.success) {
    const { orgId, runId } = step.data;
    const run = await getRun(deps.db, { orgId, runId });
    if (!run || !isRunActive(run.status)) {
      const retryPath = `/v1/orgs/${orgId}/runs/${runId}/retry`;
      throw new AppError('CONFLICT', {
        message: run
          ? `The run of this step has ended (${run.status}); retry the run instead: POST ${retryPath}.`
          : 'The run of this step no longer exists.',
        details: { reason: 'run_ended', orgId, runId, runStatus: run?.status ?? null, retryPath },
      });
    }
  }
  try {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  } catch (error) {
    // Another admin or a worker moved the job since we read its state.
    throw new AppError('CONFLICT', {
      message: 'The job changed state; reload and try again.',
      cause: error,
    });
  }
  await recordAudit(deps.db, {
    orgId: null,
    actor: params.actor,
    action: 'queue.job_retried',
    targetType: 'queue_job',
    targetId: `${queue.name}:${params.jobId}`,
    metadata: { queue: queue.name, jobName: job.name, ...(step?.success ? step.data : {}) },
  });
  return toQueueJobSummary(job, await job.getState());
}
