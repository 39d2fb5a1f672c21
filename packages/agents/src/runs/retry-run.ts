import { listRunSteps, updateRun, updateStep, type Run, type Step } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { parseInput } from '../agents/parse-input';
import { readCheckpoint } from '../engine/conversation-checkpoint';
import type { RunServiceDeps } from '../engine/engine-deps';
import { enqueueSteps } from '../engine/enqueue-steps';
import { isExecutableStep } from '../engine/run-states';
import { recordRunChange } from '../events/record-run-change';
import { retryRunSchema, type RetryRunInput } from './run-schemas';

/** Failures whose checkpoint would only fail again: these steps start over. */
const START_OVER_CODES = new Set(['invalid_plan', 'invalid_output']);

/**
 * Resumes a failed run from its failed step(s): each restarts from its last checkpoint (the
 * conversation so far; its model-call count starts again), the steps that were cut off go back
 * to the queue, and the run is live again with a fresh wall-clock deadline.
 */
export async function retryRun(
  params: { orgId: string; runId: string; actor: AuditActor; input?: RetryRunInput },
  deps: RunServiceDeps & { settings: { runMaxDurationMs: number } },
): Promise<Run> {
  const input = parseInput(retryRunSchema, params.input ?? {});
  const { value } = await recordRunChange(deps, params, async ({ tx, run, emit }) => {
    if (run.status !== 'failed') {
      throw new AppError('CONFLICT', { message: 'Only a failed run can be retried.' });
    }
    const steps = (await listRunSteps(tx, params)).filter((step) => isExecutableStep(step.kind));
    const failed = steps.filter((step) => step.status === 'failed');
    if (input.stepId && !failed.some((step) => step.id === input.stepId)) {
      throw new AppError('CONFLICT', { message: 'That step is not a failed step of this run.' });
    }
    if (failed.length === 0) {
      throw new AppError('CONFLICT', { message: 'The run has no failed step to retry.' });
    }
    const requeued: Step[] = [];
    for (const step of steps) {
      if (step.status === 'failed' || step.status === 'cancelled') {
        const updated = await updateStep(tx, {
          orgId: params.orgId,
          stepId: step.id,
          statuses: [step.status],
          values: {
            status: 'queued',
            attempt: 0,
            error: null,
            finishedAt: null,
            checkpoint: restartCheckpoint(step),
          },
        });
        if (updated) requeued.push(updated);
      } else if (step.status === 'skipped') {
        await updateStep(tx, {
          orgId: params.orgId,
          stepId: step.id,
          statuses: ['skipped'],
          values: { status: 'pending' },
        });
      }
    }
    const budget = input.budget ?? run.budget;
    const durationMs = Math.min(budget.maxDurationMs ?? Infinity, deps.settings.runMaxDurationMs);
    const retried = await updateRun(tx, {
      orgId: params.orgId,
      runId: run.id,
      statuses: ['failed'],
      values: {
        status: 'running',
        budget,
        error: null,
        stopReason: null,
        result: null,
        finishedAt: null,
        deadlineAt: new Date(Date.now() + durationMs),
      },
    });
    emit('run.retried', { status: 'running', stepIds: requeued.map((step) => step.id) });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: 'run.retried',
      targetType: 'run',
      targetId: run.id,
      metadata: { stepIds: requeued.map((step) => step.id) },
    });
    return { run: retried ?? run, requeued };
  });
  await enqueueSteps(deps, value.run, value.requeued, deps.log);
  return value.run;
}

function restartCheckpoint(step: Step): Record<string, unknown> | null {
  if (typeof step.error?.code === 'string' && START_OVER_CODES.has(step.error.code)) return null;
  const checkpoint = readCheckpoint(step.checkpoint);
  return checkpoint ? { ...checkpoint, modelCalls: 0 } : null;
}
