import { listRunSteps, type Run } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import type { RunServiceDeps } from '../engine/engine-deps';
import { endRun } from '../engine/end-run';
import { isRunActive } from '../engine/run-states';
import { publishRunCancel } from '../events/publish-run-events';
import { recordRunChange } from '../events/record-run-change';

/**
 * Cancels a live run: its status changes and every unfinished step is cancelled in one
 * transaction, then `run-cancel` is published so workers abort the model and tool calls in
 * flight. Cancelling a cancelled run is a no-op; a finished run is a 409.
 */
export async function cancelRun(
  params: { orgId: string; runId: string; actor: AuditActor; reason?: string },
  deps: RunServiceDeps,
): Promise<Run> {
  const { value } = await recordRunChange(deps, params, async (change) => {
    const { run, tx } = change;
    if (run.status === 'cancelled') return { run, queued: [], changed: false };
    if (!isRunActive(run.status)) {
      throw new AppError('CONFLICT', { message: `The run already ${run.status}.` });
    }
    const queued = await listRunSteps(tx, { ...params, statuses: ['queued'] });
    const ended = await endRun(change, {
      status: 'cancelled',
      stopReason: 'cancelled',
      ...(params.reason ? { error: { code: 'cancelled', message: params.reason } } : {}),
    });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: 'run.cancelled',
      targetType: 'run',
      targetId: run.id,
      metadata: params.reason ? { reason: params.reason } : {},
    });
    return { run: ended ?? run, queued, changed: true };
  });
  if (value.changed) {
    await publishRunCancel(deps.redis, params.runId, deps.log);
    // Waiting jobs would only find their step cancelled; drop them now.
    await Promise.all(
      value.queued.map((step) =>
        deps.queue.removeStepJob(step.id).catch((error: unknown) => {
          deps.log.warn({ err: error, stepId: step.id }, 'removing a cancelled step job failed');
        }),
      ),
    );
  }
  return value.run;
}
