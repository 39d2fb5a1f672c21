import { getStep, updateStep } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { parseInput } from '../agents/parse-input';
import type { RunServiceDeps } from '../engine/engine-deps';
import { endRun } from '../engine/end-run';
import { publishRunCancel } from '../events/publish-run-events';
import { recordRunChange } from '../events/record-run-change';
import type { ApprovalDecision } from './approve-step';
import { findApprovalStep } from './find-approval-step';
import { rejectStepSchema, type RejectStepInput } from './run-schemas';

/**
 * Rejects a parked tool call: the run ends (`cancelled`, stop reason `approval_rejected`) and its
 * other work is stopped. Rejecting twice is a no-op; rejecting an approved step is a 409. Audited.
 */
export async function rejectStep(
  params: { orgId: string; stepId: string; actor: AuditActor; input?: RejectStepInput },
  deps: RunServiceDeps,
): Promise<ApprovalDecision> {
  const input = parseInput(rejectStepSchema, params.input ?? {});
  const approval = await findApprovalStep(deps.db, params);
  const { value } = await recordRunChange(
    deps,
    { orgId: params.orgId, runId: approval.runId },
    async (change) => {
      const { tx, run, emit } = change;
      const current = await getStep(tx, params);
      if (!current) throw new AppError('NOT_FOUND', { message: 'Approval not found.' });
      if (current.status === 'failed' && current.output?.approved === false) {
        return { step: current, run, alreadyDecided: true };
      }
      if (current.status !== 'waiting_for_approval') {
        throw new AppError('CONFLICT', {
          message: 'This approval was already approved or its run ended.',
        });
      }
      const now = new Date();
      const message = input.reason ?? 'A person rejected a step of this run.';
      const decided = await updateStep(tx, {
        ...params,
        statuses: ['waiting_for_approval'],
        values: {
          status: 'failed',
          finishedAt: now,
          error: { code: 'approval_rejected', message },
          output: {
            approved: false,
            ...(input.reason === undefined ? {} : { reason: input.reason }),
            decidedBy: params.actor.userId,
            decidedAt: now.toISOString(),
          },
        },
      });
      const tool = typeof current.input.tool === 'string' ? current.input.tool : null;
      emit('approval.rejected', {
        stepId: current.id,
        parentStepId: current.parentStepId,
        tool,
        actorUserId: params.actor.userId,
        ...(input.reason === undefined ? {} : { reason: input.reason }),
      });
      const ended = await endRun(change, {
        status: 'cancelled',
        stopReason: 'approval_rejected',
        error: { code: 'approval_rejected', message },
      });
      await recordAudit(tx, {
        orgId: params.orgId,
        actor: params.actor,
        action: 'run.step_rejected',
        targetType: 'step',
        targetId: current.id,
        metadata: { runId: run.id, tool },
      });
      return { step: decided ?? current, run: ended ?? run, alreadyDecided: false };
    },
  );
  if (!value.alreadyDecided) await publishRunCancel(deps.redis, approval.runId, deps.log);
  return value;
}
