import {
  getStep,
  listRunSteps,
  queueReadySteps,
  updateRun,
  updateStep,
  type Run,
  type Step,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { parseInput } from '../agents/parse-input';
import type { EngineDeps, RunServiceDeps } from '../engine/engine-deps';
import { enqueueSteps } from '../engine/enqueue-steps';
import { recordRunChange } from '../events/record-run-change';
import { editPlannedSubtasks, parsePlanEdits, readPlanApproval } from './edit-planned-subtasks';
import { findApprovalStep } from './find-approval-step';
import { approveStepSchema, type ApproveStepInput } from './run-schemas';

export type ApprovalDecision = { step: Step; run: Run; alreadyDecided: boolean };

/**
 * Approves a parked tool call, optionally with edited arguments (or, for `ask_human`, an
 * answer); the waiting turn is queued again and the run resumes. Approving a plan (or one of its
 * subtasks) lets the subtasks it gated start, with the tasks the approver edited. Approving twice is a no-op
 * (`alreadyDecided`); approving a rejected or cancelled approval is a 409. Audited.
 */
export async function approveStep(
  params: { orgId: string; stepId: string; actor: AuditActor; input?: ApproveStepInput },
  deps: RunServiceDeps & { tools?: EngineDeps['tools'] },
): Promise<ApprovalDecision> {
  const input = parseInput(approveStepSchema, params.input ?? {});
  const approval = await findApprovalStep(deps.db, params);
  const toolName = typeof approval.input.tool === 'string' ? approval.input.tool : '';
  const plan = readPlanApproval(approval.input);
  const planEdits =
    plan && input.arguments !== undefined ? parsePlanEdits(plan, input.arguments) : null;
  if (!plan && input.arguments !== undefined) {
    assertArguments(deps.tools, toolName, input.arguments);
  }

  const { value } = await recordRunChange(
    deps,
    { orgId: params.orgId, runId: approval.runId },
    async ({ tx, run, emit }) => {
      const current = await getStep(tx, params);
      if (!current) throw new AppError('NOT_FOUND', { message: 'Approval not found.' });
      if (current.status === 'succeeded') {
        return { step: current, run, alreadyDecided: true, resumed: [] as Step[] };
      }
      if (current.status !== 'waiting_for_approval') {
        throw new AppError('CONFLICT', {
          message: 'This approval was already rejected or its run ended.',
        });
      }
      const now = new Date();
      const edited = input.arguments !== undefined;
      const decided = await updateStep(tx, {
        ...params,
        statuses: ['waiting_for_approval'],
        values: {
          status: 'succeeded',
          finishedAt: now,
          output: {
            approved: true,
            edited,
            ...(edited ? { arguments: input.arguments } : {}),
            ...(input.answer === undefined ? {} : { answer: input.answer }),
            ...(input.comment === undefined ? {} : { comment: input.comment }),
            decidedBy: params.actor.userId,
            decidedAt: now.toISOString(),
          },
        },
      });
      if (planEdits) await editPlannedSubtasks(tx, { orgId: params.orgId, edits: planEdits });
      const parent = current.parentStepId
        ? await updateStep(tx, {
            orgId: params.orgId,
            stepId: current.parentStepId,
            statuses: ['waiting_for_approval'],
            values: { status: 'queued' },
          })
        : null;
      const waiting = await listRunSteps(tx, {
        orgId: params.orgId,
        runId: run.id,
        statuses: ['waiting_for_approval'],
      });
      let resumedRun = run;
      if (run.status === 'waiting_for_approval' && waiting.length === 0) {
        // The wall clock stops while a person decides.
        const waitedMs = now.getTime() - current.createdAt.getTime();
        resumedRun =
          (await updateRun(tx, {
            orgId: params.orgId,
            runId: run.id,
            statuses: ['waiting_for_approval'],
            values: {
              status: 'running',
              ...(run.deadlineAt
                ? { deadlineAt: new Date(run.deadlineAt.getTime() + waitedMs) }
                : {}),
            },
          })) ?? run;
        emit('run.resumed', { status: 'running' });
      }
      // A plan approval gates subtasks through their dependencies.
      const ready = plan ? await queueReadySteps(tx, { orgId: params.orgId, runId: run.id }) : [];
      emit('approval.approved', {
        stepId: current.id,
        parentStepId: current.parentStepId,
        ...(plan ? { kind: plan.kind } : {}),
        tool: toolName,
        edited,
        actorUserId: params.actor.userId,
      });
      await recordAudit(tx, {
        orgId: params.orgId,
        actor: params.actor,
        action: 'run.step_approved',
        targetType: 'step',
        targetId: current.id,
        metadata: { runId: run.id, ...(plan ? { kind: plan.kind } : { tool: toolName }), edited },
      });
      return {
        step: decided ?? current,
        run: resumedRun,
        alreadyDecided: false,
        resumed: [...(parent ? [parent] : []), ...ready],
      };
    },
  );
  await enqueueSteps(deps, value.run, value.resumed, deps.log);
  return { step: value.step, run: value.run, alreadyDecided: value.alreadyDecided };
}

function assertArguments(
  tools: EngineDeps['tools'] | undefined,
  toolName: string,
  args: unknown,
): void {
  const tool = tools?.get(toolName);
  if (!tool) return;
  const parsed = tool.parameters.safeParse(args);
  if (parsed.success) return;
  throw new AppError('VALIDATION_FAILED', {
    message: `The arguments are not valid for ${toolName}.`,
    details: {
      errors: parsed.error.issues.map((issue) => ({
        path: ['arguments', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    },
  });
}
